import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import kudos from '@plein/example-kudos';

const PASSWORD = 'correct horse battery staple';

async function signIn(intranet: TestIntranet, email: string, password = PASSWORD) {
  const browser = intranet.agent();
  const res = await browser.post('/api/v1/auth/login').send({ email, password });
  const csrf = res.status === 200 ? (await browser.get('/api/v1/auth/csrf').expect(200)).body.token : null;
  return { browser, res, csrf: csrf as string };
}

describe('sign-in, sessions and tokens', () => {
  let intranet: TestIntranet;
  let admin: TestUser;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos] });
  });
  afterAll(() => intranet.close());

  it('sets up the first administrator once, and signs them in', async () => {
    const browser = intranet.agent();
    expect((await browser.get('/api/v1/auth/setup').expect(200)).body).toEqual({ needed: true });
    const res = await browser.post('/api/v1/auth/setup').send({ email: 'root@example.test', handle: 'root', displayName: 'Root', password: PASSWORD }).expect(201);
    expect(res.body.user).toMatchObject({ handle: 'root', roles: ['admin'] });
    expect(res.headers['set-cookie'][0]).toMatch(/plein_session=.+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax/);
    await browser.get('/api/v1/me').expect(200);
    await intranet.agent().post('/api/v1/auth/setup').send({ email: 'x@example.test', handle: 'x2', displayName: 'X', password: PASSWORD }).expect(409);
    admin = await intranet.createUser({ roles: ['admin'], handle: 'admin' });
  });

  it('signs in with a session cookie and out again', async () => {
    await intranet.createUser({ handle: 'ada', email: 'ada@example.test', password: PASSWORD });
    const { browser, res, csrf } = await signIn(intranet, 'ada@example.test');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ handle: 'ada', email: 'ada@example.test', permissions: expect.arrayContaining(['kudos.kudo.give']) });
    const me = await browser.get('/api/v1/me').expect(200);
    expect(me.body.handle).toBe('ada');
    // Signing out is a change too: without the token it is refused (no forced sign-out from other sites).
    await browser.post('/api/v1/auth/logout').expect(403);
    await browser.post('/api/v1/auth/logout').set('x-csrf-token', csrf).expect(204);
    await browser.get('/api/v1/me').expect(401);
  });

  it('answers a wrong password with 401 and records the failure in the audit log', async () => {
    const { res } = await signIn(intranet, 'ada@example.test', 'not the password');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const audit = await admin.http.get('/api/v1/audit').expect(200);
    expect(audit.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'core.signin.failed', details: expect.objectContaining({ reason: 'wrong password' }) })]));
  });

  it('throttles sign-in per account with 429 and Retry-After', async () => {
    await intranet.createUser({ handle: 'bob', email: 'bob@example.test', password: PASSWORD });
    for (let i = 0; i < 5; i++) expect((await signIn(intranet, 'bob@example.test', 'wrong')).res.status).toBe(401);
    const { res } = await signIn(intranet, 'bob@example.test');
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    intranet.clock.advance(16 * 60_000);
    expect((await signIn(intranet, 'bob@example.test')).res.status).toBe(200);
  });

  it('requires the CSRF token on cookie-authenticated changes, and not on bearer tokens', async () => {
    const { browser, csrf } = await signIn(intranet, 'ada@example.test');
    await browser.post('/api/v1/auth/tokens').send({ name: 'script' }).expect(403);
    await browser.post('/api/v1/auth/tokens').set('x-csrf-token', 'forged').send({ name: 'script' }).expect(403);
    await browser.post('/api/v1/auth/tokens').set('x-csrf-token', csrf).set('origin', 'https://evil.example').send({ name: 'script' }).expect(403);
    await browser.post('/api/v1/auth/tokens').set('x-csrf-token', csrf).set('sec-fetch-site', 'cross-site').send({ name: 'script' }).expect(403);
    const issued = await browser.post('/api/v1/auth/tokens').set('x-csrf-token', csrf).send({ name: 'script' }).expect(201);
    expect(issued.body.token).toMatch(/^plein_/);
    // The token works without CSRF, is listed without its secret, and stops working when revoked.
    const bearer = intranet.agent().auth(issued.body.token, { type: 'bearer' });
    await bearer.get('/api/v1/me').expect(200);
    const list = await bearer.get('/api/v1/auth/tokens').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(issued.body.token);
    await bearer.delete(`/api/v1/auth/tokens/${issued.body.id}`).expect(204);
    await bearer.get('/api/v1/me').expect(401);
  });

  it('ends the sessions of a suspended user and refuses their sign-in', async () => {
    const carol = await intranet.createUser({ handle: 'carol', email: 'carol@example.test', password: PASSWORD });
    const { browser } = await signIn(intranet, 'carol@example.test');
    await browser.get('/api/v1/me').expect(200);
    await admin.http.patch(`/api/v1/users/${carol.user.id}`).send({ status: 'suspended' }).expect(200);
    await browser.get('/api/v1/me').expect(401);
    await carol.http.get('/api/v1/me').expect(401);
    expect((await signIn(intranet, 'carol@example.test')).res.status).toBe(401);
    const audit = await admin.http.get('/api/v1/audit').expect(200);
    expect(audit.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'core.user.status-changed', details: { from: 'active', to: 'suspended' } })]));
  });

  it('asks for the current password before changing it, and ends other sessions', async () => {
    const erin = await intranet.createUser({ handle: 'erin', email: 'erin@example.test', password: PASSWORD });
    const other = await signIn(intranet, 'erin@example.test');
    const missing = await erin.http.patch('/api/v1/me').send({ password: 'a brand new passphrase' }).expect(422);
    expect(missing.body.errors[0].field).toBe('currentPassword');
    const wrong = await erin.http.patch('/api/v1/me').send({ password: 'a brand new passphrase', currentPassword: 'guess' }).expect(422);
    expect(wrong.body.errors).toEqual([{ field: 'currentPassword', message: 'is not your current password' }]);
    await erin.http.patch('/api/v1/me').send({ password: 'a brand new passphrase', currentPassword: PASSWORD }).expect(200);
    await other.browser.get('/api/v1/me').expect(401);
    expect((await signIn(intranet, 'erin@example.test', 'a brand new passphrase')).res.status).toBe(200);
  });

  it('lets administrators create users and change roles, and no one else', async () => {
    const member = await intranet.createUser();
    await member.http.post('/api/v1/users').send({ email: 'dan@example.test', handle: 'dan', displayName: 'Dan' }).expect(403);
    const created = await admin.http.post('/api/v1/users').send({ email: 'dan@example.test', handle: 'dan', displayName: 'Dan' }).expect(201);
    const bad = await admin.http.patch(`/api/v1/users/${created.body.id}`).send({ roles: ['wizard'] }).expect(422);
    expect(bad.body.errors).toEqual([{ field: 'roles', message: "no role named 'wizard'" }]);
    await admin.http.patch(`/api/v1/users/${created.body.id}`).send({ roles: ['moderator'] }).expect(200);
    const dup = await admin.http.post('/api/v1/users').send({ email: 'DAN@example.test', handle: 'dan2', displayName: 'Dan' }).expect(422);
    expect(dup.body.errors).toEqual([{ field: 'email', message: 'is already taken' }]);
  });
});

