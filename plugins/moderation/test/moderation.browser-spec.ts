import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import kudos from '@plein/example-kudos';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import moderation from '../src';

jest.setTimeout(180_000);

const PASSWORD = 'correct horse battery staple';
/** Debian's chromium (`.ci/run` installs it; never a downloaded browser). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM))
  throw new Error(`The browser suite needs Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
/** Screenshots of the flow, for people to look at (not compared). */
const ARTIFACTS = join(__dirname, 'artifacts');

/**
 * In a real browser, with the kudos example: a colleague reports a kudo through the Report dialog,
 * a moderator hides it from the queue with the keyboard, the author appeals from their moderation
 * history, and a second moderator grants the appeal, which restores the kudo. Screenshots in
 * test/artifacts. Runs in `npm run test:browser`.
 */
describe('moderation in a browser', () => {
  let intranet: TestIntranet;
  let browser: Browser;
  let base: string;
  let ada: TestUser;
  let bob: TestUser;
  const contexts: BrowserContext[] = [];

  /** A browser window signed in as `email`. */
  async function signedIn(email: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1200, height: 900 } });
    contexts.push(context);
    const res = await context.request.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
    expect(res.status()).toBe(200);
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.dismiss());
    return page;
  }

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos, moderation] });
    const make = (handle: string, displayName: string, roles?: string[]) =>
      intranet.createUser({ handle, displayName, email: `${handle}@example.test`, password: PASSWORD, roles });
    ada = await make('ada', 'Ada Lovelace');
    bob = await make('bob', 'Bob Builder');
    await make('mod', 'Mo Derator', ['moderator']);
    await make('mod2', 'Second Moderator', ['moderator']);
    base = await intranet.url();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await intranet?.close();
  });

  it('reports a kudo, hides it from the queue, takes the author’s appeal, and a second moderator restores it', async () => {
    const given = await ada.http
      .post('/api/v1/kudos')
      .send({ toUserId: bob.user.id, message: 'Thanks for nothing, as always' })
      .expect(201);
    const kudoId = given.body.id as string;

    // Bob reports it through the Report button: JavaScript opens the form in a dialog.
    const reporter = await signedIn('bob@example.test');
    await reporter.goto('/kudos');
    await reporter.click(`#kudos\\.kudo-${kudoId} a[data-moderation-report]`);
    const dialog = reporter.locator('dialog.moderation-dialog');
    await dialog.waitFor();
    await dialog.locator('#report-reason-abuse').check();
    await dialog.locator('#report-note').fill('Sarcastic, and in front of the whole team');
    await reporter.screenshot({ path: join(ARTIFACTS, 'report-dialog.png') });
    await dialog.locator('button[type=submit]').click();
    await reporter.waitForURL(`${base}/kudos#kudos.kudo-${kudoId}`);
    expect(await reporter.textContent('.flash')).toContain('moderators will look at your report');

    // The moderator moves to the item with j, picks "hide" with h, writes why and decides.
    const moderator = await signedIn('mod@example.test');
    await moderator.goto('/moderation');
    await moderator.waitForSelector('[data-keys-hint]:not([hidden])');
    await moderator.keyboard.press('j');
    await moderator.keyboard.press('h');
    expect(await moderator.isChecked('[data-item].is-current input[name=action][value=hide]')).toBe(true);
    await moderator.keyboard.type('Sarcasm aimed at a colleague');
    await moderator.screenshot({ path: join(ARTIFACTS, 'queue.png'), fullPage: true });
    await moderator.click('[data-item].is-current form[data-decision] button[type=submit]');
    await moderator.waitForURL(/\/moderation\/queue\?lane=reports/);
    expect(await moderator.textContent('.flash')).toContain('Decided: hidden.');
    expect((await intranet.http.get(`/api/v1/kudos/${kudoId}`)).status).toBe(404);

    // Ada reads what happened in her history, by role, and appeals.
    const author = await signedIn('ada@example.test');
    await author.goto('/moderation/history');
    expect(await author.textContent('main')).toContain('Sarcasm aimed at a colleague');
    await author.screenshot({ path: join(ARTIFACTS, 'history.png'), fullPage: true });
    await author.click('text=Appeal this decision');
    await author.fill('#appeal-text', 'Bob and I joke like this; he laughed');
    await author.click('main button[type=submit]');
    await author.waitForURL(`${base}/moderation/history`);
    expect(await author.textContent('.flash')).toContain('another moderator');

    // The moderator who decided does not see the appeal; the second moderator grants it.
    await moderator.goto('/moderation/queue?lane=appeals');
    expect(await moderator.textContent('main')).not.toContain('Bob and I joke like this');
    const second = await signedIn('mod2@example.test');
    await second.goto('/moderation/queue?lane=appeals');
    await second.click('text=Open in context');
    expect(await second.textContent('main')).toContain('Sarcasm aimed at a colleague');
    await second.check('input[name=action][value=approve]');
    await second.fill('textarea[name=reason]', 'A joke between colleagues who agree on it');
    await second.screenshot({ path: join(ARTIFACTS, 'appeal.png'), fullPage: true });
    await second.click('form[data-decision] button[type=submit]');
    await second.waitForURL(/\/moderation\/queue\?lane=appeals/);
    expect((await intranet.http.get(`/api/v1/kudos/${kudoId}`)).status).toBe(200);

    await author.goto('/moderation/history');
    expect(await author.textContent('main')).toContain('Your appeal was granted');
    await author.goto('/notifications');
    expect(await author.textContent('main')).toContain('A moderator granted your appeal');
    await author.screenshot({ path: join(ARTIFACTS, 'notifications.png'), fullPage: true });
  });
});
