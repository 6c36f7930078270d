import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import wiki from '../src';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery staple';
/** Debian's chromium (`.ci/run` installs it; never a downloaded browser). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) throw new Error(`The browser suite needs Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
/** Screenshots of the flow, for people to look at (not compared). */
const ARTIFACTS = join(__dirname, 'artifacts');

/**
 * In a real browser: create a page, edit it in two tabs, resolve the conflict in the merge view,
 * view the diff (screenshots in test/artifacts); and a body of XSS vectors fires no dialog.
 * Runs in `npm run test:browser`.
 */
describe('the wiki in a browser', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let browser: Browser;
  let context: BrowserContext;
  let base: string;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [wiki] });
    ada = await intranet.createUser({
      handle: 'ada',
      displayName: 'Ada Lovelace',
      email: 'ada@example.test',
      password: PASSWORD,
    });
    // The test server is not listening yet: give the browser an address (supertest leaves a server
    // its caller started alone, and close() stops it).
    const server = (intranet.http as unknown as { app: Server }).app;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    await context.request.post('/api/v1/auth/login', { data: { email: 'ada@example.test', password: PASSWORD } });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await intranet?.close();
  });

  const dialogs: string[] = [];
  const open = async (): Promise<Page> => {
    const page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    return page;
  };

  it('creates a page, edits it in two tabs, resolves the conflict and shows the diff', async () => {
    const first = await open();
    await first.goto('/wiki/p/new?space=-');
    await first.fill('#new-title', 'Office plants');
    await first.fill('#new-body', '## Watering\n\nMonday: ferns\nThursday: cacti\n');
    await first.click('button[value="preview"]');
    await first.waitForSelector('.wiki-preview h2#watering');
    await first.click('button[value="save"]');
    await first.waitForURL(`${base}/wiki/-/office-plants`);
    const id = (
      await intranet.http.get('/api/v1/wiki/resolve').query({ space: '-', path: 'office-plants' }).expect(200)
    ).body.id as string;

    // Two tabs open the editor on the same revision.
    const second = await open();
    await first.goto(`/wiki/p/${id}/edit`);
    await second.goto(`/wiki/p/${id}/edit`);
    await second.fill('#edit-body', '## Watering\n\nMonday: ferns and palms\nThursday: cacti\n');
    await second.click('button[value="save"]');
    await second.waitForURL(`${base}/wiki/-/office-plants`);
    await first.fill('#edit-body', '## Watering\n\nMonday: ferns\nThursday: cacti\nSaturday: nobody\n');
    await first.click('button[value="save"]');
    await first.waitForSelector('.wiki-merge');
    expect(await first.inputValue('#merge-current')).toContain('ferns and palms');
    expect(await first.inputValue('#merge-yours')).toContain('Saturday: nobody');
    await first.screenshot({ path: join(ARTIFACTS, 'merge-view.png'), fullPage: true });
    await first.fill('#edit-body', '## Watering\n\nMonday: ferns and palms\nThursday: cacti\nSaturday: nobody\n');
    await first.click('button[value="save"]');
    await first.waitForURL(`${base}/wiki/-/office-plants`);
    expect(await first.textContent('.wiki-content')).toContain('Saturday: nobody');
    await first.screenshot({ path: join(ARTIFACTS, 'page.png'), fullPage: true });

    await first.goto(`/wiki/p/${id}/history`);
    await first.check('#from-1');
    await first.check('#to-3');
    await first.click('.wiki-history button[type="submit"]');
    await first.waitForSelector('table.wiki-diff');
    expect(await first.locator('tr.diff-changed ins').first().textContent()).toContain('ferns and palms');
    expect(await first.locator('tr.diff-added ins').first().textContent()).toContain('Saturday: nobody');
    await first.screenshot({ path: join(ARTIFACTS, 'diff.png'), fullPage: true });
    expect((await intranet.http.get(`/api/v1/wiki/pages/${id}`).expect(200)).body.revision).toBe(3);
  });

  it('renders a body of XSS vectors without a dialog or a script running', async () => {
    const vectors = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(2)>',
      '<svg/onload=alert(3)>',
      '<IMG SRC="javascript:alert(4);">',
      '<iframe src="javascript:alert(5)"></iframe>',
      '<a href="javascript:alert(6)">click</a>',
      '[click](javascript:alert(7))',
      '[click](&#106;avascript:alert(8))',
      '![x](x" onerror="alert(9))',
      '[[x" onmouseover="alert(10)]]',
      '<details open ontoggle=alert(11)>',
      '<body onload=alert(12)>',
      '"><script>alert(13)</script>',
    ];
    const created = await ada.http
      .post('/api/v1/wiki/pages')
      .send({ title: '<img src=x onerror=alert(14)>', body: vectors.join('\n\n') })
      .expect(201);
    const page = await open();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(created.body.path);
    // Give anything that would fire (onload, onerror, ontoggle) the chance to.
    await page.waitForTimeout(500);
    for (const link of await page.locator('.wiki-content a').all()) await link.hover();
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(ARTIFACTS, 'xss.png'), fullPage: true });
    expect(dialogs).toEqual([]);
    expect(
      await page
        .locator(
          '.wiki-content script, .wiki-content iframe, .wiki-content svg, .wiki-content [onerror], .wiki-content [onload]',
        )
        .count(),
    ).toBe(0);
    expect(violations).toEqual([]);
    const hrefs = await page
      .locator('.wiki-content a')
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).protocol));
    expect(hrefs.every((p) => p === 'http:' || p === 'https:')).toBe(true);
  });
});
