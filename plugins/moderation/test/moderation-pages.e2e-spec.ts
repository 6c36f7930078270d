import kudos from '@plein/example-kudos';
import wiki from '@plein/plugin-wiki';
import { createTestIntranet, type TestHttp, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import moderation from '../src';
import { itemFor, kudo, space, wikiPage } from './support';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';

interface Browser {
  http: TestHttp;
  csrf: string;
  user: TestUser;
}

/** The main element of a page, where the plugin's own markup is. */
const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const decode = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"');

/** The pages: forms with CSRF that work without JavaScript, flashes, Dutch, and who may open what. */
describe('moderation pages', () => {
  let intranet: TestIntranet;
  let ada: Browser;
  let bob: Browser;
  let mod: Browser;
  let mod2: Browser;
  let admin: Browser;

  async function person(handle: string, displayName: string, roles?: string[]): Promise<Browser> {
    const user = await intranet.createUser({
      handle,
      displayName,
      email: `${handle}@example.test`,
      password: PASSWORD,
      roles,
    });
    const http = intranet.agent();
    await http
      .post('/api/v1/auth/login')
      .send({ email: `${handle}@example.test`, password: PASSWORD })
      .expect(200);
    return { http, user, csrf: (await http.get('/api/v1/auth/csrf').expect(200)).body.token };
  }

  const post = (who: Browser, url: string, form: Record<string, string>) =>
    who.http
      .post(url)
      .type('form')
      .send({ _csrf: who.csrf, ...form });

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos, wiki, moderation] });
    ada = await person('ada', 'Ada Lovelace');
    bob = await person('bob', 'Bob Builder');
    mod = await person('mod', 'Mo Derator', ['moderator']);
    mod2 = await person('mod2', 'Second Moderator', ['moderator']);
    admin = await person('root', 'Site Admin', ['admin']);
  });
  afterAll(() => intranet.close());

  it('puts a Report button on every content item of other people, through the content partial', async () => {
    const k = await kudo(ada.user, bob.user, 'Thanks for the coffee');
    const asBob = await bob.http.get('/kudos').expect(200);
    expect(asBob.text).toContain(
      `href="/moderation/report/${k.contentId}?next=${encodeURIComponent(`/kudos#kudos.kudo-${k.id}`)}"`,
    );
    const asAda = await ada.http.get('/kudos').expect(200);
    expect(asAda.text).not.toContain(`/moderation/report/${k.contentId}`);
    const anonymous = await intranet.http.get('/kudos').expect(200);
    expect(anonymous.text).not.toContain('/moderation/report/');
    const page = await wikiPage(ada.user, 'Coffee machine', 'Press the button');
    const wikiHtml = await bob.http.get(page.path).expect(200);
    expect(wikiHtml.text).toContain(`/moderation/report/${page.contentId}?next=`);
    expect(wikiHtml.text).toContain('<script src="/plugins/moderation/moderation.js" defer></script>');
  });

  it('reports through a plain form with its CSRF token, back to the item with a flash', async () => {
    const k = await kudo(ada.user, bob.user, 'Reported by form');
    const next = `/kudos#kudos.kudo-${k.id}`;
    const form = await bob.http.get(`/moderation/report/${k.contentId}`).query({ next }).expect(200);
    expect(main(form.text)).toContain('name="_csrf"');
    expect(main(form.text)).toContain('value="confidential"');
    await bob.http.post(`/moderation/report/${k.contentId}`).type('form').send({ reason: 'spam', next }).expect(403);
    const sent = await post(bob, `/moderation/report/${k.contentId}`, {
      reason: 'abuse',
      note: 'Not nice',
      next,
    }).expect(303);
    expect(sent.headers.location).toBe(next);
    const landed = await bob.http.get('/kudos').expect(200);
    expect(landed.text).toContain('Thank you: moderators will look at your report.');
    const again = await post(bob, `/moderation/report/${k.contentId}`, { reason: 'abuse', next }).expect(303);
    expect(again.headers.location).toBe(next);
    expect((await bob.http.get('/kudos').expect(200)).text).toContain('You reported this already.');
    const missing = await post(bob, `/moderation/report/${(await kudo(ada.user, bob.user, 'x')).contentId}`, {
      next,
    }).expect(422);
    expect(main(missing.text)).toContain('Choose one of the options');
    await bob.http.get('/moderation/report/nothing-here').expect(404);
    const offsite = await post(bob, `/moderation/report/${(await kudo(ada.user, bob.user, 'y')).contentId}`, {
      reason: 'spam',
      next: '//evil.example/',
    }).expect(303);
    expect(offsite.headers.location).toBe('/');
  });

  it('shows the queue with lanes and decides through the form (422 without a reason)', async () => {
    const k = await kudo(ada.user, bob.user, 'Decide me by form');
    await post(bob, `/moderation/report/${k.contentId}`, { reason: 'off-topic', next: '/kudos' }).expect(303);
    const item = (await itemFor(mod.user, 'reports', k.contentId))!;
    const page = await mod.http.get('/moderation').expect(200);
    expect(main(page.text)).toContain('Review queue');
    expect(main(page.text)).toContain('Decide me by form');
    expect(main(page.text)).toContain(`action="/moderation/queue/${item.id}/decision"`);
    expect(main(page.text)).toContain('data-moderation-queue');
    const refused = await post(mod, `/moderation/queue/${item.id}/decision`, { action: 'hide', reason: '' }).expect(
      422,
    );
    expect(main(refused.text)).toContain('Say why: the people concerned read it');
    const decided = await post(mod, `/moderation/queue/${item.id}/decision`, {
      action: 'hide',
      reason: 'Off-topic',
      next: '/moderation/queue?lane=reports',
    }).expect(303);
    expect(decided.headers.location).toBe('/moderation/queue?lane=reports');
    expect((await mod.http.get('/moderation/queue').expect(200)).text).toContain('Decided: hidden.');
    const twice = await post(mod2, `/moderation/queue/${item.id}/decision`, { action: 'approve', reason: 'x' }).expect(
      303,
    );
    expect(twice.headers.location).toBe(`/moderation/queue/${item.id}`);
    expect((await mod2.http.get('/moderation/queue').expect(200)).text).toContain('This item was already decided.');
  });

  it('shows an item in context with its reports, the author’s history and notes, and claims it', async () => {
    const k = await kudo(ada.user, bob.user, 'In context');
    await post(bob, `/moderation/report/${k.contentId}`, {
      reason: 'spam',
      note: 'Looks like an ad',
      next: '/kudos',
    }).expect(303);
    const item = (await itemFor(mod.user, 'reports', k.contentId))!;
    const page = await mod.http.get(`/moderation/queue/${item.id}`).expect(200);
    expect(main(page.text)).toContain('Looks like an ad');
    expect(main(page.text)).toContain('What happened before with Ada Lovelace');
    expect(main(page.text)).toContain(`href="/kudos#kudos.kudo-${k.id}"`);
    await post(mod, `/moderation/queue/${item.id}/notes`, { text: 'Checked with the team' }).expect(303);
    await post(mod, `/moderation/queue/${item.id}/claim`, {}).expect(303);
    const claimed = await mod2.http.get(`/moderation/queue/${item.id}`).expect(200);
    expect(main(claimed.text)).toContain('Checked with the team');
    expect(main(claimed.text)).toContain('claimed by Mo Derator');
    await post(mod, `/moderation/queue/${item.id}/unclaim`, {}).expect(303);
    await post(mod, `/moderation/queue/${item.id}/notes`, { text: '' }).expect(422);
  });

  it('runs a rule dry run from the editor, saves the rule, and refuses a catastrophic pattern with the reason', async () => {
    await kudo(ada.user, bob.user, 'Thanks for the budget cuts overview');
    const dry = await post(mod, '/moderation/rules', {
      pattern: 'budget cut*',
      match: 'word',
      action: 'hold',
      intent: 'dry-run',
      enabled: 'on',
    }).expect(200);
    expect(main(dry.text)).toContain('What this rule would have matched in the last 90 days');
    expect(main(dry.text)).toContain('<mark>budget cuts</mark>');
    expect(main(dry.text)).toContain('value="budget cut*"');
    const saved = await post(mod, '/moderation/rules', {
      pattern: 'budget cut*',
      match: 'word',
      action: 'flag',
      intent: 'save',
      enabled: 'on',
    }).expect(303);
    expect(saved.headers.location).toBe('/moderation/rules');
    const list = await mod.http.get('/moderation/rules').expect(200);
    expect(main(list.text)).toContain('<code>budget cut*</code>');
    expect(main(list.text)).toContain('Rule saved.');
    const bad = await post(mod, '/moderation/rules', {
      pattern: '(a+)+',
      match: 'regex',
      action: 'hold',
      intent: 'save',
    }).expect(422);
    expect(main(bad.text)).toContain('This pattern could backtrack catastrophically');
    const rules = (await mod.user.http.get('/api/v1/moderation/rules').expect(200)).body.items;
    const rule = rules.find((r: { pattern: string }) => r.pattern === 'budget cut*');
    const edit = await mod.http.get(`/moderation/rules/${rule.id}`).expect(200);
    expect(main(edit.text)).toContain('value="budget cut*"');
    await post(mod, `/moderation/rules/${rule.id}`, { intent: 'disable' }).expect(303);
    expect((await mod.user.http.get(`/api/v1/moderation/rules/${rule.id}`).expect(200)).body.enabled).toBe(false);
    await post(mod, `/moderation/rules/${rule.id}`, { intent: 'delete' }).expect(303);
    await mod.user.http.get(`/api/v1/moderation/rules/${rule.id}`).expect(404);
  });

  it('sanctions through the form and lifts it', async () => {
    const until = new Date(intranet.clock.now().getTime() + 30 * 86_400_000).toISOString().slice(0, 16);
    const res = await post(mod, '/moderation/sanctions', {
      handle: 'bob',
      kind: 'silence',
      until,
      reason: 'Calm down',
    }).expect(303);
    expect(res.headers.location).toBe('/moderation/sanctions');
    const page = await mod.http.get('/moderation/sanctions').expect(200);
    expect(main(page.text)).toContain('Calm down');
    expect(main(page.text)).toContain('Sanction given; the person has been told.');
    const sanction = (await mod.user.http.get('/api/v1/moderation/sanctions').query({ active: 'true' }).expect(200))
      .body.items[0];
    expect(sanction).toMatchObject({ kind: 'silence', until: `${until}:00.000Z` });
    const unknown = await post(mod, '/moderation/sanctions', { handle: 'nobody', kind: 'warn', reason: 'x' }).expect(
      422,
    );
    expect(main(unknown.text)).toContain('There is no one with this handle');
    await post(mod, `/moderation/sanctions/${sanction.id}/lift`, { reason: 'Calm again' }).expect(303);
    expect(
      (await mod.user.http.get('/api/v1/moderation/sanctions').query({ active: 'true' }).expect(200)).body.items,
    ).toEqual([]);
    await post(bob, '/moderation/sanctions', { handle: 'ada', kind: 'warn', reason: 'x' }).expect(403);
  });

  it('shows one’s own history with an appeal link, and takes the appeal through a form', async () => {
    const k = await kudo(ada.user, bob.user, 'Appeal me');
    await post(bob, `/moderation/report/${k.contentId}`, { reason: 'abuse', next: '/kudos' }).expect(303);
    const item = (await itemFor(mod.user, 'reports', k.contentId))!;
    await post(mod, `/moderation/queue/${item.id}/decision`, { action: 'hide', reason: 'Unkind' }).expect(303);
    const history = await ada.http.get('/moderation/history').expect(200);
    expect(main(history.text)).toContain('Hidden by a decision');
    expect(main(history.text)).toContain('A moderator');
    expect(main(history.text)).not.toContain('Mo Derator');
    const link = `/moderation/appeal?contentId=${k.contentId}`;
    expect(decode(main(history.text))).toContain(`href="${link}"`);
    const form = await ada.http.get(link).expect(200);
    expect(main(form.text)).toContain('Unkind');
    const empty = await post(ada, '/moderation/appeal', { contentId: k.contentId, text: '' }).expect(422);
    expect(main(empty.text)).toContain('Say why');
    const sent = await post(ada, '/moderation/appeal', {
      contentId: k.contentId,
      text: 'It was a joke between friends',
    }).expect(303);
    expect(sent.headers.location).toBe('/moderation/history');
    expect((await ada.http.get('/moderation/history').expect(200)).text).toContain(
      'Your appeal is on its way to another moderator.',
    );
    const appeals = await mod2.http.get('/moderation/queue?lane=appeals').expect(200);
    expect(main(appeals.text)).toContain('It was a joke between friends');
    const notForMod = await mod.http.get('/moderation/queue?lane=appeals').expect(200);
    expect(main(notForMod.text)).not.toContain('It was a joke between friends');
    // A member's /moderation is their history.
    expect(main((await ada.http.get('/moderation').expect(200)).text)).toContain('My reports');
  });

  it('filters the log and links its CSV export with the same filters', async () => {
    const page = await mod.http.get('/moderation/log').query({ action: 'item.decided', actor: 'mod' }).expect(200);
    expect(main(page.text)).toContain('Decided');
    expect(decode(main(page.text))).toContain(
      `href="/api/v1/moderation/log.csv?actorId=${mod.user.user.id}&action=item.decided"`,
    );
    const csv = await mod.http
      .get(`/api/v1/moderation/log.csv?actorId=${mod.user.user.id}&action=item.decided`)
      .expect(200);
    expect(csv.text.split('\n')[1]).toContain(',item.decided,mod,moderator,');
    const bad = await mod.http.get('/moderation/log').query({ user: 'nobody' }).expect(422);
    expect(main(bad.text)).toContain('There is no one with this handle');
    await bob.http.get('/moderation/log').expect(403);
  });

  it('lets an administrator change the settings, and a space moderator their space', async () => {
    const page = await admin.http.get('/moderation/settings').expect(200);
    expect(main(page.text)).toContain('name="reportThreshold" type="number" min="0" max="100" value="3"');
    await post(admin, '/moderation/settings', {
      reportThreshold: '5',
      newAccountHoldCount: '0',
      dryRunDays: '30',
      regexTimeoutMs: '50',
    }).expect(303);
    expect((await admin.user.http.get('/api/v1/moderation/settings').expect(200)).body).toMatchObject({
      reportThreshold: 5,
      dryRunDays: 30,
      revealModeratorNames: false,
    });
    const bad = await post(admin, '/moderation/settings', {
      reportThreshold: 'many',
      newAccountHoldCount: '0',
      dryRunDays: '30',
      regexTimeoutMs: '50',
    }).expect(422);
    expect(main(bad.text)).toContain('Reports that hide an item until review');
    await post(admin, '/moderation/settings', {
      reportThreshold: '3',
      newAccountHoldCount: '0',
      dryRunDays: '90',
      regexTimeoutMs: '50',
    }).expect(303);
    await mod.http.get('/moderation/settings').expect(403);
    const smod = await person('smod', 'Space Moderator');
    await space(admin.user, 'garden', [[smod.user, 'moderator']]);
    const form = await smod.http.get('/moderation/spaces/garden').expect(200);
    expect(main(form.text)).toContain('Moderation in GARDEN');
    await post(smod, '/moderation/spaces/garden', { premoderated: 'on', slowModeSeconds: '30' }).expect(303);
    expect((await smod.user.http.get('/api/v1/moderation/spaces/garden/settings').expect(200)).body).toMatchObject({
      premoderated: true,
      slowModeSeconds: 30,
    });
    const wrong = await post(smod, '/moderation/spaces/garden', { slowModeSeconds: '-1' }).expect(422);
    expect(main(wrong.text)).toContain('Enter a number of seconds from 0 to 86,400');
    await bob.http.get('/moderation/spaces/garden').expect(403);
  });

  it('has a message for every string its pages show, in English and Dutch', async () => {
    // Something in every lane, a decided item, a sanction and a dry run, so every template branch shows.
    const k = await kudo(ada.user, bob.user, 'Every lane');
    await post(bob, `/moderation/report/${k.contentId}`, { reason: 'confidential', next: '/kudos' }).expect(303);
    const item = (await itemFor(mod.user, 'reports', k.contentId))!;
    await post(mod, `/moderation/queue/${item.id}/decision`, { action: 'delete', reason: 'Private' }).expect(303);
    await post(ada, '/moderation/appeal', { contentId: k.contentId, text: 'Please' }).expect(303);
    await mod.user.http
      .post('/api/v1/moderation/rules')
      .send({ pattern: 'zebra', match: 'word', action: 'hold' })
      .expect(201);
    await kudo(ada.user, bob.user, 'A zebra crossing');
    await mod.user.http
      .post(`/api/v1/moderation/users/${ada.user.user.id}/sanctions`)
      .send({ kind: 'warn', reason: 'Mind the tone' })
      .expect(201);
    const appealItem = (await itemFor(mod2.user, 'appeals', k.contentId))!;
    const pages: Array<[Browser, string]> = [
      [mod, '/moderation/queue?lane=reports'],
      [mod, '/moderation/queue?lane=held'],
      [mod2, '/moderation/queue?lane=appeals'],
      [mod2, `/moderation/queue/${appealItem.id}`],
      [mod, `/moderation/queue/${item.id}`],
      [ada, '/moderation/history'],
      [bob, '/moderation/history'],
      [ada, `/moderation/appeal?contentId=${k.contentId}`],
      [bob, `/moderation/report/${(await kudo(ada.user, bob.user, 'x')).contentId}`],
      [mod, '/moderation/rules'],
      [mod, '/moderation/sanctions'],
      [mod, '/moderation/log'],
      [admin, '/moderation/settings'],
    ];
    for (const language of ['en', 'nl']) {
      for (const [who, path] of pages) {
        const page = await who.http.get(path).set('accept-language', language).expect(200);
        // A key shown as is means a message is missing.
        expect({ path, language, keys: main(page.text).match(/(?<![/\w])moderation\.[a-zA-Z-]+\.[a-zA-Z]/g) }).toEqual({
          path,
          language,
          keys: null,
        });
      }
      const dry = await post(mod, '/moderation/rules', {
        pattern: 'zebra',
        match: 'word',
        action: 'hold',
        intent: 'dry-run',
      })
        .set('accept-language', language)
        .expect(200);
      expect(main(dry.text).match(/(?<![/\w])moderation\.[a-zA-Z-]+\.[a-zA-Z]/g)).toBeNull();
    }
  });

  it('speaks Dutch to those who ask for it', async () => {
    const page = await mod.http.get('/moderation/queue').set('accept-language', 'nl').expect(200);
    expect(page.text).toContain('Wachtrij');
    expect(page.text).toContain('Meldingen');
    const history = await ada.http.get('/moderation/history').set('accept-language', 'nl').expect(200);
    expect(history.text).toContain('Mijn moderatiegeschiedenis');
  });

  it('shows the navigation entry to moderators only', async () => {
    expect((await mod.http.get('/').expect(200)).text).toContain('href="/moderation"');
    expect((await bob.http.get('/').expect(200)).text).not.toContain('href="/moderation"');
    expect((await bob.http.get('/').expect(200)).text).toContain('href="/moderation/history"');
  });

  it('follows the authorization table of its pages', async () => {
    const member = bob;
    const k = await kudo(ada.user, bob.user, 'Table');
    await post(bob, `/moderation/report/${k.contentId}`, { reason: 'spam', next: '/kudos' }).expect(303);
    const item = (await itemFor(mod.user, 'reports', k.contentId))!;
    const table: Array<[string, number, number, number]> = [
      // path, anonymous, member, global moderator
      ['/moderation', 401, 200, 200],
      ['/moderation/queue', 401, 403, 200],
      [`/moderation/queue/${item.id}`, 401, 403, 200],
      ['/moderation/history', 401, 200, 200],
      [`/moderation/report/${k.contentId}`, 401, 200, 200],
      ['/moderation/rules', 401, 403, 200],
      ['/moderation/sanctions', 401, 403, 200],
      ['/moderation/log', 401, 403, 200],
      ['/moderation/settings', 401, 403, 403],
    ];
    const differences: string[] = [];
    for (const [path, anonymous, asMember, asModerator] of table) {
      const got = [
        (await intranet.agent().get(path)).status,
        (await member.http.get(path)).status,
        (await mod.http.get(path)).status,
      ];
      // Pages answer a visitor who must sign in with the sign-in page (303) or 401.
      const anon = got[0] === 303 ? 401 : got[0];
      if (anon !== anonymous || got[1] !== asMember || got[2] !== asModerator)
        differences.push(`${path}: ${got.join('/')}`);
    }
    expect(differences).toEqual([]);
  });
});
