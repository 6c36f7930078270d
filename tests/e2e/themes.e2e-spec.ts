import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wiki from '@plein/plugin-wiki';
import { createTestIntranet, type TestHttp, type TestIntranet } from '@plein/sdk/testing';
import request from 'supertest';
import { loadConfig } from '../../core/src/config/config';
import { hashPassword } from '../../core/src/users/passwords';
import { ActiveTheme } from '../../core/src/views/active-theme';
import { PluginSettings } from '../../core/src/settings/settings.service';
import { DatabaseService } from '../../core/src/database/database.service';
import { eventually } from './helpers';
import { severalInstances } from './instances';
import { csrfOf, PASSWORD, signIn, submit } from './pages-helpers';

jest.setTimeout(60_000);

/** What tells the two layouts apart: the high-contrast layout loads its own stylesheet over plein.css. */
const HIGH_CONTRAST = '<link rel="stylesheet" href="/assets/theme/high-contrast.css">';
const isHighContrast = (html: string) => html.includes(HIGH_CONTRAST) && html.includes('class="theme-high-contrast"');

describe('choosing the theme', () => {
  let intranet: TestIntranet;
  let admin: TestHttp;
  let member: TestHttp;
  let pagePath: string;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [wiki] });
    await intranet.createUser({ handle: 'root', email: 'root@example.test', displayName: 'Rita Root', roles: ['admin'], password: PASSWORD });
    const max = await intranet.createUser({ handle: 'max', email: 'max@example.test', displayName: 'Max Member', password: PASSWORD });
    admin = intranet.agent();
    member = intranet.agent();
    await signIn(admin, 'root@example.test', PASSWORD);
    await signIn(member, 'max@example.test', PASSWORD);
    pagePath = (await max.http.post('/api/v1/wiki/pages').send({ title: 'Coffee rota', body: '## Who\n\nAda on Mondays.\n\n## When\n\nAt ten.\n\n### Where\n\nUpstairs.' }).expect(201)).body.path;
  });
  afterAll(() => intranet.close());

  it('shows the configured theme until an administrator chooses one', async () => {
    const home = await intranet.http.get('/').expect(200);
    expect(home.text).toContain('<link rel="stylesheet" href="/assets/theme/plein.css">');
    expect(isHighContrast(home.text)).toBe(false);
    const page = await admin.get('/admin/themes').expect(200);
    expect(page.text).toContain('Every page is shown in the theme Default.');
    // Each installed theme is a choice, with the configured one checked (no choice stored yet).
    expect(page.text).toMatch(/<input type="radio" id="theme-theme-0" name="theme" value="" checked/);
    expect(page.text).toMatch(/name="theme" value="high-contrast"[^>]*>\s*<label[^>]*>High contrast<\/label>/);
    expect(page.text).toContain('Based on Default: whatever it does not change comes from there.');
    expect(page.text).toContain('href="/admin/themes" aria-current="page"');
  });

  it('refuses people who are not administrators: 403 to a member, sign-in to a visitor', async () => {
    await member.get('/admin/themes').expect(403);
    const home = await member.get('/').expect(200);
    await member.post('/admin/themes').type('form').send({ _csrf: csrfOf(home.text), theme: 'high-contrast' }).expect(403);
    const visitor = await intranet.http.get('/admin/themes').expect(303);
    expect(visitor.headers.location).toBe('/login?next=%2Fadmin%2Fthemes');
    // No admin menu entry for a member either.
    expect(home.text).not.toContain('/admin/themes');
    expect(isHighContrast((await intranet.http.get('/').expect(200)).text)).toBe(false);
  });

  it('refuses a form without its CSRF token', async () => {
    await admin.post('/admin/themes').type('form').send({ theme: 'high-contrast' }).expect(403);
    expect(isHighContrast((await intranet.http.get('/').expect(200)).text)).toBe(false);
  });

  it('switches every page to the chosen theme at once, with a flash, and records who did it', async () => {
    const res = await submit(admin, '/admin/themes', '/admin/themes', { theme: 'high-contrast' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/themes');
    const after = await admin.get('/admin/themes').expect(200);
    expect(isHighContrast(after.text)).toBe(true);
    // The high-contrast flash writes its kind out.
    expect(after.text).toContain('<p class="flash flash-success"><strong class="flash-kind">Done:</strong> Every page is now shown in the theme High contrast.</p>');
    expect(after.text).toMatch(/name="theme" value="high-contrast" checked/);
    // Visitors too, without a restart; in Dutch with the theme's own words.
    const home = await intranet.http.get('/').set('accept-language', 'nl').expect(200);
    expect(isHighContrast(home.text)).toBe(true);
    expect(home.text).toContain('<html lang="nl" class="theme-high-contrast">');
    const audit = await admin.get('/api/v1/audit').expect(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'core.theme.chosen', subject: 'theme:high-contrast' });
  });

  it("serves the theme's own assets and inherits the rest from its parent", async () => {
    const own = await intranet.http.get('/assets/theme/high-contrast.css').expect(200);
    expect(own.headers['content-type']).toContain('text/css');
    expect(own.text).toContain('--focus-halo');
    const inherited = await intranet.http.get('/assets/theme/plein.css').expect(200);
    expect(inherited.text).toContain('Plein default theme');
    await intranet.http.get('/assets/theme/favicon.svg').expect(200);
    await intranet.http.get('/assets/theme/nothing.css').expect(404);
    // Nothing outside the themes' public/ folders: not the theme's package.json, not its templates.
    for (const path of ['..%2Fpackage.json', '%2e%2e%2fpackage.json', '%2E%2E/%2E%2E/package.json', '..%2Flayouts%2Fmain.hbs', '%2Fetc%2Fpasswd', '.%2Fhigh-contrast.css']) {
      await intranet.http.get(`/assets/theme/${path}`).expect(404);
    }
  });

  it("renders the wiki's page view from the theme's override, and the wiki's other views as they are", async () => {
    const page = await member.get(pagePath).expect(200);
    expect(page.text).toContain('<div class="hc-wiki-page">');
    // Text first, the page tree last.
    expect(page.text.indexOf('class="wiki-content"')).toBeLessThan(page.text.indexOf('class="hc-wiki-tree"'));
    expect(page.text).toContain('<h2 id="wiki-toc-title">On this page</h2>');
    const id = /\/wiki\/p\/([^/"]+)\/history/.exec(page.text)![1];
    const history = await member.get(`/wiki/p/${id}/history`).expect(200);
    expect(isHighContrast(history.text)).toBe(true);
    expect(history.text).not.toContain('hc-wiki-page');
  });

  it('shows the form again with the problem when the theme is not installed, and keeps the theme', async () => {
    const res = await submit(admin, '/admin/themes', '/admin/themes', { theme: 'no-such-theme' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('No theme “no-such-theme” can be used; choose one from the list.');
    expect(res.text).toContain('href="#theme-theme"');
    expect(isHighContrast(res.text)).toBe(true);
    expect((await submit(admin, '/admin/themes', '/admin/themes', {})).status).toBe(422);
  });

  it('goes back to the configured theme', async () => {
    const res = await submit(admin, '/admin/themes', '/admin/themes', { theme: '' });
    expect(res.status).toBe(303);
    const home = await intranet.http.get('/').expect(200);
    expect(isHighContrast(home.text)).toBe(false);
    expect((await member.get(pagePath).expect(200)).text).toContain('<div class="wiki-layout">');
    expect((await admin.get('/admin/themes').expect(200)).text).toContain('<p class="flash flash-success">Every page is now shown in the theme Default.</p>');
  });

  it('falls back to the configured theme when the chosen one is no longer installed', async () => {
    const themes = intranet.get(ActiveTheme);
    await new PluginSettings('core', undefined, intranet.get(DatabaseService), intranet.clock).update({ theme: 'uninstalled' });
    await themes.load();
    expect(themes.name).toBe('default');
    await intranet.http.get('/').expect(200);
    await themes.choose(null);
  });
});

describe('the theme on several instances', () => {
  const instances = severalInstances('plein-themes-');
  const instance = () => instances.instance({ env: { PLEIN_THEME: undefined } });
  afterAll(() => instances.close());

  it('applies a choice made through instance A on instance B within the state beat', async () => {
    const a = await instance();
    const b = await instance();
    await a.users.create({ email: 'root@example.test', handle: 'root', displayName: 'Rita Root', roles: ['admin'], passwordHash: await hashPassword(PASSWORD) });
    const browser = request.agent(a.app.getHttpServer());
    await signIn(browser, 'root@example.test', PASSWORD);
    const onB = () => request(b.app.getHttpServer()).get('/');
    expect(isHighContrast((await onB().expect(200)).text)).toBe(false);

    expect((await submit(browser, '/admin/themes', '/admin/themes', { theme: 'high-contrast' })).status).toBe(303);
    expect(isHighContrast((await request(a.app.getHttpServer()).get('/').expect(200)).text)).toBe(true);
    expect(await eventually(async () => isHighContrast((await onB().expect(200)).text))).toBe(true);

    expect((await submit(browser, '/admin/themes', '/admin/themes', { theme: '' })).status).toBe(303);
    expect(await eventually(async () => !isHighContrast((await onB().expect(200)).text))).toBe(true);
  });
});

describe('the configured theme', () => {
  it('is PLEIN_THEME, else the config file\'s theme, else default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plein-theme-config-'));
    try {
      const base = { PLEIN_CONFIG: undefined, PLEIN_DATA_DIR: dir, PLEIN_SECRET: 'x' };
      expect(loadConfig({ ...base, PLEIN_THEME: 'high-contrast' }, {}, dir).theme).toBe('high-contrast');
      expect(loadConfig({ ...base }, {}, dir).theme).toBe('default');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('boots in the configured theme', async () => {
    process.env.PLEIN_THEME = 'high-contrast';
    let intranet: TestIntranet;
    try {
      intranet = await createTestIntranet({ plugins: [] });
    } finally {
      delete process.env.PLEIN_THEME;
    }
    try {
      // A fresh install: the first-run page, in the configured theme.
      expect(isHighContrast((await intranet.http.get('/setup').expect(200)).text)).toBe(true);
    } finally {
      await intranet.close();
    }
  });
});
