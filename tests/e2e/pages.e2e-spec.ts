import { createTestIntranet, type TestIntranet } from '@plein/sdk/testing';
import kudos from '@plein/example-kudos';
import { AuditService } from '../../core/src/audit/audit.service';
import { csrfOf, mails, PASSWORD, signIn, submit } from './pages-helpers';

jest.setTimeout(30_000);

describe('pages: first run, sign-in, CSRF, password reset and language', () => {
  let intranet: TestIntranet;
  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos] });
  });
  afterAll(() => intranet.close());

  describe('first-run setup', () => {
    it('sends the first visitor to the setup, which creates the administrator and signs them in', async () => {
      const browser = intranet.agent();
      await browser.get('/').expect(303).expect('location', '/setup');
      await browser.get('/login').expect(303).expect('location', '/setup');
      const form = await browser.get('/setup').expect(200);
      expect(form.headers['content-type']).toContain('text/html');

      // Bad input comes back as the form, with the problems beside the fields and what was typed (but no password).
      const bad = await browser
        .post('/setup')
        .type('form')
        .send({ _csrf: csrfOf(form.text), displayName: 'Ada Lovelace', handle: 'a', email: 'not-an-address', password: PASSWORD, confirm: 'something else' })
        .expect(422);
      expect(bad.headers['content-type']).toContain('text/html');
      expect(bad.text).toContain('value="not-an-address"');
      expect(bad.text).toContain('Enter an e-mail address, like name@example.com.');
      expect(bad.text).toMatch(/id="setup-email-error"[\s\S]*aria-describedby="setup-email-error" aria-invalid="true"/);
      expect(bad.text).toContain('id="setup-handle-error"');
      expect(bad.text).not.toContain(PASSWORD);

      const res = await browser
        .post('/setup')
        .type('form')
        .send({ _csrf: csrfOf(form.text), displayName: 'Ada Lovelace', handle: 'ada', email: 'ada@example.test', password: PASSWORD, confirm: PASSWORD })
        .expect(303);
      expect(res.headers.location).toBe('/');
      expect(res.headers['set-cookie'].join(';')).toMatch(/plein_session=[^;]+;.*HttpOnly/);
      const home = await browser.get('/').expect(200);
      expect(home.text).toContain('<h1>Welcome, Ada Lovelace</h1>');
      expect(home.text).toMatch(/role="status">\s*<p class="flash flash-success">Plein is ready. Welcome, Ada Lovelace!<\/p>/);
      // The flash is shown once.
      expect((await browser.get('/').expect(200)).text).not.toContain('Plein is ready');
      // The administrator can open the admin pages.
      expect((await browser.get('/admin/users').expect(200)).text).toContain('ada@example.test');
    });

    it('refuses a second setup', async () => {
      const browser = intranet.agent();
      await browser.get('/setup').expect(303).expect('location', '/login');
      const login = await browser.get('/login').expect(200);
      await browser
        .post('/setup')
        .type('form')
        .send({ _csrf: csrfOf(login.text), displayName: 'Mallory', handle: 'mallory', email: 'mallory@example.test', password: PASSWORD, confirm: PASSWORD })
        .expect(404);
      await intranet.http.get('/api/v1/auth/setup').expect(200, { needed: false });
    });
  });

  describe('sign-in', () => {
    beforeAll(async () => {
      await intranet.createUser({ handle: 'bea', email: 'bea@example.test', displayName: 'Bea', password: PASSWORD });
    });

    it('shows an error on the form for a wrong password, and signs in with the right one', async () => {
      const browser = intranet.agent();
      const wrong = await submit(browser, '/login', '/login', { email: 'bea@example.test', password: 'not the password' });
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain('The e-mail address or password is not right, or the account is not active.');
      expect(wrong.text).toContain('value="bea@example.test"');
      expect(wrong.text).not.toContain('not the password');
      await signIn(browser, 'bea@example.test', PASSWORD);
      expect((await browser.get('/profile').expect(200)).text).toContain('@bea');
    });

    it('follows ?next= only to a path on this site', async () => {
      const cases: Array<[string, string]> = [
        ['/spaces', '/spaces'],
        ['//evil.example/x', '/'],
        ['/\\evil.example', '/'],
        ['https://evil.example/', '/'],
        ['javascript:alert(1)', '/'],
      ];
      for (const [next, location] of cases) {
        const browser = intranet.agent();
        const page = await browser.get(`/login?next=${encodeURIComponent(next)}`).expect(200);
        expect(page.text).not.toContain('javascript:');
        expect(page.text).not.toContain('evil.example');
        const res = await browser.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: 'bea@example.test', password: PASSWORD, next }).expect(303);
        expect(res.headers.location).toBe(location);
      }
    });

    it('sends an anonymous visitor of a members-only page to sign in, and back afterwards', async () => {
      const browser = intranet.agent();
      await browser.get('/profile').expect(303).expect('location', '/login?next=%2Fprofile');
      const page = await browser.get('/login?next=%2Fprofile').expect(200);
      const res = await browser.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: 'bea@example.test', password: PASSWORD, next: '/profile' }).expect(303);
      expect(res.headers.location).toBe('/profile');
    });

    it('answers a throttled sign-in with a 429 page that says when to try again', async () => {
      await intranet.createUser({ handle: 'cid', email: 'cid@example.test', password: PASSWORD });
      const browser = intranet.agent();
      for (let i = 0; i < 5; i++) expect((await submit(browser, '/login', '/login', { email: 'cid@example.test', password: `wrong ${i}` })).status).toBe(401);
      const throttled = await submit(browser, '/login', '/login', { email: 'cid@example.test', password: PASSWORD });
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(throttled.headers['content-type']).toContain('text/html');
      expect(throttled.text).toMatch(/Too many sign-in attempts. Wait \d+ minutes and try again./);
      intranet.clock.advance(16 * 60_000);
      await signIn(browser, 'cid@example.test', PASSWORD);
    });

    it('signs out with a form post and ends the session', async () => {
      const browser = intranet.agent();
      await signIn(browser, 'bea@example.test', PASSWORD);
      const page = await browser.get('/profile').expect(200);
      await browser.post('/logout').type('form').send({ _csrf: csrfOf(page.text) }).expect(303).expect('location', '/');
      expect((await browser.get('/').expect(200)).text).toContain('You are signed out.');
      await browser.get('/profile').expect(303);
    });
  });

  describe('CSRF', () => {
    it('refuses a signed-in form post without its token, or from another site', async () => {
      const browser = intranet.agent();
      await signIn(browser, 'bea@example.test', PASSWORD);
      const page = await browser.get('/spaces/new').expect(200);
      const fields = { name: 'Team', slug: 'csrf-team', visibility: 'public', joinPolicy: 'open' };
      const missing = await browser.post('/spaces/new').type('form').send(fields).expect(403);
      expect(missing.headers['content-type']).toContain('text/html');
      expect(missing.text).toContain('This form expired or did not come from this site.');
      await browser.post('/spaces/new').type('form').send({ ...fields, _csrf: 'forged' }).expect(403);
      await browser.post('/spaces/new').type('form').set('origin', 'https://evil.example').send({ ...fields, _csrf: csrfOf(page.text) }).expect(403);
      await browser.post('/spaces/new').type('form').set('sec-fetch-site', 'cross-site').send({ ...fields, _csrf: csrfOf(page.text) }).expect(403);
      await browser.get('/spaces/csrf-team').expect(404);
    });

    it('refuses an anonymous form post (sign-in, setup, password reset) without its token', async () => {
      const browser = intranet.agent();
      await browser.post('/login').type('form').send({ email: 'bea@example.test', password: PASSWORD }).expect(403);
      // Even with the anonymous cookie, the token must come along.
      await browser.get('/login').expect(200);
      await browser.post('/login').type('form').send({ email: 'bea@example.test', password: PASSWORD }).expect(403);
      await browser.post('/password/forgot').type('form').send({ email: 'bea@example.test' }).expect(403);
      const page = await browser.get('/login').expect(200);
      await browser.post('/login').type('form').set('origin', 'https://evil.example').send({ _csrf: csrfOf(page.text), email: 'bea@example.test', password: PASSWORD }).expect(403);
      // A token bound to another browser's cookie is no good either.
      const other = intranet.agent();
      await other.post('/login').type('form').send({ _csrf: csrfOf(page.text), email: 'bea@example.test', password: PASSWORD }).expect(403);
    });
  });

  describe('password reset', () => {
    beforeAll(async () => {
      await intranet.createUser({ handle: 'dora', email: 'dora@example.test', displayName: 'Dora', password: PASSWORD });
    });

    const linkIn = (mail: string) => /(http:\/\/[^\s"<]+\/password\/reset\/[A-Za-z0-9_-]+)/.exec(mail)?.[1];

    it('mails a one-time link that sets a new password and ends every session', async () => {
      const elsewhere = intranet.agent();
      await signIn(elsewhere, 'dora@example.test', PASSWORD);
      const before = mails(intranet.dataDir).length;

      const browser = intranet.agent();
      const asked = await submit(browser, '/password/forgot', '/password/forgot', { email: 'Dora@Example.test' });
      expect(asked.status).toBe(303);
      expect(asked.headers.location).toBe('/login');
      const unknown = await submit(intranet.agent(), '/password/forgot', '/password/forgot', { email: 'nobody@example.test' });
      // The same answer whether the account exists or not.
      expect([unknown.status, unknown.headers.location]).toEqual([asked.status, asked.headers.location]);
      expect((await browser.get('/login').expect(200)).text).toContain('If an account uses that address');

      await intranet.runDueJobs();
      const sent = mails(intranet.dataDir).slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatch(/^To: dora@example\.test/m);
      expect(sent[0]).toContain('Subject: Choose a new password for Plein');
      const link = linkIn(sent[0])!;
      expect(link).toBeDefined();
      const path = new URL(link).pathname;

      const form = await browser.get(path).expect(200);
      expect(form.text).toContain('Choose a new password');
      const mismatch = await browser.post(path).type('form').send({ _csrf: csrfOf(form.text), password: 'a brand new password', confirm: 'another one entirely' }).expect(422);
      expect(mismatch.text).toContain('The two passwords are not the same.');
      await browser.post(path).type('form').send({ _csrf: csrfOf(form.text), password: 'a brand new password', confirm: 'a brand new password' }).expect(303).expect('location', '/login');
      expect((await browser.get('/login').expect(200)).text).toContain('Your password is changed.');

      // The other browser was signed out; the old password no longer works; the new one does.
      await elsewhere.get('/profile').expect(303);
      expect((await submit(intranet.agent(), '/login', '/login', { email: 'dora@example.test', password: PASSWORD })).status).toBe(401);
      await signIn(intranet.agent(), 'dora@example.test', 'a brand new password');

      // The link works once.
      const again = await browser.get(path).expect(404);
      expect(again.text).toContain('This link does not work');
      const reuse = await browser.post(path).type('form').send({ _csrf: csrfOf(form.text), password: 'yet another password', confirm: 'yet another password' }).expect(404);
      expect(reuse.text).toContain('This link does not work');
    });

    it('lets the link expire after an hour', async () => {
      const before = mails(intranet.dataDir).length;
      await intranet.http.post('/api/v1/auth/password-reset').send({ email: 'bea@example.test' }).expect(202);
      await intranet.runDueJobs();
      const path = new URL(linkIn(mails(intranet.dataDir).slice(before)[0])!).pathname;
      await intranet.http.get(path).expect(200);
      intranet.clock.advance(61 * 60_000);
      await intranet.http.get(path).expect(404);
      await intranet.http.post(`/api/v1/auth/password-reset/${path.split('/').pop()}`).send({ password: 'a fine new password' }).expect(404);
    });

    it('offers the same through the JSON API', async () => {
      const before = mails(intranet.dataDir).length;
      await intranet.http.post('/api/v1/auth/password-reset').send({ email: 'nobody@example.test' }).expect(202);
      await intranet.http.post('/api/v1/auth/password-reset').send({ email: 'cid@example.test' }).expect(202);
      const bad = await intranet.http.post('/api/v1/auth/password-reset').send({ email: 'nope' }).expect(422);
      expect(bad.body.errors[0].field).toBe('email');
      await intranet.runDueJobs();
      const sent = mails(intranet.dataDir).slice(before);
      expect(sent).toHaveLength(1);
      const token = linkIn(sent[0])!.split('/').pop();
      const short = await intranet.http.post(`/api/v1/auth/password-reset/${token}`).send({ password: 'short' }).expect(422);
      expect(short.headers['content-type']).toContain('application/problem+json');
      await intranet.http.post(`/api/v1/auth/password-reset/${token}`).send({ password: 'cids new password' }).expect(204);
      await intranet.http.post(`/api/v1/auth/password-reset/${token}`).send({ password: 'cids new password' }).expect(404);
      await intranet.agent().post('/api/v1/auth/login').send({ email: 'cid@example.test', password: 'cids new password' }).expect(200);
      const audit = (await intranet.get(AuditService).list(100, null)).map((e) => e.action);
      expect(audit).toEqual(expect.arrayContaining(['core.password.reset-requested', 'core.password.reset']));
    });

    it('throttles the requests for one address, answering the form with a 429 page', async () => {
      const browser = intranet.agent();
      // The address has had requests above; the limit is 3 an hour.
      for (let i = 0; i < 3; i++) await intranet.http.post('/api/v1/auth/password-reset').send({ email: 'eve@example.test' }).expect(202);
      await intranet.http.post('/api/v1/auth/password-reset').send({ email: 'eve@example.test' }).expect(429);
      const throttled = await submit(browser, '/password/forgot', '/password/forgot', { email: 'eve@example.test' });
      expect(throttled.status).toBe(429);
      expect(throttled.headers['retry-after']).toBeDefined();
      expect(throttled.text).toMatch(/Too many requests. Wait \d+ minutes and try again./);
    });
  });

  describe('languages', () => {
    it("speaks the browser's language to visitors, and the chosen one to people who chose", async () => {
      const visitor = intranet.agent();
      const dutch = await visitor.get('/login').set('accept-language', 'nl-NL,nl;q=0.9,en;q=0.5').expect(200);
      expect(dutch.text).toContain('<html lang="nl">');
      expect(dutch.text).toContain('<h1>Inloggen</h1>');
      expect(dutch.text).toContain('Wachtwoord vergeten?');
      expect((await visitor.get('/login').set('accept-language', 'de-DE').expect(200)).text).toContain('<h1>Sign in</h1>');

      const bea = intranet.agent();
      await signIn(bea, 'bea@example.test', PASSWORD);
      const saved = await submit(bea, '/profile', '/profile', { displayName: 'Bea', locale: 'nl' });
      expect(saved.status).toBe(303);
      // The flash after the switch is already in Dutch, whatever the browser says.
      const profile = await bea.get('/profile').set('accept-language', 'en').expect(200);
      expect(profile.text).toContain('<html lang="nl">');
      expect(profile.text).toContain('Je profiel is opgeslagen.');
      expect(profile.text).toContain('Uitloggen');
      expect(profile.text).toContain('<option value="nl" lang="nl" selected>Nederlands</option>');

      // Validation messages on the form are translated too, field names and all.
      const invalid = await submit(bea, '/spaces/new', '/spaces/new', { name: '', slug: 'Not A Slug', visibility: 'public', joinPolicy: 'open' });
      expect(invalid.status).toBe(422);
      expect(invalid.text).toContain('Er kloppen 2 dingen niet in dit formulier');
      expect(invalid.text).toContain('Gebruik 2 tot 63 tekens: a-z, 0-9 en streepjes');
      expect(invalid.text).toContain('<a href="#space-name">Naam</a>: Vul dit in.');

      // Back to following the browser.
      await submit(bea, '/profile', '/profile', { displayName: 'Bea', locale: '' });
      expect((await bea.get('/profile').set('accept-language', 'en').expect(200)).text).toContain('<html lang="en">');
    });

    it('formats dates per language', async () => {
      const bea = intranet.agent();
      await signIn(bea, 'bea@example.test', PASSWORD);
      await submit(bea, '/profile', '/profile/tokens', { name: 'script' });
      const nl = await bea.get('/profile').set('accept-language', 'nl').expect(200);
      const en = await bea.get('/profile').set('accept-language', 'en').expect(200);
      const year = String(intranet.clock.now().getUTCFullYear());
      expect(nl.text).toMatch(new RegExp(`gemaakt op \\d{1,2} [a-z]{3}\\.? ${year}`));
      expect(en.text).toMatch(new RegExp(`made [A-Z][a-z]{2} \\d{1,2}, ${year}`));
    });
  });
});
