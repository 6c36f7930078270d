import { createTestIntranet, type TestHttp, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import microblog from '../src';
import { API, post, space, tickBeforePosts } from './fixtures/helpers';
import { reviewGate } from './fixtures/review-gate.plugin';

jest.setTimeout(60_000);

const PASSWORD = 'correct horse battery staple';

interface Browser {
  http: TestHttp;
  csrf: string;
}

/** The main element of a page, where the microblog's own markup is. */
const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const flashOf = (html: string) => /<p class="flash flash-(\w+)">([\s\S]*?)<\/p>/.exec(html)?.slice(1, 3) ?? null;
const textarea = (html: string, id: string) =>
  new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1];

/** The pages people use: forms that work without JavaScript, with CSRF tokens, in two languages. */
describe('microblog pages', () => {
  let intranet: TestIntranet;
  let ada: Browser;
  let bob: Browser;
  let adaUser: TestUser;
  let bobUser: TestUser;
  let sam: Browser;

  async function signIn(email: string): Promise<Browser> {
    const http = intranet.agent();
    await http.post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200);
    return { http, csrf: (await http.get('/api/v1/auth/csrf').expect(200)).body.token };
  }

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [microblog, reviewGate] });
    tickBeforePosts(intranet.clock);
    adaUser = await intranet.createUser({
      handle: 'ada',
      displayName: 'Ada Lovelace',
      email: 'ada@example.test',
      password: PASSWORD,
    });
    bobUser = await intranet.createUser({
      handle: 'bob',
      displayName: 'Bob <b>Builder</b>',
      email: 'bob@example.test',
      password: PASSWORD,
    });
    const samUser = await intranet.createUser({
      handle: 'sam',
      displayName: 'Sam Steward',
      email: 'sam@example.test',
      password: PASSWORD,
    });
    await space(adaUser, 'support', 'public', [[samUser, 'moderator']]);
    ada = await signIn('ada@example.test');
    bob = await signIn('bob@example.test');
    sam = await signIn('sam@example.test');
  });
  afterAll(() => intranet.close());

  const form = (who: Browser, url: string, fields: Record<string, string>) =>
    who.http
      .post(url)
      .type('form')
      .send({ _csrf: who.csrf, ...fields });

  it('posts from the home composer and says so; the post is on the page after the redirect', async () => {
    const home = await ada.http.get('/microblog').expect(200);
    expect(main(home.text)).toContain('<form method="post" action="/microblog/posts"');
    expect(main(home.text)).toContain('name="_csrf"');
    expect(main(home.text)).toContain('Up to 500 characters.');
    const sent = await form(ada, '/microblog/posts', {
      body: 'Coffee machine fixed ☕ @bob',
      returnTo: '/microblog',
      spaceId: '',
      kind: 'post',
    }).expect(303);
    expect(sent.headers.location).toMatch(/^\/microblog#microblog\.post-/);
    const after = await ada.http.get('/microblog').expect(200);
    expect(flashOf(after.text)).toEqual(['success', 'Your post is up.']);
    expect(main(after.text)).toContain('Coffee machine fixed ☕');
    expect(main(after.text)).toMatch(/<article class="card content-item" id="microblog\.post-[0-9a-f-]+">/);
  });

  it('shows the form again with the text kept and the problem named: 422 over the limit, 422 empty', async () => {
    const long = 'x'.repeat(501);
    const res = await form(ada, '/microblog/posts', { body: long, returnTo: '/microblog' }).expect(422);
    expect(main(res.text)).toContain('A post can have at most 500 characters; this one has 501.');
    expect(main(res.text)).toContain('aria-invalid="true"');
    expect(textarea(res.text, 'compose-body')).toBe(long);
    const empty = await form(ada, '/microblog/posts', { body: '   ', returnTo: '/microblog' }).expect(422);
    expect(main(empty.text)).toContain('Write something first.');
    const control = await form(ada, '/microblog/posts', { body: 'bell \u0007', returnTo: '/microblog' }).expect(422);
    expect(main(control.text)).toContain('invisible control characters');
  });

  it('refuses a form without its CSRF token, and sends anonymous visitors to sign in or to everyone’s posts', async () => {
    await ada.http.post('/microblog/posts').type('form').send({ body: 'No token' }).expect(403);
    const anonymous = intranet.agent();
    expect((await anonymous.get('/microblog').expect(303)).headers.location).toBe('/microblog/all');
    await anonymous.get('/microblog/all').expect(200);
    expect((await anonymous.get('/microblog/compose').expect(303)).headers.location).toBe(
      '/login?next=%2Fmicroblog%2Fcompose',
    );
  });

  it('says why a post is held, and shows it to its author only', async () => {
    const held = await form(ada, '/microblog/posts', { body: 'Our secret roadmap', returnTo: '/microblog' }).expect(
      303,
    );
    const page = await ada.http.get(held.headers.location).expect(200);
    expect(flashOf(page.text)).toEqual([
      'warning',
      'Your post is held for review: Posts about secrets are reviewed first. Only you and moderators see it until it is approved.',
    ]);
    expect(main(page.text)).toContain('Waiting for review');
    await bob.http.get(held.headers.location).expect(404);
    const rejected = await form(ada, '/microblog/posts', { body: 'forbidden words', returnTo: '/microblog' }).expect(
      422,
    );
    expect(main(rejected.text)).toContain('The word &quot;forbidden&quot; is not allowed');
  });

  it('replies, reacts and accepts an answer through buttons, with messages saying what happened', async () => {
    const q = await post(adaUser, { body: 'Where are the spare keys?', kind: 'question', spaceId: 'support' });
    const thread = await bob.http.get(`/microblog/posts/${q.id}`).expect(200);
    expect(main(thread.text)).toContain('No answer is accepted yet.');
    expect(main(thread.text)).toContain('<textarea id="reply-body"');
    const replied = await form(bob, '/microblog/posts', {
      body: 'In the red box',
      replyToId: q.id,
      returnTo: `/microblog/posts/${q.id}`,
    }).expect(303);
    expect(replied.headers.location).toMatch(new RegExp(`^/microblog/posts/${q.id}#microblog\\.post-`));
    const replyId = replied.headers.location.split('microblog.post-')[1];
    expect(flashOf((await bob.http.get(replied.headers.location).expect(200)).text)).toEqual([
      'success',
      'Your reply is up.',
    ]);
    // Reactions: one form, a button per emoji; pressing twice adds once.
    const reacted = await form(bob, `/microblog/posts/${q.id}/react`, {
      react: 'add:heart',
      returnTo: `/microblog/posts/${q.id}`,
    }).expect(303);
    await form(bob, `/microblog/posts/${q.id}/react`, {
      react: 'add:heart',
      returnTo: `/microblog/posts/${q.id}`,
    }).expect(303);
    const afterReact = await bob.http.get(reacted.headers.location).expect(200);
    expect(flashOf(afterReact.text)).toEqual(['success', 'You reacted with ❤️.']);
    expect(main(afterReact.text)).toContain('value="remove:heart" class="mb-reaction mine" aria-pressed="true"');
    expect((await bob.http.get(`${API}/posts/${q.id}`).expect(200)).body.reactions).toEqual([
      { emoji: '❤️', count: 1, mine: true },
    ]);
    const bad = await form(bob, `/microblog/posts/${q.id}/react`, { react: 'add:poo' }).expect(303);
    expect(flashOf((await bob.http.get(bad.headers.location).expect(200)).text)?.[0]).toBe('error');
    // Bob may not accept; Ada sees the button and accepts.
    expect(main(afterReact.text)).not.toContain('Accept as the answer');
    await form(bob, `/microblog/posts/${q.id}/answer`, { replyId }).expect(403);
    const asAda = await ada.http.get(`/microblog/posts/${q.id}`).expect(200);
    expect(main(asAda.text)).toContain('Accept as the answer');
    const accepted = await form(ada, `/microblog/posts/${q.id}/answer`, { replyId }).expect(303);
    const answeredPage = await ada.http.get(accepted.headers.location).expect(200);
    expect(flashOf(answeredPage.text)).toEqual(['success', 'The reply is marked as the accepted answer.']);
    const answerSection = main(answeredPage.text).split('id="mb-answer-title"')[1].split('</section>')[0];
    expect(answerSection).toContain('In the red box');
    expect(main(answeredPage.text)).toContain('<span class="tag tag-strong">Answered</span>');
    // The board lists it among the answered ones.
    const board = await ada.http.get('/microblog/spaces/support/questions?state=answered').expect(200);
    expect(main(board.text)).toContain('Where are the spare keys?');
    const open = await ada.http.get('/microblog/spaces/support/questions?state=unanswered').expect(200);
    expect(main(open.text)).not.toContain('Where are the spare keys?');
  });

  it('pins and unpins from the space stream for its moderators only', async () => {
    const p = await post(adaUser, { body: 'Office closed on Friday', spaceId: 'support' });
    await post(bobUser, { body: 'Newer news', spaceId: 'support' });
    const asBob = await bob.http.get('/microblog/spaces/support').expect(200);
    expect(main(asBob.text)).not.toContain(`/microblog/posts/${p.id}/pin`);
    await form(bob, `/microblog/posts/${p.id}/pin`, { duration: '1d' }).expect(403);
    const pinned = await form(sam, `/microblog/posts/${p.id}/pin`, {
      duration: '1d',
      returnTo: '/microblog/spaces/support',
    }).expect(303);
    const page = await sam.http.get(pinned.headers.location).expect(200);
    expect(flashOf(page.text)?.[1]).toMatch(
      /^The post is pinned at the top of its space until \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/,
    );
    const pinnedSection = main(page.text).split('id="mb-pinned-title"')[1].split('</section>')[0];
    expect(pinnedSection).toContain('Office closed on Friday');
    await form(sam, `/microblog/posts/${p.id}/pin`, { action: 'remove' }).expect(303);
    expect(main((await sam.http.get('/microblog/spaces/support').expect(200)).text)).not.toContain(
      'id="mb-pinned-title"',
    );
  });

  it('follows and unfollows people and spaces through buttons', async () => {
    const followed = await form(ada, '/microblog/users/bob/follow', { action: 'follow' }).expect(303);
    expect(followed.headers.location).toBe('/microblog/users/bob');
    const profile = await ada.http.get('/microblog/users/bob').expect(200);
    expect(flashOf(profile.text)).toEqual([
      'success',
      'You follow Bob &lt;b&gt;Builder&lt;/b&gt;: their posts come to your home timeline.',
    ]);
    expect(main(profile.text)).toContain('Unfollow Bob &lt;b&gt;Builder&lt;/b&gt;');
    expect(main(profile.text)).toContain('1 follower');
    await form(ada, '/microblog/users/bob/follow', { action: 'unfollow' }).expect(303);
    const self = await form(ada, '/microblog/users/ada/follow', { action: 'follow' }).expect(303);
    expect(flashOf((await ada.http.get(self.headers.location).expect(200)).text)).toEqual([
      'error',
      'You cannot follow yourself.',
    ]);
    await form(bob, '/microblog/spaces/support/follow', { action: 'follow' }).expect(303);
    expect(main((await bob.http.get('/microblog/spaces/support').expect(200)).text)).toContain('Unfollow this space');
  });

  it('edits with the history shown, and shows the current text when someone saved first (409)', async () => {
    const p = await post(adaUser, { body: 'Team lunch Thursday' });
    const editForm = await ada.http.get(`/microblog/posts/${p.id}/edit`).expect(200);
    expect(textarea(editForm.text, 'edit-body')).toBe('Team lunch Thursday');
    await bob.http.get(`/microblog/posts/${p.id}/edit`).expect(403);
    const saved = await form(ada, `/microblog/posts/${p.id}/edit`, { body: 'Team lunch Friday', version: '1' }).expect(
      303,
    );
    const page = await ada.http.get(saved.headers.location).expect(200);
    expect(flashOf(page.text)).toEqual(['success', 'The post is saved; the earlier text is in its edit history.']);
    expect(main(page.text)).toContain(`href="/microblog/posts/${p.id}/history">edited</a>`);
    const history = await bob.http.get(`/microblog/posts/${p.id}/history`).expect(200);
    expect(main(history.text)).toContain('Version 1');
    expect(main(history.text)).toContain('Team lunch Thursday');
    const stale = await form(ada, `/microblog/posts/${p.id}/edit`, {
      body: 'Team lunch Saturday',
      version: '1',
    }).expect(409);
    expect(textarea(stale.text, 'edit-current')).toBe('Team lunch Friday');
    expect(textarea(stale.text, 'edit-body')).toBe('Team lunch Saturday');
    expect(stale.text).toContain('name="version" value="2"');
  });

  it('deletes one’s own post with a button', async () => {
    const p = await post(bobUser, { body: 'Typo post' });
    await form(ada, `/microblog/posts/${p.id}/delete`, {}).expect(403);
    const gone = await form(bob, `/microblog/posts/${p.id}/delete`, {}).expect(303);
    expect(flashOf((await bob.http.get(gone.headers.location).expect(200)).text)).toEqual([
      'success',
      'The post is deleted.',
    ]);
    await bob.http.get(`/microblog/posts/${p.id}`).expect(404);
  });

  it('answers ?since= with only the newer posts, for the script that adds them without a reload', async () => {
    const page = await bob.http.get('/microblog/all').expect(200);
    const since = /data-since="([^"]+)"/.exec(page.text)?.[1];
    expect(since).toBeTruthy();
    expect(page.text).toContain('data-poll="/microblog/all"');
    await post(adaUser, { body: 'Fresh from the oven' });
    const fresh = await bob.http.get('/microblog/all').query({ since }).expect(200);
    const items = main(fresh.text).split('data-mb-stream')[1];
    expect(items).toContain('Fresh from the oven');
    expect(items).not.toContain('Coffee machine fixed');
    expect(/data-since="([^"]+)"/.exec(fresh.text)?.[1]).not.toBe(since);
  });

  it('speaks Dutch to Dutch readers', async () => {
    const page = await bob.http.get('/microblog').set('accept-language', 'nl').expect(200);
    expect(page.text).toContain('>Iedereen</a>');
    expect(page.text).toContain('Hoogstens 500 tekens.');
    const board = await bob.http.get('/microblog/questions').set('accept-language', 'nl').expect(200);
    expect(board.text).toContain('Vragen zonder geaccepteerd antwoord staan bovenaan.');
  });

  it('renders every microblog page without inline script or style, with user text escaped', async () => {
    const evil = await post(adaUser, {
      body: '"><img src=x onerror=alert(1)> <script>alert(2)</script> #tag',
      kind: 'question',
      spaceId: 'support',
    });
    await adaUser.http.put(`${API}/posts/${evil.id}`).send({ body: 'changed <svg onload=alert(3)>' }).expect(200);
    const urls = [
      '/microblog',
      '/microblog/all',
      '/microblog/questions',
      '/microblog/spaces/support',
      '/microblog/spaces/support/questions',
      '/microblog/users/bob',
      '/microblog/users/ada',
      '/microblog/tags/tag',
      '/microblog/compose',
      `/microblog/compose?replyTo=${evil.id}`,
      `/microblog/posts/${evil.id}`,
      `/microblog/posts/${evil.id}/edit`,
      `/microblog/posts/${evil.id}/history`,
    ];
    for (const url of urls) {
      const res = await ada.http.get(url).expect(200);
      const html = main(res.text).replace('<script src="/plugins/microblog/microblog.js" defer></script>', '');
      // Inside tags only: escaped text may well read "onerror=".
      expect({ url, inline: /<script|<[^>]*\s(style|on[a-z]+)=/i.test(html) }).toEqual({ url, inline: false });
      expect({ url, raw: html.includes('<img src=x') || html.includes('<svg') }).toEqual({ url, raw: false });
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });
});
