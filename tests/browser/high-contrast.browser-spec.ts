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
const PASSWORD = 'a long admin passphrase';

/** How the focused element is drawn, as the browser computed it. */
interface FocusStyle {
  tag: string;
  text: string;
  outlineStyle: string;
  outlineWidth: number;
  outlineColor: string;
  background: string;
}

/**
 * The high-contrast theme in a real browser: an administrator switches to it on the admin page
 * (no restart), then the start page and a wiki page are shown in it. Keyboard focus is visible on
 * links and buttons, links are underlined, the base font is larger, and nothing trips the CSP.
 */
describe('the high-contrast theme in a browser', () => {
  let intranet: TestIntranet;
  let browser: Browser;
  let base: string;
  let pagePath: string;
  const errors: string[] = [];

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: ['@plein/plugin-wiki'] });
    base = await intranet.url();
    await intranet.createUser({ handle: 'ada', email: 'ada@example.test', displayName: 'Ada Admin', roles: ['admin'], password: PASSWORD });
    const bea = await intranet.createUser({ handle: 'bea', displayName: 'Bea Bakker' });
    const body = '## Before you start\n\nDescale the [[Coffee machine]] every month.\n\n## Filters\n\nThe café has spare filters.\n\n## Who\n\n- Ada on Mondays\n- Bea on Fridays';
    pagePath = (await bea.http.post('/api/v1/wiki/pages').send({ title: 'Coffee rota', body }).expect(201)).body.path;
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

  async function signedInPage(width = 1280): Promise<Page> {
    const context = await browser.newContext({ baseURL: base, viewport: { width, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    // A stylesheet or script the CSP refused shows up here.
    page.on('console', (m) => m.type() === 'error' && errors.push(`${m.text()} ${m.location().url}`));
    await page.goto('/login');
    await page.fill('input[name="email"]', 'ada@example.test');
    await page.fill('input[name="password"]', PASSWORD);
    await page.click('form[action="/login"] [type="submit"]');
    await page.waitForURL(`${base}/`);
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const focused = (page: Page): Promise<FocusStyle> =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { tag: el.tagName, text: (el.textContent ?? '').trim(), outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), outlineColor: style.outlineColor, background: style.backgroundColor };
    });
  /** Presses Tab until `accept` likes the focused element (at most 40 times). */
  async function tabTo(page: Page, accept: (f: FocusStyle) => boolean): Promise<FocusStyle> {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (accept(f)) return f;
    }
    throw new Error('Tab never reached the element looked for');
  }

  it('switches to the high-contrast theme from the admin page, without a restart', async () => {
    const page = await signedInPage();
    expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('16px');
    await page.goto('/admin/themes');
    await shot(page, 'high-contrast-01-admin-default');
    await page.check('input[name="theme"][value="high-contrast"]');
    await page.click('form[action="/admin/themes"] button[type="submit"]');
    await page.waitForURL(`${base}/admin/themes`);
    await expect(page.locator('.flash').textContent()).resolves.toBe('Done: Every page is now shown in the theme High contrast.');
    await expect(page.locator('html').getAttribute('class')).resolves.toBe('theme-high-contrast');
    await shot(page, 'high-contrast-02-admin-switched');
    expect(errors).toEqual([]);
  });

  it('shows the start page with a larger font, underlined links and a focus ring a keyboard user cannot miss', async () => {
    const page = await signedInPage();
    expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('18px');
    const link = page.locator('.main-nav a').first();
    await expect(link.evaluate((a) => getComputedStyle(a).textDecorationLine)).resolves.toContain('underline');
    await shot(page, 'high-contrast-03-home');

    // The first Tab reaches the skip link, which appears with the ring.
    const skip = await tabTo(page, () => true);
    expect(skip).toMatchObject({ tag: 'A', text: 'Skip to content' });
    expect(skip.outlineStyle).not.toBe('none');
    expect(skip.outlineWidth).toBeGreaterThanOrEqual(2);
    // A link in the menu: a solid black ring and the yellow halo behind its text.
    const nav = await tabTo(page, (f) => f.tag === 'A' && f.text === 'Spaces');
    expect(nav.outlineStyle).toBe('solid');
    expect(nav.outlineWidth).toBeGreaterThanOrEqual(3);
    expect(nav.outlineColor).toBe('rgb(0, 0, 0)');
    expect(nav.background).toBe('rgb(255, 221, 0)');
    await shot(page, 'high-contrast-04-home-focus-link');
    // A button too.
    const button = await tabTo(page, (f) => f.tag === 'BUTTON');
    expect(button.outlineStyle).toBe('solid');
    expect(button.outlineWidth).toBeGreaterThanOrEqual(3);
    await shot(page, 'high-contrast-05-home-focus-button');
    expect(errors).toEqual([]);
  });

  it("shows a wiki page through the theme's own page view, text before the page tree, on a desktop and on a phone", async () => {
    for (const width of [1280, 390]) {
      const page = await signedInPage(width);
      await page.goto(pagePath);
      await expect(page.locator('h1').textContent()).resolves.toBe('Coffee rota');
      await expect(page.locator('.hc-wiki-page').count()).resolves.toBe(1);
      const order = await page.evaluate(() => {
        const text = document.querySelector('.wiki-content')!.getBoundingClientRect().top;
        const tree = document.querySelector('.hc-wiki-tree')!.getBoundingClientRect().top;
        return text < tree;
      });
      expect(order).toBe(true);
      // The page does not scroll sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      // A link not written yet is dashed and marked, not only coloured.
      const missing = page.locator('.wiki-content a.wikilink.missing').first();
      await expect(missing.evaluate((a) => getComputedStyle(a).textDecorationStyle)).resolves.toBe('dashed');
      await shot(page, `high-contrast-06-wiki-page-${width}`);
      // Keyboard focus on a link of the contents.
      const toc = await tabTo(page, (f) => f.tag === 'A' && f.text === 'Filters');
      expect(toc.outlineStyle).not.toBe('none');
      await shot(page, `high-contrast-07-wiki-page-focus-${width}`);
    }
    expect(errors).toEqual([]);
  });
});
