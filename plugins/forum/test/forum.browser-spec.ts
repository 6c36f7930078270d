import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTestIntranet, type TestIntranet } from '@plein/sdk/testing';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import forum from '../src';
import { XSS_VECTORS } from './helpers';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery staple';
/** Debian's chromium (`.ci/run` installs it; never a downloaded browser). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM))
  throw new Error(`The browser suite needs Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
/** Screenshots of the flow, for people to look at (not compared). */
const ARTIFACTS = join(__dirname, 'artifacts');

/**
 * In a real browser, with the forms alone: Ada starts a topic, Bob replies quoting her, Ada marks
 * his reply as the solution, a moderator locks the topic (screenshots in test/artifacts); and a
 * post of XSS vectors fires no dialog. Runs in `npm run test:browser`.
 */
describe('the forum in a browser', () => {
  let intranet: TestIntranet;
  let browser: Browser;
  let base: string;
  const contexts: Record<string, BrowserContext> = {};
  const dialogs: string[] = [];

  async function as(email: string): Promise<BrowserContext> {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    await context.request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
    return context;
  }

  async function open(who: string): Promise<Page> {
    const page = await contexts[who].newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    return page;
  }

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [forum] });
    await intranet.createUser({
      handle: 'ada',
      displayName: 'Ada Lovelace',
      email: 'ada@example.test',
      password: PASSWORD,
    });
    await intranet.createUser({
      handle: 'bob',
      displayName: 'Bob Builder',
      email: 'bob@example.test',
      password: PASSWORD,
    });
    await intranet.createUser({
      handle: 'mod',
      displayName: 'Mo Derator',
      email: 'mod@example.test',
      password: PASSWORD,
      roles: ['moderator'],
    });
    const admin = await intranet.createUser({ roles: ['admin'] });
    await admin.http
      .post('/api/v1/forum/categories')
      .send({ slug: 'it-help', name: 'IT help', description: 'Printers, laptops, accounts' })
      .expect(201);
    // The test server is not listening yet: give the browser an address (supertest leaves a server
    // its caller started alone, and close() stops it).
    const server = (intranet.http as unknown as { app: Server }).app;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    contexts.ada = await as('ada@example.test');
    contexts.bob = await as('bob@example.test');
    contexts.mod = await as('mod@example.test');
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await intranet?.close();
  });

  it('starts a topic, replies with a quote, marks the solution and locks the topic', async () => {
    // Ada starts a topic from the category page.
    const ada = await open('ada');
    await ada.goto('/forum');
    await ada.click('a.forum-category-name:has-text("IT help")');
    await ada.click('a.button:has-text("New topic")');
    await ada.fill('#topic-title', 'The printer on floor 3 jams');
    await ada.fill('#topic-body', 'Every **second** page jams since Monday. Anyone?');
    await ada.fill('#topic-tags', 'printers, floor-3');
    await ada.click('button[value="preview"]');
    await ada.waitForSelector('.forum-preview strong');
    await ada.click('button[value="save"]');
    await ada.waitForSelector('.flash-success');
    expect(await ada.textContent('.flash-success')).toContain('Your topic is started.');
    const topicUrl = new URL(ada.url()).pathname;
    await ada.screenshot({ path: join(ARTIFACTS, 'topic-started.png'), fullPage: true });

    // Bob quotes her and replies.
    const bob = await open('bob');
    await bob.goto(topicUrl);
    await bob.click('#post-1 ~ .forum-post-actions a:has-text("Quote")');
    await bob.waitForSelector('.forum-quote-preview');
    await bob.fill('#reply-body', 'Open tray 2 and remove the torn sheet behind the roller.');
    await bob.click('button[value="save"]');
    await bob.waitForSelector('.flash-success');
    expect(await bob.textContent('.forum-posts .forum-quote')).toContain('Every second page jams');
    await bob.screenshot({ path: join(ARTIFACTS, 'reply-with-quote.png'), fullPage: true });

    // Ada marks it as the solution; it shows under her post.
    await ada.goto(topicUrl);
    await ada.click('.forum-posts button:has-text("Mark as solution")');
    await ada.waitForSelector('.forum-solution');
    expect(await ada.textContent('.forum-solution')).toContain('remove the torn sheet');
    await ada.screenshot({ path: join(ARTIFACTS, 'solved.png'), fullPage: true });

    // A moderator locks it; Bob sees no reply form any more.
    const mod = await open('mod');
    await mod.goto(topicUrl);
    await mod.click('summary:has-text("Moderate")');
    await mod.click('button:has-text("Lock")');
    await mod.waitForSelector('.flash-success');
    expect(await mod.textContent('.flash-success')).toContain('The topic is locked.');
    await mod.screenshot({ path: join(ARTIFACTS, 'locked.png'), fullPage: true });
    await bob.goto(topicUrl);
    expect(await bob.textContent('main')).toContain('This topic is locked');
    expect(await bob.locator('#reply').count()).toBe(0);

    // The category lists it as solved and locked.
    await bob.goto('/forum/c/it-help');
    const row = bob.locator('.forum-topic-row', { hasText: 'The printer on floor 3 jams' });
    expect(await row.textContent()).toMatch(/Solved[\s\S]*Locked/);
    await bob.screenshot({ path: join(ARTIFACTS, 'category.png'), fullPage: true });
    expect(dialogs).toEqual([]);
  });

  it('renders a post of XSS vectors without a dialog or a script running', async () => {
    const bob = await open('bob');
    await bob.goto('/forum/c/it-help/new');
    await bob.fill('#topic-title', '<img src=x onerror=alert("title")>');
    await bob.fill('#topic-body', XSS_VECTORS.join('\n\n'));
    await bob.click('button[value="save"]');
    await bob.waitForSelector('.flash-success');
    const violations: string[] = [];
    bob.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await bob.reload();
    await bob.waitForTimeout(500);
    for (const link of await bob.locator('.forum-html a').all()) await link.hover();
    await bob.waitForTimeout(200);
    await bob.screenshot({ path: join(ARTIFACTS, 'xss.png'), fullPage: true });
    expect(dialogs).toEqual([]);
    expect(
      await bob
        .locator('.forum-html script, .forum-html iframe, .forum-html svg, .forum-html [onerror], .forum-html [onload]')
        .count(),
    ).toBe(0);
    expect(violations).toEqual([]);
    const protocols = await bob
      .locator('.forum-html a')
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).protocol));
    expect(protocols.every((p) => p === 'http:' || p === 'https:')).toBe(true);
  });
});
