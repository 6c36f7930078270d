/**
 * E-mail digests: each person chooses off, daily or weekly (settings page and API); the planner,
 * through the job queue, mails what is new in their spaces and their unread notifications, once
 * per period, as an HTML and a plain-text part. The clock is the test clock, frozen on a Tuesday.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import kudos from '@plein/example-kudos';
import wiki from '@plein/plugin-wiki';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import { PLEIN_CONFIG } from '../../core/src/config/config.token';
import type { PleinConfig } from '../../core/src/config/config';
import { planDigestsJob, sendDigestJob } from '../../core/src/digests/digest-jobs';
import { DigestService } from '../../core/src/digests/digest.service';
import { JobsService } from '../../core/src/jobs/jobs.service';
import { notes } from '../fixtures/notes/notes.plugin';
import { PASSWORD, signIn, submit } from './pages-helpers';

jest.setTimeout(120_000);

interface Mail {
  file: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Quoted-printable or base64 back to UTF-8 text. */
function decode(body: string, encoding: string): string {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (!/quoted-printable/i.test(encoding)) return body;
  const soft = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Splits a MIME entity into its headers (lower-case names, unfolded) and body. */
function entity(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map(head.split(/\r?\n/).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { headers, body: raw.slice(split).replace(/^\r?\n\r?\n/, '') };
}

/** Every .eml file written so far, with its text and HTML parts decoded. */
function allMail(dataDir: string): Mail[] {
  const dir = join(dataDir, 'mail');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  } catch {
    return [];
  }
  return files.map((file) => {
    const { headers, body } = entity(readFileSync(join(dir, file), 'utf8'));
    const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
    const parts = boundary ? body.split(`--${boundary}`).slice(1, -1).map((p) => entity(p.replace(/^\r?\n/, ''))) : [{ headers, body }];
    const part = (type: string) => {
      const found = parts.find((p) => (p.headers.get('content-type') ?? '').startsWith(type));
      return found ? decode(found.body, found.headers.get('content-transfer-encoding') ?? '') : '';
    };
    return { file, to: headers.get('to') ?? '', subject: headers.get('subject') ?? '', text: part('text/plain'), html: part('text/html') };
  });
}

describe('e-mail digests', () => {
  let intranet: TestIntranet;
  let publicUrl: string;
  let admin: TestUser;
  let ada: TestUser; // daily, chosen on the settings page
  let bea: TestUser; // writes; never chose (the default: weekly)
  let cas: TestUser; // weekly, chosen through the API
  let eve: TestUser; // daily, then suspended
  let noor: TestUser; // daily, reads Dutch
  let team: { id: string; slug: string };
  let board: { id: string; slug: string };

  const digestsTo = (who: TestUser) => allMail(intranet.dataDir).filter((m) => m.to.includes(who.user.email) && /digest|overzicht/i.test(m.subject));
  const at = (iso: string) => intranet.clock.set(new Date(iso));
  /** The planner's run, as the hourly schedule would start it: through the queue. */
  const planDigests = async () => {
    await intranet.get(JobsService).backend.enqueue('core', planDigestsJob as never, {});
    await intranet.runDueJobs();
  };
  const note = async (who: TestUser, text: string, spaceId: string) => (await who.http.post('/api/v1/notes').send({ text, spaceId }).expect(201)).body as { id: string; contentId: string };

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [wiki, notes, kudos] });
    publicUrl = intranet.get<PleinConfig>(PLEIN_CONFIG as never).publicUrl;
    at('2030-01-08T05:00:00Z'); // a Tuesday
    admin = await intranet.createUser({ handle: 'root', roles: ['admin'] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace', password: PASSWORD });
    bea = await intranet.createUser({ handle: 'bea', displayName: 'Bea Bakker' });
    cas = await intranet.createUser({ handle: 'cas', displayName: 'Cas Claes' });
    eve = await intranet.createUser({ handle: 'eve', displayName: 'Eve Evers' });
    noor = await intranet.createUser({ handle: 'noor', displayName: 'Noor Nijs' });
    await noor.http.patch('/api/v1/me').send({ locale: 'nl' }).expect(200);
    team = (await bea.http.post('/api/v1/spaces').send({ slug: 'team', name: 'Team & friends', visibility: 'private', joinPolicy: 'invite' }).expect(201)).body;
    board = (await bea.http.post('/api/v1/spaces').send({ slug: 'board', name: 'Board', visibility: 'private', joinPolicy: 'invite' }).expect(201)).body;
    for (const who of [ada, cas, eve, noor]) await bea.http.post(`/api/v1/spaces/${team.id}/members`).send({ userId: who.user.id, role: 'member' }).expect(201);
  });
  afterAll(() => intranet?.close());

  describe('choosing', () => {
    // After the "added to a space" notifications: a digest covers what comes once one has chosen.
    beforeAll(() => at('2030-01-08T05:01:00Z'));

    it('offers off, daily and weekly on the notification settings page, weekly chosen until one picks', async () => {
      const browser = intranet.agent();
      await signIn(browser, ada.user.email, PASSWORD);
      const page = await browser.get('/notifications/settings').expect(200);
      expect(page.text).toContain('E-mail digest');
      expect(page.text).toMatch(/id="digest-weekly" name="digest" value="weekly" checked/);
      expect(page.text).toMatch(/id="digest-daily" name="digest" value="daily">/);
    });

    it('saves the choice from the page, with its CSRF token', async () => {
      const browser = intranet.agent();
      await signIn(browser, ada.user.email, PASSWORD);
      const refused = await browser.post('/notifications/settings').type('form').send({ digest: 'daily' });
      expect(refused.status).toBe(403);
      expect((await ada.http.get('/api/v1/notifications/digest').expect(200)).body.frequency).toBe('weekly');

      const saved = await submit(browser, '/notifications/settings', '/notifications/settings', { digest: 'daily' });
      expect(saved.status).toBe(303);
      const page = await browser.get('/notifications/settings').expect(200);
      expect(page.text).toMatch(/id="digest-daily" name="digest" value="daily" checked/);
      expect((await ada.http.get('/api/v1/notifications/digest').expect(200)).body).toEqual({ frequency: 'daily', nextAt: '2030-01-08T06:00:00.000Z', lastSentAt: null });
    });

    it('shows the page again with the field named when the choice is not one of the three', async () => {
      const browser = intranet.agent();
      await signIn(browser, ada.user.email, PASSWORD);
      const bad = await submit(browser, '/notifications/settings', '/notifications/settings', { digest: 'hourly' });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('href="#kind-digest"');
      expect(bad.text).toContain('id="kind-digest-error"');
      expect((await ada.http.get('/api/v1/notifications/digest').expect(200)).body.frequency).toBe('daily');
    });

    it('reads and sets the choice through the API, refusing anything else with a 422 naming the field', async () => {
      expect((await cas.http.get('/api/v1/notifications/digest').expect(200)).body).toEqual({ frequency: 'weekly', nextAt: '2030-01-14T06:00:00.000Z', lastSentAt: null });
      const set = await cas.http.put('/api/v1/notifications/digest').send({ frequency: 'weekly' }).expect(200);
      expect(set.body).toEqual({ frequency: 'weekly', nextAt: '2030-01-14T06:00:00.000Z', lastSentAt: null });
      const bad = await cas.http.put('/api/v1/notifications/digest').send({ frequency: 'hourly' }).expect(422);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'frequency' })]);
      await intranet.http.get('/api/v1/notifications/digest').expect(401);
      await eve.http.put('/api/v1/notifications/digest').send({ frequency: 'daily' }).expect(200);
      await noor.http.put('/api/v1/notifications/digest').send({ frequency: 'daily' }).expect(200);
    });
  });

  describe('sending', () => {
    let page: { id: string; contentId: string };
    const XSS_TITLE = '<img src=x onerror=alert(1)> Budget & plans';

    beforeAll(async () => {
      await admin.http.patch(`/api/v1/users/${eve.user.id}`).send({ status: 'suspended' }).expect(200);
      at('2030-01-08T05:10:00Z');
      page = (await bea.http.post('/api/v1/wiki/pages').send({ title: XSS_TITLE, body: 'The numbers for next year.', spaceId: team.id }).expect(201)).body;
      at('2030-01-08T05:20:00Z');
      await note(bea, 'Board minutes: keep this quiet', board.id);
      await bea.http.post('/api/v1/spaces').send({ slug: 'town', name: 'Town', visibility: 'public', joinPolicy: 'open' }).expect(201);
      await note(bea, 'Market in town on Friday', (await bea.http.get('/api/v1/spaces').expect(200)).body.items.find((s: { slug: string }) => s.slug === 'town').id);
      await note(ada, 'My own note about lunch', team.id);
      at('2030-01-08T05:30:00Z');
      await note(bea, 'Team lunch on Friday', team.id);
      await bea.http.post('/api/v1/kudos').send({ toUserId: ada.user.id, message: 'Thanks for the review' }).expect(201);
      at('2030-01-08T06:05:00Z');
      await planDigests();
    });

    it('mails a daily reader one digest of what is new in their spaces, with an HTML and a text part', () => {
      const [mail, ...more] = digestsTo(ada);
      expect(more).toEqual([]);
      expect(mail.subject).toBe('Your daily Plein digest: 3 new items');
      for (const part of [mail.text, mail.html]) {
        expect(part).toContain('Team lunch on Friday');
        expect(part).toContain('Bea Bakker');
        expect(part).toContain('Wiki page');
        expect(part).toContain('Bea Bakker thanked you');
      }
      expect(mail.html).toMatch(/^<!doctype html>/i);
      expect(mail.html).toContain(`href="${publicUrl}/spaces/team"`);
      expect(mail.text).toContain('## Team & friends');
      expect(mail.html).toContain('Team &amp; friends');
    });

    it("writes each reader's digest in their own language", () => {
      const [mail] = digestsTo(noor);
      expect(mail.subject).toBe('Je dagelijkse Plein-overzicht: 3 nieuwe items');
      expect(mail.text).toContain('Hallo Noor Nijs, dit is er nieuw in je ruimtes sinds');
      expect(mail.html).toContain('<html lang="nl">');
      expect(mail.html).toContain('Kies welke e-mails je krijgt');
    });

    it('renders a hostile title inert in the HTML part and as written in the text part', () => {
      const [mail] = digestsTo(ada);
      expect(mail.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; Budget &amp; plans');
      expect(mail.html).not.toContain('<img');
      expect(mail.text).toContain(XSS_TITLE);
    });

    it('links every item absolutely, at the public address', () => {
      const [mail] = digestsTo(ada);
      expect(mail.html).toContain(`href="${publicUrl}/wiki/p/${page.id}"`);
      expect(mail.text).toContain(`${publicUrl}/wiki/p/${page.id}`);
      expect(mail.text).toContain(`${publicUrl}/notifications/settings`);
      expect(mail.html).not.toMatch(/href="\//);
    });

    it("leaves out private spaces one is not in, public spaces one has not joined, and one's own content", () => {
      const [mail] = digestsTo(ada);
      for (const part of [mail.text, mail.html]) {
        expect(part).not.toContain('Board minutes');
        expect(part).not.toContain('Market in town');
        expect(part).not.toContain('My own note');
      }
    });

    it('mails nothing to weekly readers before Monday, nor to suspended people', () => {
      expect(digestsTo(cas)).toEqual([]);
      expect(digestsTo(bea)).toEqual([]);
      expect(digestsTo(eve)).toEqual([]);
    });

    it('sends the period once when the planner runs again', async () => {
      await planDigests();
      await planDigests();
      expect(digestsTo(ada)).toHaveLength(1);
      expect((await ada.http.get('/api/v1/notifications/digest').expect(200)).body).toEqual({ frequency: 'daily', nextAt: '2030-01-09T06:00:00.000Z', lastSentAt: '2030-01-08T06:05:00.000Z' });
    });

    it('sends one mail when two workers run the same due digest at once', async () => {
      at('2030-01-08T12:00:00Z');
      await note(bea, 'Afternoon update', team.id);
      at('2030-01-09T06:05:00Z');
      const dueAt = (await ada.http.get('/api/v1/notifications/digest').expect(200)).body.nextAt as string;
      const jobs = intranet.get(JobsService);
      await Promise.all([0, 1].map(() => jobs.backend.enqueue('core', sendDigestJob as never, { userId: ada.user.id, dueAt })));
      await intranet.runDueJobs();
      const sent = digestsTo(ada);
      expect(sent).toHaveLength(2);
      expect(sent[1].subject).toBe('Your daily Plein digest: 1 new item');
      expect(sent[1].text).toContain('Afternoon update');
      expect(sent[1].text).not.toContain('Team lunch');
    });

    it('mails nothing when nothing is new, and moves on to the next day', async () => {
      at('2030-01-10T06:05:00Z');
      await planDigests();
      expect(digestsTo(ada)).toHaveLength(2);
      expect((await ada.http.get('/api/v1/notifications/digest').expect(200)).body.nextAt).toBe('2030-01-11T06:00:00.000Z');
    });

    it('sends a week in one weekly digest on Monday, and a missed daily run as one digest', async () => {
      at('2030-01-12T10:00:00Z'); // Saturday
      await note(bea, 'Weekend plans', team.id);
      at('2030-01-14T06:05:00Z'); // Monday
      await planDigests();
      const daily = digestsTo(ada);
      expect(daily).toHaveLength(3);
      expect(daily[2].text).toContain('Weekend plans');
      expect(daily[2].text).not.toContain('Afternoon update');

      const [weekly, ...more] = digestsTo(cas);
      expect(more).toEqual([]);
      expect(weekly.subject).toBe('Your weekly Plein digest: 5 new items');
      for (const text of ['Team lunch on Friday', 'My own note about lunch', 'Afternoon update', 'Weekend plans', 'Budget &amp; plans']) expect(weekly.html).toContain(text);
      expect(weekly.html).not.toContain('Board minutes');
      expect(weekly.html).not.toContain('thanked you');
      expect(digestsTo(eve)).toEqual([]);
    });

    it('keeps a suspended person out, moving their window on without mail', async () => {
      const digest = await intranet.get(DigestService).preference(eve.user.id);
      expect(digest).toMatchObject({ frequency: 'daily', lastSentAt: null });
      expect(digest.nextAt!.getTime()).toBeGreaterThan(Date.parse('2030-01-14T06:05:00Z'));
    });

    it('mails nothing once the reader turns digests off', async () => {
      await ada.http.put('/api/v1/notifications/digest').send({ frequency: 'off' }).expect(200, { frequency: 'off', nextAt: null, lastSentAt: '2030-01-14T06:05:00.000Z' });
      at('2030-01-14T12:00:00Z');
      await note(bea, 'Nobody reads this by mail', team.id);
      at('2030-01-15T06:05:00Z');
      await planDigests();
      expect(digestsTo(ada)).toHaveLength(3);
    });

    it('lists the newest 20 items, newest first, and counts the rest', async () => {
      for (let n = 1; n <= 22; n++) {
        at(`2030-01-16T${String(n).padStart(2, '0')}:00:00Z`);
        await note(bea, `Update number ${n}`, team.id);
      }
      at('2030-01-21T06:05:00Z');
      await planDigests();
      // The week also holds the note written after the reader above turned digests off.
      const weekly = digestsTo(cas)[1];
      expect(weekly.subject).toBe('Your weekly Plein digest: 23 new items');
      const listed = [...weekly.text.matchAll(/^- Update number (\d+)$/gm)].map((m) => Number(m[1]));
      expect(listed).toEqual(Array.from({ length: 20 }, (_, i) => 22 - i));
      expect(weekly.text).toContain(`And 3 more in the activity stream: ${publicUrl}/activity`);
      expect(weekly.html).toContain(`<a href="${publicUrl}/activity" style="color:#0b5cad;">And 3 more in the activity stream</a>`);
      expect(digestsTo(ada)).toHaveLength(3);
    });
  });
});
