import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTestIntranet, type TestIntranet } from '@plein/sdk/testing';
import { chromium, type Browser, type Page } from 'playwright-core';

jest.setTimeout(180_000);

/** Debian's chromium (`.ci/run` installs it; a browser is never downloaded). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) throw new Error(`The browser suite needs Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
/** Screenshots of every step, for people to look at (git-ignored; not compared). */
const ARTIFACTS = join(__dirname, 'artifacts');
const ADMIN_PASSWORD = 'a long admin passphrase';
const MEMBER_PASSWORD = 'another long passphrase';

/**
 * What a new organisation does first, in a real browser without any test back door:
 * first-run setup → sign-in → create a space → invite a member → the member signs in and sees it.
 */
describe('first run in a browser', () => {
  let intranet: TestIntranet;
  let browser: Browser;
  let base: string;
  const errors: string[] = [];

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: ['@plein/example-kudos'] });
    base = await intranet.url();
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

  async function newPage(width = 1280): Promise<Page> {
    const context = await browser.newContext({ baseURL: base, viewport: { width, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(`${m.text()} ${m.location().url}`));
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('sets up, signs in, creates a space, invites a member who then sees it', async () => {
    const admin = await newPage();
    await admin.goto('/');
    await admin.waitForURL(`${base}/setup`);
    await shot(admin, '01-setup');
    await admin.fill('form[action="/setup"] input[name="email"]', 'admin@example.test');
    await admin.fill('form[action="/setup"] input[name="handle"]', 'admin');
    await admin.fill('form[action="/setup"] input[name="displayName"]', 'Alex Admin');
    await admin.fill('form[action="/setup"] input[name="password"]', ADMIN_PASSWORD);
    if (await admin.locator('form[action="/setup"] input[name="confirm"]').count()) await admin.fill('form[action="/setup"] input[name="confirm"]', ADMIN_PASSWORD);
    await admin.click('form[action="/setup"] [type="submit"]');
    await admin.waitForLoadState('networkidle');
    expect(admin.url()).not.toContain('/setup');
    await shot(admin, '02-after-setup');

    // A colleague's account (the administration page creates it).
    await admin.goto('/admin/users');
    await shot(admin, '03-admin-users');
    const createForm = admin.locator('form[action="/admin/users"]').first();
    await createForm.locator('input[name="email"]').fill('mia@example.test');
    await createForm.locator('input[name="handle"]').fill('mia');
    await createForm.locator('input[name="displayName"]').fill('Mia Member');
    await createForm.locator('input[name="password"]').fill(MEMBER_PASSWORD);
    await createForm.locator('[type="submit"]').click();
    await admin.waitForLoadState('networkidle');
    expect(await admin.content()).toContain('Mia Member');

    // Sign out and in again, as people do.
    await admin.locator('form[action="/logout"] [type="submit"]').first().click();
    await admin.waitForLoadState('networkidle');
    await admin.goto('/login');
    await shot(admin, '04-sign-in');
    await admin.fill('form[action="/login"] input[name="email"]', 'admin@example.test');
    await admin.fill('form[action="/login"] input[name="password"]', ADMIN_PASSWORD);
    await admin.click('form[action="/login"] [type="submit"]');
    await admin.waitForLoadState('networkidle');
    expect(admin.url()).not.toContain('/login');

    // A private, invite-only space.
    await admin.goto('/spaces/new');
    await shot(admin, '05-new-space');
    await admin.fill('form[action="/spaces/new"] input[name="name"]', 'Human Resources');
    await admin.fill('form[action="/spaces/new"] input[name="slug"]', 'hr');
    await admin.check('form[action="/spaces/new"] input[name="visibility"][value="private"]');
    await admin.check('form[action="/spaces/new"] input[name="joinPolicy"][value="invite"]');
    await admin.click('form[action="/spaces/new"] [type="submit"]');
    await admin.waitForURL(`${base}/spaces/hr`);
    await shot(admin, '06-space');

    // Invite Mia.
    const add = admin.locator('form[action="/spaces/hr/members"]');
    await add.locator('input[name="handle"]').fill('mia');
    await add.locator('input[name="role"][value="member"]').check();
    await add.locator('[type="submit"]').click();
    await admin.waitForLoadState('networkidle');
    expect(await admin.locator('main').textContent()).toContain('Mia Member');
    await shot(admin, '07-member-added');

    // Mia signs in on her phone and finds the space.
    const mia = await newPage(390);
    await mia.goto('/login');
    await mia.fill('form[action="/login"] input[name="email"]', 'mia@example.test');
    await mia.fill('form[action="/login"] input[name="password"]', MEMBER_PASSWORD);
    await mia.click('form[action="/login"] [type="submit"]');
    await mia.waitForLoadState('networkidle');
    await mia.goto('/spaces');
    expect(await mia.content()).toContain('Human Resources');
    await shot(mia, '08-member-spaces-phone');
    await mia.goto('/spaces/hr');
    expect(await mia.locator('main').textContent()).toContain('Alex Admin');
    await shot(mia, '09-member-space-phone');
    const scrollWidth = await mia.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(390);
    await mia.goto('/notifications');
    await shot(mia, '10-member-notifications');
    expect(errors).toEqual([]);
  });
});