describe('spaces, roles and grants', () => {
  let intranet: TestIntranet;
  let admin: TestUser;
  let owner: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos] });
    admin = await intranet.createUser({ roles: ['admin'] });
    owner = await intranet.createUser({ handle: 'owner' });
    outsider = await intranet.createUser({ handle: 'outsider' });
  });
  afterAll(() => intranet.close());

  it('hides a private space from non-members everywhere (404), and shows it to members', async () => {
    const hr = await owner.http.post('/api/v1/spaces').send({ slug: 'hr', name: 'Human Resources', visibility: 'private', joinPolicy: 'invite' }).expect(201);
    expect(hr.body).toMatchObject({ slug: 'hr', myRole: 'admin' });
    await outsider.http.get('/api/v1/spaces/hr').expect(404);
    await outsider.http.get(`/api/v1/spaces/${hr.body.id}/members`).expect(404);
    await outsider.http.post('/api/v1/spaces/hr/join').expect(404);
    await intranet.http.get('/api/v1/spaces/hr').expect(404);
    expect((await outsider.http.get('/api/v1/spaces').expect(200)).body.items.map((s: { slug: string }) => s.slug)).not.toContain('hr');
    await admin.http.get('/api/v1/spaces/hr').expect(200);

    await owner.http.post('/api/v1/spaces/hr/members').send({ userId: outsider.user.id, role: 'member' }).expect(201);
    await outsider.http.get('/api/v1/spaces/hr').expect(200);
    expect((await outsider.http.get('/api/v1/spaces').expect(200)).body.items.map((s: { slug: string }) => s.slug)).toContain('hr');
    // A member may not manage the space.
    await outsider.http.patch('/api/v1/spaces/hr').send({ name: 'Mine now' }).expect(403);
    await owner.http.patch('/api/v1/spaces/hr').send({ name: 'People' }).expect(200);
  });

  it('follows each join policy', async () => {
    await owner.http.post('/api/v1/spaces').send({ slug: 'open-house', name: 'Open', visibility: 'public', joinPolicy: 'open' }).expect(201);
    await owner.http.post('/api/v1/spaces').send({ slug: 'ask-first', name: 'Ask', visibility: 'public', joinPolicy: 'request' }).expect(201);
    await owner.http.post('/api/v1/spaces').send({ slug: 'closed', name: 'Closed', visibility: 'public', joinPolicy: 'invite' }).expect(201);
    expect((await outsider.http.post('/api/v1/spaces/open-house/join').expect(200)).body).toMatchObject({ role: 'member', status: 'active' });
    expect((await outsider.http.post('/api/v1/spaces/ask-first/join').expect(200)).body).toMatchObject({ status: 'requested' });
    await outsider.http.post('/api/v1/spaces/closed/join').expect(409);
    await intranet.http.post('/api/v1/spaces/open-house/join').expect(401);
  });

  it('keeps a space from losing its last admin', async () => {
    const res = await owner.http.post('/api/v1/spaces/closed/leave').expect(409);
    expect(res.body.detail).toContain('at least one admin');
    const demoted = await owner.http.post('/api/v1/spaces/closed/members').send({ userId: owner.user.id, role: 'member' }).expect(409);
    expect(demoted.body.detail).toContain('at least one admin');
  });

  it('rejects bad space input naming the field', async () => {
    const res = await owner.http.post('/api/v1/spaces').send({ slug: '../etc', name: '', visibility: 'secret', joinPolicy: 'open' }).expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'slug', 'visibility']);
    const taken = await owner.http.post('/api/v1/spaces').send({ slug: 'hr', name: 'x', visibility: 'public', joinPolicy: 'open' }).expect(422);
    expect(taken.body.errors).toEqual([{ field: 'slug', message: 'is already taken' }]);
  });

  it('lets administrators define roles and change what each may do', async () => {
    const perms = await owner.http.get('/api/v1/permissions').expect(200);
    expect(perms.body.items).toEqual(expect.arrayContaining([{ name: 'kudos.kudo.give', plugin: 'kudos', description: 'Thank a colleague' }]));
    await owner.http.get('/api/v1/roles').expect(403);
    await admin.http.post('/api/v1/roles').send({ name: 'guest-author' }).expect(201);
    const member = (await admin.http.get('/api/v1/roles').expect(200)).body.items.find((r: { name: string }) => r.name === 'member');
    // Members lose the right to give kudos.
    await admin.http.put('/api/v1/roles/member/permissions').send({ permissions: member.permissions.filter((p: string) => p !== 'kudos.kudo.give') }).expect(200);
    await owner.http.post('/api/v1/kudos').send({ toUserId: outsider.user.id, message: 'thanks' }).expect(403);
    await admin.http.put('/api/v1/roles/member/permissions').send({ permissions: member.permissions }).expect(200);
    await owner.http.post('/api/v1/kudos').send({ toUserId: outsider.user.id, message: 'thanks' }).expect(201);
    const unknown = await admin.http.put('/api/v1/roles/member/permissions').send({ permissions: ['nope.nope.nope'] }).expect(422);
    expect(unknown.body.errors[0]).toEqual({ field: 'permissions', message: "no permission named 'nope.nope.nope'" });
    const audit = await admin.http.get('/api/v1/audit').expect(200);
    expect(audit.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'core.role.grants-changed', subject: 'role:member', details: expect.objectContaining({ removed: ['kudos.kudo.give'] }) })]));
  });
});

