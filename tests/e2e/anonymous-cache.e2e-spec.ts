/**
 * The anonymous page cache (`@AnonymousCache`, here on the wiki's read page): visitors who are not
 * signed in share the rendered page, but never a stale one after a change through this instance,
 * never someone else's CSRF token, and never a page meant for a signed-in person.
 */
import wiki from '@plein/plugin-wiki';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import { AnonymousPageCache } from '../../core/src/views/anonymous-cache';

jest.setTimeout(60_000);

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

describe('anonymous page cache', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let page: { id: string; path: string; revision: number };

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [wiki] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada' });
    page = (await ada.http.post('/api/v1/wiki/pages').send({ title: 'Opening hours', body: 'We open at **nine**.' }).expect(201)).body;
  });
  afterAll(() => intranet.close());

  it('serves the page people read after a change through this instance, not the cached one', async () => {
    const first = await intranet.agent().get(page.path).expect(200);
    expect(first.text).toContain('<strong>nine</strong>');
    await ada.http.put(`/api/v1/wiki/pages/${page.id}`).send({ body: 'We open at **ten**.', baseRevision: page.revision }).expect(200);
    const second = await intranet.agent().get(page.path).expect(200);
    expect(second.text).toContain('<strong>ten</strong>');
    expect(second.text).not.toContain('<strong>nine</strong>');
  });

  it('never lets the token placeholder of a cached page reach a visitor', async () => {
    await intranet.agent().get(page.path).expect(200);
    const again = await intranet.agent().get(page.path).expect(200);
    expect(again.text).not.toMatch(/plein-csrf-[0-9a-f]{24}/);
    const a = csrfOf(again.text);
    const b = csrfOf((await intranet.agent().get(page.path).expect(200)).text);
    // Pages that carry a form for visitors carry each visitor's own token.
    if (a || b) expect(a).not.toBe(b);
  });

  it('never serves a signed-in person the anonymous page', async () => {
    await intranet.agent().get(page.path).expect(200);
    const mine = await ada.http.get(page.path).expect(200);
    expect(mine.text).toContain('Ada');
  });

  it('keeps a page apart per language', async () => {
    const en = await intranet.agent().get(page.path).set('accept-language', 'en').expect(200);
    const nl = await intranet.agent().get(page.path).set('accept-language', 'nl').expect(200);
    expect(en.text).toContain('lang="en"');
    expect(nl.text).toContain('lang="nl"');
  });

  it('expires entries and drops the oldest when full', () => {
    let now = 0;
    const cache = new AnonymousPageCache(() => now, 2);
    cache.set('a', `x ${cache.tokenPlaceholder} y`, 200, 10);
    expect(cache.get('a', () => 'T')?.html).toBe('x T y');
    cache.set('b', 'b', 200, 10);
    cache.set('c', 'c', 200, 10);
    expect(cache.get('a', () => 'T')).toBeNull();
    now = 10_000;
    expect(cache.get('b', () => 'T')).toBeNull();
  });

  it('asks for a token only when the page holds a form', () => {
    const cache = new AnonymousPageCache();
    const token = jest.fn(() => 'T');
    cache.set('plain', '<p>no form</p>', 200, 10);
    expect(cache.get('plain', token)?.html).toBe('<p>no form</p>');
    expect(token).not.toHaveBeenCalled();
    expect(cache.fill(`<input value="${cache.tokenPlaceholder}">`, token)).toBe('<input value="T">');
    expect(token).toHaveBeenCalledTimes(1);
  });

  it('sets the anonymous cookie only on pages with a form, cached or not', async () => {
    const setsAnonCookie = (res: { headers: Record<string, unknown> }) =>
      ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []).some((c) => c.startsWith('plein_anon='));
    for (let i = 0; i < 2; i++) {
      const read = await intranet.agent().get(page.path).expect(200);
      expect(csrfOf(read.text) !== undefined).toBe(setsAnonCookie(read));
    }
    const login = await intranet.agent().get('/login').expect(200);
    expect(csrfOf(login.text)).toBeDefined();
    expect(setsAnonCookie(login)).toBe(true);
  });
});
