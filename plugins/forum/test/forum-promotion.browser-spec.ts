import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import wiki from '@plein/plugin-wiki';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import forum from '../src';
import { category, reply, topic } from './helpers';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery staple';
/** Debian's chromium (`.ci/run` installs it; never a downloaded browser). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM))
  throw new Error(`The browser suite needs Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
/** Screenshots of the flow, for people to look at (not compared). */
const ARTIFACTS = join(__dirname, 'artifacts');

/**
 * In a real browser, with the forms alone: Ada promotes her solved topic to the wiki, follows the
 * link the topic then shows to the new wiki page, and from there the link back to the topic
 * (screenshots in test/artifacts). Runs in `npm run test:browser`.
 */
describe('promoting a solved forum topic to the wiki, in a browser', () => {
  let intranet: TestIntranet;
  let browser: Browser;
  let context: BrowserContext;
  let ada: TestUser;
  let bob: TestUser;
  const dialogs: string[] = [];

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [wiki, forum] });
    ada = await intranet.createUser({
      handle: 'ada',
      displayName: 'Ada Lovelace',
      email: 'ada@example.test',
      password: PASSWORD,
    });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    const admin = await intranet.createUser({ roles: ['admin'] });
    await category(admin, { slug: 'it-help', name: 'IT help' });
    const base = await intranet.url();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
    await context.request.post('/api/v1/auth/login', { data: { email: 'ada@example.test', password: PASSWORD } });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await intranet?.close();
  });

  it('promotes the topic, shows the wiki page it became, and links both ways', async () => {
    const t = await topic(ada, 'it-help', {
      title: 'The printer on floor 3 jams',
      body: 'Every **second** page jams since Monday. Anyone?',
    });
    const r = await reply(bob, t.id, { body: 'Open tray 2 and remove the torn sheet behind the roller.' });
    await ada.http.post(`/api/v1/forum/topics/${t.id}/solution`).send({ postId: r.id }).expect(200);

    const page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`/forum/t/${t.id}`);
    await page.click('.forum-promotion button:has-text("Promote to wiki")');
    await page.waitForSelector('.flash-success');
    expect(await page.textContent('.flash-success')).toContain('Promoted to the wiki: “The printer on floor 3 jams”');
    expect(await page.textContent('.forum-promotion')).toContain('Being added to the wiki');
    await page.screenshot({ path: join(ARTIFACTS, 'promotion-requested.png'), fullPage: true });

    // The wiki makes the page (its durable handler, worked here); the topic then links to it.
    await intranet.runDueJobs();
    await page.reload();
    const link = page.locator('.forum-promotion a');
    expect(await link.textContent()).toBe('The printer on floor 3 jams');
    expect(await page.locator('.forum-promotion button').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'promoted-topic.png'), fullPage: true });

    // Following it opens the wiki page: the question and the solution, quoted, with a link back.
    await link.click();
    await page.waitForURL('**/wiki/-/the-printer-on-floor-3-jams');
    const article = page.locator('.wiki-content');
    expect(await article.locator('blockquote').first().textContent()).toContain('Every second page jams since Monday');
    expect(await article.textContent()).toContain('Open tray 2 and remove the torn sheet behind the roller.');
    expect(await article.locator('h2').allTextContents()).toEqual(['Question', 'Solution']);
    expect(await page.textContent('.wiki-origin')).toContain('Promoted from: The printer on floor 3 jams');
    await page.screenshot({ path: join(ARTIFACTS, 'promoted-wiki-page.png'), fullPage: true });

    await page.click('.wiki-origin a');
    await page.waitForURL(`**/forum/t/${t.id}`);
    expect(await page.textContent('h1')).toContain('The printer on floor 3 jams');
    expect(dialogs).toEqual([]);
  });
});
