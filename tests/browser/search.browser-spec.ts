import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { gatekeeper, notes } from '../fixtures/notes/notes.plugin';

jest.setTimeout(180_000);

/** Debian's chromium (`.ci/run` installs it; a browser is never downloaded). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) throw new Error(`The browser suite needs Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
/** Screenshots of every step, for people to look at (git-ignored; not compared). */
const ARTIFACTS = join(__dirname, 'artifacts');
const PASSWORD = 'a long member passphrase';

/**
 * The start page's activity stream and search, in a real browser: a member signs in, sees the
 * newest content of every plugin, searches from the header box, narrows the search with the
 * filter form, and follows a result. With JavaScript off too: every step is a plain form or link.
 */
describe('activity and search in a browser', () => {
  let intranet: TestIntranet;
  let browser: Browser;
  let base: string;
  let ada: TestUser;
  const errors: string[] = [];

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: ['@plein/example-kudos', '@plein/plugin-wiki', notes, gatekeeper] });
    base = await intranet.url();
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace', password: PASSWORD });
    const bea = await intranet.createUser({ handle: 'bea', displayName: 'Bea Bakker' });
    const town = (await bea.http.post('/api/v1/spaces').send({ slug: 'town', name: 'Town square', visibility: 'public', joinPolicy: 'open' }).expect(201)).body;
    const step = () => intranet.clock.advance(60_000);
    await ada.http.post('/api/v1/wiki/pages').send({ title: 'Coffee machine manual', body: 'Descale the coffee machine every month. The café on the ground floor has the spare filters.' }).expect(201);
    step();
    await bea.http.post('/api/v1/notes').send({ text: 'Koffie in het café, één keer per week, met appeltaart.', spaceId: town.id }).expect(201);
    step();
    await bea.http.post('/api/v1/kudos').send({ toUserId: ada.user.id, message: 'Thanks for fixing the coffee machine' }).expect(201);
    step();
    await ada.http.post('/api/v1/wiki/pages').send({ title: '<b>Escaped</b> coffee rota', body: 'Who makes coffee <script>alert(1)</script> on which day.' }).expect(201);
    step();
    await intranet.runDueJobs();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await intranet?.close();
  });

  async function signedInPage(options: { width?: number; javaScript?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ baseURL: base, viewport: { width: options.width ?? 1280, height: 900 }, locale: 'en-GB', javaScriptEnabled: options.javaScript ?? true });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(`${m.text()} ${m.location().url}`));
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto('/login');
    await page.fill('input[name="email"]', 'ada@example.test');
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('form[action="/login"] [type="submit"]');
    await page.waitForURL(`${base}/`);
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('shows the stream after sign-in, searches from the header, narrows the search and opens a result', async () => {
    const page = await signedInPage();
    // The start page: the newest content of every plugin, newest first.
    const stream = page.locator('#home-activity + ul .content-item');
    await expect(stream.count()).resolves.toBe(4);
    await expect(stream.first().textContent()).resolves.toContain('<b>Escaped</b> coffee rota');
    await expect(page.locator('#home-activity ~ ul').textContent()).resolves.toContain('Thanks for fixing the coffee machine');
    await shot(page, 'search-01-home-activity');

    // Search from the box in the header.
    await page.fill('#site-search-q', 'coffee');
    await page.press('#site-search-q', 'Enter');
    await page.waitForURL(/\/search\?q=coffee/);
    const results = page.locator('.search-results .content-item');
    await expect(results.count()).resolves.toBe(3);
    // The title and the text of the best match have the word marked.
    await expect(results.first().locator('h3 mark').first().textContent()).resolves.toMatch(/coffee/i);
    // The page's own markup never came from the content: the <b> and <script> are text.
    await expect(page.locator('.search-results b, .search-results script').count()).resolves.toBe(0);
    await expect(page.locator('.search-results').textContent()).resolves.toContain('<b>Escaped</b> coffee rota');
    await shot(page, 'search-02-results');

    // Narrow to the wiki with the filter form.
    await page.click('summary');
    await page.selectOption('#search-plugin', 'wiki');
    await page.click('form.search-form button[type="submit"]');
    await page.waitForURL(/plugin=wiki/);
    await expect(results.count()).resolves.toBe(2);
    await shot(page, 'search-03-narrowed');

    // Follow a result to the plugin's own page.
    await results.locator('h3 a', { hasText: 'Coffee machine manual' }).click();
    await page.waitForURL(/\/wiki\//);
    await expect(page.locator('h1').textContent()).resolves.toContain('Coffee machine manual');
    expect(errors).toEqual([]);
  });

  it('finds Dutch words without their accents, with JavaScript off, on a phone', async () => {
    const page = await signedInPage({ width: 390, javaScript: false });
    await page.goto('/search?q=een+cafe');
    const results = page.locator('.search-results .content-item');
    await expect(results.count()).resolves.toBe(1);
    await expect(results.first().locator('mark').allTextContents()).resolves.toEqual(['café', 'één']);
    await shot(page, 'search-04-dutch-phone-no-js');
    await page.goto('/activity');
    await expect(page.locator('.activity-stream .content-item').count()).resolves.toBe(4);
    await shot(page, 'search-05-activity-phone');
    expect(errors).toEqual([]);
  });
});