describe('notifications', () => {
  let intranet: TestIntranet;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos] });
  });
  afterAll(() => intranet.close());

  it('notifies in-app and by e-mail through the queue, per the person’s preference', async () => {
    const ada = await intranet.createUser({ handle: 'ada', email: 'ada@example.test' });
    const bob = await intranet.createUser({ handle: 'bob', email: 'bob@example.test' });
    await bob.http.post('/api/v1/kudos').send({ toUserId: ada.user.id, message: 'Great demo' }).expect(201);
    const inbox = await ada.http.get('/api/v1/notifications').expect(200);
    expect(inbox.body).toMatchObject({ unread: 1, items: [{ kind: 'kudos.received', title: 'Test User 2 thanked you', url: '/kudos', read: false }] });
    await intranet.runDueJobs();
    const mails = readdirSync(join(intranet.dataDir, 'mail')).map((f) => readFileSync(join(intranet.dataDir, 'mail', f), 'utf8'));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain('To: ada@example.test');
    expect(mails[0]).toContain('Subject: Test User 2 thanked you');

    await ada.http.put('/api/v1/notifications/preferences').send({ kind: 'kudos.received', channel: 'off' }).expect(200);
    await bob.http.post('/api/v1/kudos').send({ toUserId: ada.user.id, message: 'Again' }).expect(201);
    expect((await ada.http.get('/api/v1/notifications').expect(200)).body.items).toHaveLength(1);

    await ada.http.post('/api/v1/notifications/read').send({ all: true }).expect(200, { marked: 1 });
    // Each person reads notifications and their mail in their own language.
    const nl = await intranet.createUser({ handle: 'noor', email: 'noor@example.test' });
    await nl.http.patch('/api/v1/me').send({ locale: 'nl' }).expect(200);
    await bob.http.post('/api/v1/kudos').send({ toUserId: nl.user.id, message: 'Dank!' }).expect(201);
    expect((await nl.http.get('/api/v1/notifications').expect(200)).body.items[0].title).toBe('Test User 2 bedankte je');
    await intranet.runDueJobs();
    const dutch = readdirSync(join(intranet.dataDir, 'mail')).map((f) => readFileSync(join(intranet.dataDir, 'mail', f), 'utf8')).find((m) => m.includes('To: noor@example.test'));
    expect(dutch).toContain('Kies welke e-mails je krijgt op');
    expect((await ada.http.get('/api/v1/notifications').expect(200)).body.unread).toBe(0);
    const bad = await ada.http.put('/api/v1/notifications/preferences').send({ kind: 'nope', channel: 'email' }).expect(422);
    expect(bad.body.errors[0].field).toBe('kind');
  });
});
