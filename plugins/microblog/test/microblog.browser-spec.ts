import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import microblog from '../src';
import { MicroblogSettingsService } from '../src/services/microblog-settings.service';
import { API } from './fixtures/helpers';
import { vectorPosts } from './fixtures/inert';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery staple';
/** Debian's chromium (`.ci/run` installs it; never a downloaded browser). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM))
  throw new Error(`The browser suite needs Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
/** Screenshots of the flow, for people to look at (not compared). */
const ARTIFACTS = join(__dirname, 'artifacts');

/**
 * In a real browser: Ada asks a question mentioning Bob, Bob is notified and replies, Ada accepts
 * the reply as the answer; a new post appears in an open stream without a reload; and posts full
 * of XSS vectors fire no dialog. Screenshots in test/artifacts. Runs in `npm run test:browser`.
 */
describe('the microblog in a browser', () => {
  let intranet: TestIntranet;
  let bob: TestUser;
  let browser: Browser;
  let adaContext: BrowserContext;
  let bobContext: BrowserContext;
  let base: string;
  const dialogs: string[] = [];

  async function signedIn(email: string): Promise<BrowserContext> {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1100, height: 900 } });
    await context.request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
    return context;
  }

  const open = async (context: BrowserContext): Promise<Page> => {
    const page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    return page;
  };

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [microblog] });
    await intranet.createUser({
      handle: 'ada',
      displayName: 'Ada Lovelace',
      email: 'ada@example.test',
      password: PASSWORD,
    });
    bob = await intranet.createUser({
      handle: 'bob',
      displayName: 'Bob Builder',
      email: 'bob@example.test',
      password: PASSWORD,
    });
    // The test server is not listening yet: give the browser an address.
    const server = (intranet.http as unknown as { app: Server }).app;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    adaContext = await signedIn('ada@example.test');
    bobContext = await signedIn('bob@example.test');
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await intranet?.close();
  });

  it('asks a question with a mention, gets a reply and accepts it as the answer', async () => {
    const ada = await open(adaContext);
    await ada.goto('/microblog');
    await ada.fill('#composer-body', 'Does anyone know where the remote of the projector is? @bob #office');
    // The counter counts as one types (characters as a person counts them).
    await ada.waitForFunction(() => document.querySelector('.mb-counter')?.textContent === '67 of 500 characters');
    await ada.check('#composer-kind-question');
    await ada.screenshot({ path: join(ARTIFACTS, '1-composer.png'), fullPage: true });
    await ada.click('.mb-composer button[type="submit"]');
    await ada.waitForSelector('.flash-success');
    expect(await ada.textContent('.flash-success')).toContain('Your question is up.');
    const question = ada.locator('.mb-stream article').first();
    expect(await question.locator('.mb-body').textContent()).toContain('remote of the projector');
    expect(await question.locator('a.mention').getAttribute('href')).toBe('/microblog/users/bob');
    expect(await question.locator('.mb-badges').textContent()).toContain('Unanswered');
    await ada.screenshot({ path: join(ARTIFACTS, '2-posted.png'), fullPage: true });
    const questionUrl = (await question.locator('a.mb-time').getAttribute('href'))!;

    // Bob is told he was mentioned, follows the notification and replies.
    const bobPage = await open(bobContext);
    await bobPage.goto('/notifications');
    await bobPage.getByText('Ada Lovelace mentioned you').first().waitFor();
    await bobPage.screenshot({ path: join(ARTIFACTS, '3-mentioned.png'), fullPage: true });
    await bobPage.goto(questionUrl);
    await bobPage.fill('#reply-body', 'In the top drawer of the meeting room cabinet.');
    await bobPage.click('#reply button[type="submit"]');
    await bobPage.waitForSelector('.flash-success');
    expect(await bobPage.textContent('.mb-replies')).toContain('top drawer');
    await bobPage.screenshot({ path: join(ARTIFACTS, '4-replied.png'), fullPage: true });

    // Ada accepts the reply: it shows right under the question, and the question is answered.
    await ada.goto(questionUrl);
    await ada.click('.mb-replies button:has-text("Accept as the answer")');
    await ada.waitForSelector('.flash-success');
    expect(await ada.textContent('.mb-answer')).toContain('top drawer');
    expect(await ada.textContent('.mb-focus .mb-badges')).toContain('Answered');
    await ada.screenshot({ path: join(ARTIFACTS, '5-accepted.png'), fullPage: true });
    const answered = (await intranet.http.get(`${API}/posts/${questionUrl.split('/').pop()}`).expect(200)).body;
    expect(answered).toMatchObject({
      answered: true,
      acceptedAnswer: { body: 'In the top drawer of the meeting room cabinet.' },
    });
  });

  it('reacts with a button and adds a new post to an open stream without a reload', async () => {
    await intranet.get(MicroblogSettingsService).update({ pollSeconds: 5 });
    const ada = await open(adaContext);
    await ada.goto('/microblog/all');
    await ada.click('.mb-stream article >> nth=0 >> button[value="add:party"]');
    await ada.waitForSelector('.flash-success');
    expect(await ada.locator('.mb-stream article >> nth=0 >> button.mine').count()).toBe(1);
    await ada.evaluate(() => ((window as unknown as { marker: boolean }).marker = true));
    await bob.http.post(`${API}/posts`).send({ body: 'Cake in the kitchen, come quickly!' }).expect(201);
    await ada.waitForSelector('.mb-stream li.mb-new >> text=Cake in the kitchen', { timeout: 20_000 });
    // The same page: nothing was reloaded.
    expect(await ada.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true);
    expect(await ada.textContent('[data-mb-live]')).toBe('New posts: 1');
    await ada.screenshot({ path: join(ARTIFACTS, '6-new-post-arrived.png'), fullPage: true });
  });

  it('renders posts of XSS vectors without a dialog or a script running', async () => {
    for (const body of vectorPosts()) await bob.http.post(`${API}/posts`).send({ body }).expect(201);
    const page = await open(adaContext);
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto('/microblog/users/bob');
    await page.waitForTimeout(500);
    for (const link of await page.locator('.mb-body a').all()) await link.hover();
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(ARTIFACTS, '7-xss.png'), fullPage: true });
    expect(dialogs).toEqual([]);
    expect(
      await page
        .locator('.mb-body script, .mb-body iframe, .mb-body svg, .mb-body [onerror], .mb-body [onload]')
        .count(),
    ).toBe(0);
    expect(violations).toEqual([]);
    const protocols = await page
      .locator('.mb-body a')
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).protocol));
    expect(protocols.every((p) => p === 'http:' || p === 'https:')).toBe(true);
  });
});
