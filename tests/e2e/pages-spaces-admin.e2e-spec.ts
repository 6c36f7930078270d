import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get } from '@nestjs/common';
import { definePlugin, Public, Render, Users } from '@plein/sdk';
import { createTestIntranet, type TestHttp, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import kudos from '@plein/example-kudos';
import Handlebars from 'handlebars';
import { AuditService } from '../../core/src/audit/audit.service';
import { NotificationsService } from '../../core/src/notifications/notifications.service';
import { PermissionsService } from '../../core/src/permissions/permissions.service';
import { csrfOf, PASSWORD, signIn, submit } from './pages-helpers';

/** A plugin that fills the `content.actions` slot, with its own catalogue: what the moderation plugin's "Report" will do. */
function slotPlugin(root: string) {
  mkdirSync(join(root, 'views', 'slots'), { recursive: true });
  mkdirSync(join(root, 'locales'));
  writeFileSync(join(root, 'package.json'), '{"name":"slotter"}');
  writeFileSync(join(root, 'views', 'slots', 'content.actions.hbs'), '<a class="report" href="/slotter/report?content={{encode item.contentId}}">{{t "slotter.report"}}</a>');
  writeFileSync(join(root, 'locales', 'en.json'), JSON.stringify({ 'slotter.report': 'Report this' }));
  writeFileSync(join(root, 'locales', 'nl.json'), JSON.stringify({ 'slotter.report': 'Dit melden' }));
  @Controller()
  class SlotterPage {
    @Get('report') @Public() @Render('slotter/report') report() {
      return { title: 'slotter.report' };
    }
  }
  writeFileSync(join(root, 'views', 'report.hbs'), '<p>{{t "slotter.report"}}</p>');
  return definePlugin({ id: 'slotter', version: '1.0.0', sdk: '^1.0.0', displayName: 'Slotter', root, views: 'views', locales: 'locales', pages: [SlotterPage] });
}

const XSS = {
  script: '<script>alert(1)</script>',
  attribute: '"><img src=x onerror=alert(1)>',
  svg: '<svg onload=alert(1)>',
  url: 'javascript:alert(1)',
};

/** Text as the theme prints it with {{…}}. */
const escaped = (text: string) => Handlebars.Utils.escapeExpression(text);

/** What a page must never contain once user input is in it. */
function expectInert(html: string): void {
  expect(html).not.toContain('<script>alert(1)</script>');
  expect(html).not.toMatch(/<img src=x/i);
  expect(html).not.toMatch(/<svg onload/i);
  expect(html).not.toMatch(/href="javascript:/i);
  expect(html).not.toMatch(/\son[a-z]+=/i);
  // No inline script or style: the CSP forbids them, and the theme needs none.
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
  expect(html).not.toMatch(/\sstyle=/i);
}

jest.setTimeout(30_000);

describe('pages: spaces, notifications, profile and administration', () => {
  let intranet: TestIntranet;
  let root: string;
  let admin: TestHttp;
  let member: TestHttp;
  let outsider: TestHttp;
  let memberUser: TestUser;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'plein-slotter-'));
    intranet = await createTestIntranet({ plugins: [definePlugin({ ...kudos, locales: 'locales' }), slotPlugin(root)] });
    await intranet.createUser({ handle: 'root', email: 'root@example.test', displayName: 'Rita Root', roles: ['admin'], password: PASSWORD });
    memberUser = await intranet.createUser({ handle: 'max', email: 'max@example.test', displayName: 'Max Member', password: PASSWORD });
    await intranet.createUser({ handle: 'olga', email: 'olga@example.test', displayName: 'Olga Outsider', password: PASSWORD });
    admin = intranet.agent();
    member = intranet.agent();
    outsider = intranet.agent();
    await signIn(admin, 'root@example.test', PASSWORD);
    await signIn(member, 'max@example.test', PASSWORD);
    await signIn(outsider, 'olga@example.test', PASSWORD);
  });
  afterAll(async () => {
    await intranet.close();
    rmSync(root, { recursive: true, force: true });
  });

  describe('spaces', () => {
    it('creates a space through the form and shows it with its admin', async () => {
      const res = await submit(member, '/spaces/new', '/spaces/new', { name: 'Secret Lab', slug: 'lab', description: 'Where we try things', visibility: 'private', joinPolicy: 'invite' });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/spaces/lab');
      const page = await member.get('/spaces/lab').expect(200);
      expect(page.text).toContain('<h1>Secret Lab</h1>');
      expect(page.text).toContain('The space Secret Lab is ready.');
      expect(page.text).toContain('1 member');
      expect(page.text).toMatch(/Max Member<\/a> <span class="muted">\(you\)/);
      expect((await member.get('/spaces').expect(200)).text).toContain('href="/spaces/lab"');
    });

    it('shows the form again with the problems when the input is wrong', async () => {
      const bad = await submit(member, '/spaces/new', '/spaces/new', { name: 'Lab two', slug: 'Lab Two!', visibility: 'secret', joinPolicy: 'open' });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('value="Lab two"');
      expect(bad.text).toContain('id="space-slug-error"');
      expect(bad.text).toContain('Choose one of: public, private.');
      const taken = await submit(member, '/spaces/new', '/spaces/new', { name: 'Lab again', slug: 'lab', visibility: 'public', joinPolicy: 'open' });
      expect(taken.status).toBe(422);
      expect(taken.text).toContain('This is already taken.');
    });

    it('keeps a private space 404 to people outside it, on every page', async () => {
      const hidden = await outsider.get('/spaces/lab').expect(404);
      expect(hidden.headers['content-type']).toContain('text/html');
      expect(hidden.text).toContain('Page not found');
      expect((await outsider.get('/spaces').expect(200)).text).not.toContain('Secret Lab');
      await intranet.http.get('/spaces/lab').expect(404);
      const page = await outsider.get('/spaces').expect(200);
      await outsider.post('/spaces/lab/join').type('form').send({ _csrf: csrfOf(page.text) }).expect(404);
      await outsider.post('/spaces/lab/members').type('form').send({ _csrf: csrfOf(page.text), handle: 'olga', role: 'admin' }).expect(404);
    });

    it('lets a space admin add a member by username, change their role and remove them', async () => {
      const unknown = await submit(member, '/spaces/lab', '/spaces/lab/members', { handle: 'nobody', role: 'member' });
      expect(unknown.status).toBe(422);
      expect(unknown.text).toContain('Nobody has this username.');
      expect(unknown.text).toContain('<h1>Secret Lab</h1>');

      const added = await submit(member, '/spaces/lab', '/spaces/lab/members', { handle: 'olga', role: 'member' });
      expect(added.status).toBe(303);
      expect((await member.get('/spaces/lab').expect(200)).text).toContain('Olga Outsider is now member of this space.');
      const seen = await outsider.get('/spaces/lab').expect(200);
      expect(seen.text).toContain('2 members');
      expect(seen.text).toContain('Leave this space');

      const olga = await intranetUserId('olga');
      const changed = await submit(member, '/spaces/lab', `/spaces/lab/members/${olga}`, { role: 'moderator' });
      expect(changed.status).toBe(303);
      expect((await member.get('/spaces/lab').expect(200)).text).toContain('Olga Outsider is now moderator of this space.');
      // Olga is not an admin of the space: she cannot manage its members.
      await outsider.post(`/spaces/lab/members/${olga}`).type('form').send({ _csrf: csrfOf(seen.text), role: 'admin' }).expect(403);

      const removed = await submit(member, '/spaces/lab', `/spaces/lab/members/${olga}/remove`, {});
      expect(removed.status).toBe(303);
      await outsider.get('/spaces/lab').expect(404);
      const actions = (await intranet.get(AuditService).list(100, null)).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['core.space.created', 'core.space.member-set', 'core.space.member-removed']));
    });

    it('keeps the last admin of a space', async () => {
      const res = await submit(member, '/spaces/lab', '/spaces/lab/leave', {});
      expect(res.status).toBe(303);
      expect((await member.get('/spaces/lab').expect(200)).text).toContain('A space keeps at least one admin');
    });

    it('lets people join an open space, and ask to join one that wants a request', async () => {
      await submit(admin, '/spaces/new', '/spaces/new', { name: 'Coffee', slug: 'coffee', visibility: 'public', joinPolicy: 'open' });
      await submit(admin, '/spaces/new', '/spaces/new', { name: 'Board', slug: 'board', visibility: 'public', joinPolicy: 'request' });
      const list = await outsider.get('/spaces').expect(200);
      expect(list.text).toContain('action="/spaces/coffee/join"');
      await outsider.post('/spaces/coffee/join').type('form').send({ _csrf: csrfOf(list.text) }).expect(303);
      expect((await outsider.get('/spaces/coffee').expect(200)).text).toContain('You joined Coffee.');
      await outsider.post('/spaces/board/join').type('form').send({ _csrf: csrfOf(list.text) }).expect(303);
      expect((await outsider.get('/spaces/board').expect(200)).text).toContain('Request pending');
      const board = await admin.get('/spaces/board').expect(200);
      expect(board.text).toContain('Asking to join');
      const olga = await intranetUserId('olga');
      await admin.post(`/spaces/board/members/${olga}`).type('form').send({ _csrf: csrfOf(board.text), role: 'member' }).expect(303);
      expect((await outsider.get('/spaces/board').expect(200)).text).toContain('Leave this space');
    });
  });

  describe('notifications', () => {
    it('shows the unread count in the navigation, lists, and marks read', async () => {
      await submit(admin, '/spaces/coffee', '/spaces/coffee/members', { handle: 'max', role: 'member' });
      const page = await member.get('/notifications').expect(200);
      expect(page.text).toMatch(/Notifications <span class="badge" aria-hidden="true">1<\/span>/);
      expect(page.text).toContain('Rita Root added you to Coffee');
      expect(page.text).toContain('href="/spaces/coffee"');
      await member.post('/notifications/read').type('form').send({ _csrf: csrfOf(page.text), all: '1' }).expect(303);
      const after = await member.get('/notifications').expect(200);
      expect(after.text).toContain('1 notification marked as read.');
      expect(after.text).toContain('Nothing unread.');
      expect(after.text).not.toContain('class="badge"');
    });

    it('saves a channel per kind, and refuses one that does not exist', async () => {
      const saved = await submit(member, '/notifications/settings', '/notifications/settings', { 'core.space.added': 'off', 'kudos.received': 'email' });
      expect(saved.status).toBe(303);
      const page = await member.get('/notifications/settings').expect(200);
      expect(page.text).toMatch(/name="core\.space\.added" value="off" checked/);
      expect(page.text).toMatch(/name="kudos\.received" value="email" checked/);
      const channels = await intranet.get(NotificationsService).channels(memberUser.user.id);
      expect(channels.get('core.space.added')).toBe('off');
      const bad = await submit(member, '/notifications/settings', '/notifications/settings', { 'core.space.added': 'pigeon' });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('Choose one of: off, in-app, email.');
    });
  });

  describe('profile', () => {
    it('creates a personal access token shown once, which works until revoked', async () => {
      const created = await submit(member, '/profile', '/profile/tokens', { name: 'backup script' });
      expect(created.status).toBe(201);
      const token = /<code class="secret">(plein_[A-Za-z0-9_-]+)<\/code>/.exec(created.text)?.[1];
      expect(token).toBeDefined();
      const again = await member.get('/profile').expect(200);
      expect(again.text).not.toContain(token!);
      expect(again.text).toContain('backup script');
      await intranet.agent().get('/api/v1/me').auth(token!, { type: 'bearer' }).expect(200);
      const id = /action="\/profile\/tokens\/([^/]+)\/revoke"/.exec(again.text)![1];
      await member.post(`/profile/tokens/${id}/revoke`).type('form').send({ _csrf: csrfOf(again.text) }).expect(303);
      await intranet.agent().get('/api/v1/me').auth(token!, { type: 'bearer' }).expect(401);
    });

    it('changes the password only with the current one, keeping this browser signed in', async () => {
      const wrong = await submit(member, '/profile', '/profile/password', { current: 'not it', password: 'max has a new password', confirm: 'max has a new password' });
      expect(wrong.status).toBe(422);
      expect(wrong.text).toContain('This is not your current password.');
      const other = intranet.agent();
      await signIn(other, 'max@example.test', PASSWORD);
      const ok = await submit(member, '/profile', '/profile/password', { current: PASSWORD, password: 'max has a new password', confirm: 'max has a new password' });
      expect(ok.status).toBe(303);
      expect((await member.get('/profile').expect(200)).text).toContain('Your password is changed.');
      await other.get('/profile').expect(303);
    });

    it("shows a colleague's profile with the spaces the viewer may see", async () => {
      const page = await outsider.get('/users/max').expect(200);
      expect(page.text).toContain('<h1>Max Member</h1>');
      expect(page.text).toContain('Coffee');
      expect(page.text).not.toContain('Secret Lab');
      await outsider.get('/users/nobody').expect(404);
    });
  });

  describe('administration', () => {
    it('saves the roles × permissions matrix, one role at a time', async () => {
      const page = await admin.get('/admin/roles').expect(200);
      expect(page.text).toContain('id="grants-member"');
      expect(page.text).toMatch(/form="grants-member" name="permissions" value="core\.space\.create" checked/);
      const permissions = intranet.get(PermissionsService);
      const before = (await permissions.listRoles()).find((r) => r.name === 'member')!.permissions;
      const wanted = before.filter((p) => p !== 'core.space.create');
      await admin.post('/admin/roles/member/permissions').type('form').send({ _csrf: csrfOf(page.text), permissions: wanted }).expect(303).expect('location', '/admin/roles');
      expect((await permissions.listRoles()).find((r) => r.name === 'member')!.permissions).toEqual(wanted);
      const after = await admin.get('/admin/roles').expect(200);
      expect(after.text).toContain('The permissions of member are saved.');
      expect(after.text).toMatch(/form="grants-member" name="permissions" value="core\.space\.create">/);
      const refused = await member.get('/spaces/new').expect(403);
      expect(refused.text).toContain('Not allowed');
      const audit = (await intranet.get(AuditService).list(100, null)).find((e) => e.action === 'core.role.grants-changed');
      expect(JSON.parse(audit!.details!)).toMatchObject({ removed: ['core.space.create'], added: [] });
      // A role with a single ticked box, and one with none.
      await admin.post('/admin/roles/moderator/permissions').type('form').send({ _csrf: csrfOf(page.text), permissions: 'core.content.review' }).expect(303);
      expect((await permissions.listRoles()).find((r) => r.name === 'moderator')!.permissions).toEqual(['core.content.review']);
      await admin.post('/admin/roles/member/permissions').type('form').send({ _csrf: csrfOf(page.text), permissions: before }).expect(303);
      const admins = await admin.post('/admin/roles/admin/permissions').type('form').send({ _csrf: csrfOf(page.text), permissions: [] }).expect(422);
      expect(admins.text).toContain('Administrators hold every permission');
      await member.post('/admin/roles/member/permissions').type('form').send({ _csrf: csrfOf((await member.get('/profile')).text), permissions: [] }).expect(403);
    });

    it('creates a custom role', async () => {
      const bad = await submit(admin, '/admin/roles', '/admin/roles', { name: 'Not OK!' });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('Use 2 to 32 characters: a-z, 0-9 and dashes, starting with a letter.');
      await submit(admin, '/admin/roles', '/admin/roles', { name: 'editor', description: 'Edits things' }).then((r) => expect(r.status).toBe(303));
      expect((await admin.get('/admin/roles').expect(200)).text).toContain('id="grants-editor"');
    });

    it('creates users, changes roles and status, and suspending ends their sessions', async () => {
      const created = await submit(admin, '/admin/users', '/admin/users', { displayName: 'Nina New', handle: 'nina', email: 'nina@example.test', password: 'nina has a password', roles: ['member', 'editor'] });
      expect(created.status).toBe(303);
      expect((await admin.get('/admin/users').expect(200)).text).toContain('Nina New has an account now.');
      const duplicate = await submit(admin, '/admin/users', '/admin/users', { displayName: 'Nina Two', handle: 'nina', email: 'nina2@example.test', roles: 'member' });
      expect(duplicate.status).toBe(422);
      expect(duplicate.text).toContain('This is already taken.');

      const nina = intranet.agent();
      await signIn(nina, 'nina@example.test', 'nina has a password');
      const id = await intranetUserId('nina');
      const page = await admin.get('/admin/users').expect(200);
      await admin.post(`/admin/users/${id}`).type('form').send({ _csrf: csrfOf(page.text), roles: ['member'], status: 'suspended' }).expect(303);
      await nina.get('/profile').expect(303);
      expect((await submit(intranet.agent(), '/login', '/login', { email: 'nina@example.test', password: 'nina has a password' })).status).toBe(401);
      const actions = (await intranet.get(AuditService).list(100, null)).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['core.user.created', 'core.user.roles-changed', 'core.user.status-changed']));

      // Administrators cannot lock themselves out.
      const me = await intranetUserId('root');
      await admin.post(`/admin/users/${me}`).type('form').send({ _csrf: csrfOf(page.text), roles: ['admin'], status: 'suspended' }).expect(303);
      expect((await admin.get('/admin/users').expect(200)).text).toContain('You cannot suspend or deactivate yourself.');
      await member.get('/admin/users').expect(403);
    });

    it('disables and enables a plugin, and shows why a plugin failed', async () => {
      const page = await admin.get('/admin/plugins').expect(200);
      expect(page.text).toContain('action="/admin/plugins/kudos/disable"');
      await admin.post('/admin/plugins/kudos/disable').type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
      await intranet.http.get('/kudos').expect(404);
      expect((await admin.get('/admin/plugins').expect(200)).text).toContain('Kudos is disabled.');
      await admin.post('/admin/plugins/kudos/enable').type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
      await intranet.http.get('/kudos').expect(200);
      const actions = (await intranet.get(AuditService).list(100, null)).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['core.plugin.disabled', 'core.plugin.enabled']));
    });

    it('pages through the audit log', async () => {
      const audit = intranet.get(AuditService);
      for (let i = 0; i < 55; i++) await audit.record('core', { action: 'core.test.filler', subject: `n:${i}` });
      const first = await admin.get('/admin/audit').expect(200);
      expect(first.text).toContain('core.test.filler');
      const next = /href="(\/admin\/audit\?cursor[^"]+)" rel="next"/.exec(first.text)![1].replace(/&#x3D;/g, '=');
      const second = await admin.get(next).expect(200);
      expect(second.text).toContain('core.space.created');
      await admin.get('/admin/audit?cursor=garbage').expect(200);
    });
  });

  describe('plugins on pages', () => {
    it('renders what plugins put in a slot, in the reader’s language, only while the plugin is on', async () => {
      await memberUser.http.post('/api/v1/kudos').send({ toUserId: await intranetUserId('olga'), message: 'Thanks for the coffee' }).expect(201);
      const en = await intranet.http.get('/kudos').set('accept-language', 'en').expect(200);
      expect(en.text).toContain('Max Member thanked Olga Outsider');
      expect(en.text).toMatch(/<a class="report" href="\/slotter\/report\?content=[0-9a-f-]{36}">Report this<\/a>/);
      const nl = await intranet.http.get('/kudos').set('accept-language', 'nl').expect(200);
      expect(nl.text).toContain('Recente bedankjes');
      expect(nl.text).toContain('Max Member bedankte Olga Outsider');
      expect(nl.text).toContain('>Dit melden</a>');
      const page = await admin.get('/admin/plugins').expect(200);
      await admin.post('/admin/plugins/slotter/disable').type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
      expect((await intranet.http.get('/kudos').expect(200)).text).not.toContain('class="report"');
      await admin.post('/admin/plugins/slotter/enable').type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
    });
  });

  describe('safety', () => {
    it('renders the classic XSS vectors in names, descriptions and links inert', async () => {
      const mallory = await intranet.createUser({ handle: 'mallory', email: 'mallory@example.test', displayName: XSS.script, password: PASSWORD });
      const browser = intranet.agent();
      await signIn(browser, 'mallory@example.test', PASSWORD);
      await submit(admin, '/admin/roles', '/admin/roles', { name: 'xss-check' });
      const created = await submit(browser, '/spaces/new', '/spaces/new', { name: XSS.attribute, slug: 'xss', description: `${XSS.svg} ${XSS.url}`, visibility: 'public', joinPolicy: 'open' });
      expect(created.status).toBe(303);
      await submit(browser, '/spaces/xss', '/spaces/xss/members', { handle: 'max', role: 'member' });
      await intranet.get(NotificationsService).notify('core', [mallory.user.id], { kind: 'core.space.added', title: XSS.attribute, url: XSS.url });
      await submit(browser, '/profile', '/profile/tokens', { name: XSS.script }).then((r) => expectInert(r.text));
      // Bad input echoed back into a form is escaped too.
      const echoed = await submit(browser, '/spaces/new', '/spaces/new', { name: XSS.attribute, slug: XSS.attribute, visibility: 'public', joinPolicy: 'open' });
      expect(echoed.status).toBe(422);
      expectInert(echoed.text);
      expect(echoed.text).toContain(`value="${escaped(XSS.attribute)}"`);

      for (const [who, path] of [
        [browser, '/'],
        [browser, '/spaces'],
        [browser, '/spaces/xss'],
        [browser, '/notifications'],
        [browser, '/profile'],
        [browser, '/users/mallory'],
        [member, '/notifications'],
        [admin, '/admin/users'],
        [admin, '/admin/audit'],
        [intranet.http, '/spaces/xss'],
        [intranet.http, '/login?next=javascript:alert(1)'],
      ] as Array<[TestHttp, string]>) {
        const page = await who.get(path).expect(200);
        expectInert(page.text);
      }
      const space = await browser.get('/spaces/xss').expect(200);
      expect(space.text).toContain(`<h1>${escaped(XSS.attribute)}</h1>`);
      expect(space.text).toContain(escaped(XSS.script));
      expect(space.text).toContain(escaped(`${XSS.svg} ${XSS.url}`));
      const notifications = await browser.get('/notifications').expect(200);
      expect(notifications.text).toContain(escaped(XSS.attribute));
      expect(notifications.text).not.toContain('javascript:alert(1)');
    });

    it('sends a Content-Security-Policy that forbids inline script on every page', async () => {
      const res = await intranet.http.get('/login').expect(200);
      const csp = String(res.headers['content-security-policy']);
      const scriptSrc = /script-src ([^;]+)/.exec(csp)![1];
      expect(scriptSrc.trim()).toBe("'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toMatch(/style-src 'self'/);
      expect(csp).toMatch(/script-src-attr 'none'/);
      const css = await intranet.http.get('/assets/theme/plein.css').expect(200);
      expect(css.headers['content-type']).toContain('text/css');
      await intranet.http.get('/assets/theme/plein.js').expect(200);
    });
  });

  describe('every page, without JavaScript', () => {
    it('answers 200 with a whole page to the people it is for', async () => {
      const pages: Array<[TestHttp, string, string]> = [
        [intranet.http, '/', 'Welcome to Plein'],
        [intranet.http, '/login', 'Sign in'],
        [intranet.http, '/password/forgot', 'Forgot your password?'],
        [intranet.http, '/spaces', 'Spaces'],
        [intranet.http, '/spaces/coffee', 'Coffee'],
        [intranet.http, '/kudos', 'Kudos'],
        [member, '/', 'Welcome, Max Member'],
        [member, '/profile', 'Your profile'],
        [member, '/users/olga', 'Olga Outsider'],
        [member, '/spaces', 'Spaces'],
        [member, '/spaces/lab', 'Secret Lab'],
        [member, '/notifications', 'Notifications'],
        [member, '/notifications/settings', 'Notification settings'],
        [admin, '/spaces/new', 'New space'],
        [admin, '/admin/users', 'Users'],
        [admin, '/admin/roles', 'Roles and permissions'],
        [admin, '/admin/plugins', 'Plugins'],
        [admin, '/admin/audit', 'Audit log'],
      ];
      for (const [who, path, heading] of pages) {
        const res = await who.get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        expect(res.headers['content-type']).toContain('text/html');
        expect(res.text).toContain(`<h1>${heading}`);
        expect(res.text).toContain('<a class="skip" href="#main">');
        expect(res.text).toContain('<main id="main"');
        expectInert(res.text);
        // Every form control has a label: an id with a <label for>, or an aria-label.
        for (const m of res.text.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
          if (/type="(hidden|submit)"/.test(m[2])) continue;
          const id = /\sid="([^"]+)"/.exec(m[2])?.[1];
          const labelled = /aria-label=/.test(m[2]) || (id !== undefined && res.text.includes(`for="${id}"`));
          expect({ path, control: m[0], labelled }).toEqual({ path, control: m[0], labelled: true });
        }
      }
    });

    it('answers people without access with pages, and programs with problem documents', async () => {
      await intranet.http.get('/admin/users').expect(303).expect('location', '/login?next=%2Fadmin%2Fusers');
      const forbidden = await member.get('/admin/users').expect(403);
      expect(forbidden.headers['content-type']).toContain('text/html');
      expect(forbidden.text).toContain('You do not have permission');
      const missing = await member.get('/no/such/page').expect(404);
      expect(missing.headers['content-type']).toContain('text/html');
      // The navigation still knows who is asking.
      expect(missing.text).toContain('Max Member');
      const api = await member.get('/api/v1/no/such/thing').expect(404);
      expect(api.headers['content-type']).toContain('application/problem+json');
      const nl = await member.get('/no/such/page').set('accept-language', 'nl').expect(404);
      expect(nl.text).toContain('Pagina niet gevonden');
    });
  });

  async function intranetUserId(handle: string): Promise<string> {
    return (await intranet.get(Users).findByHandle(handle))!.id;
  }
});
