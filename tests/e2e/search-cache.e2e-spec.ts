/**
 * The search answer cache (docs/search.md, "The answer cache"): a repeated search is answered from
 * it; an index write, a status change or a changed membership is seen on the very next search;
 * several instances on one database see each other's index writes within the state beat; with no
 * entries there is no cache and search works as before. Changes here are made through the services
 * (not HTTP, whose writes also empty the instance's cache) so that the version and the key are
 * what is tested.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import request from 'supertest';
import type { RunningPlein } from '../../core/src/app/boot';
import { ConfigError, loadConfig } from '../../core/src/config/config';
import { ContentsService } from '../../core/src/content/contents.service';
import { DatabaseService } from '../../core/src/database/database.service';
import { PermissionsService } from '../../core/src/permissions/permissions.service';
import { SearchIndexer } from '../../core/src/search/search-indexer';
import { SearchService } from '../../core/src/search/search.service';
import { SpacesService } from '../../core/src/spaces/spaces.service';
import { notes } from '../fixtures/notes/notes.plugin';
import { eventually } from './helpers';
import { severalInstances } from './instances';

jest.setTimeout(120_000);

describe('the search answer cache', () => {
  let intranet: TestIntranet;
  let search: SearchService;
  let ada: TestUser;
  let bea: TestUser;
  let board: { id: string };

  const found = async (who: TestUser | null, q: string) => {
    const res = await (who ? who.http : intranet.http).get('/api/v1/search').query({ q }).expect(200);
    return (res.body.items as Array<{ contentId: string }>).map((i) => i.contentId);
  };
  const note = async (who: TestUser, text: string, spaceId?: string) =>
    (await who.http.post('/api/v1/notes').send({ text, spaceId }).expect(201)).body.contentId as string;
  const stats = () => ({ ...search.cacheStats });

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [notes] });
    search = intranet.get(SearchService);
    // Visitors may search here, to show that they share one answer.
    const permissions = intranet.get(PermissionsService);
    const anonymous = (await permissions.listRoles()).find((r) => r.name === 'anonymous')!;
    await permissions.setRolePermissions('anonymous', [...anonymous.permissions, 'core.search.use']);
    ada = await intranet.createUser({ handle: 'ada' });
    bea = await intranet.createUser({ handle: 'bea' });
    board = (
      await ada.http
        .post('/api/v1/spaces')
        .send({ slug: 'board', name: 'Board', visibility: 'private', joinPolicy: 'invite' })
        .expect(201)
    ).body;
    await intranet.get(SpacesService).setMember(board.id, bea.user.id, 'member');
    await note(ada, 'Zebra crossing at the main gate');
    await note(ada, 'Zebra budget for the board', board.id);
    await intranet.runDueJobs();
  });
  afterAll(() => intranet?.close());

  it('answers a repeated search from the cache, per reader', async () => {
    const first = await found(ada, 'zebra');
    expect(first).toHaveLength(2);
    const before = stats();
    expect(await found(ada, 'ZEBRA')).toEqual(first);
    expect(stats()).toEqual({ hits: before.hits + 1, misses: before.misses });
    // Another reader, or the same words with a filter, is another answer.
    await found(null, 'zebra');
    await found(ada, 'zebra crossing');
    expect(stats()).toEqual({ hits: before.hits + 1, misses: before.misses + 2 });
    // Everyone not signed in shares one.
    await found(null, 'zebra');
    expect(stats().hits).toBe(before.hits + 2);
    expect(search.cacheSize).toBeGreaterThan(0);
    // The same search twice at once is computed once.
    const [one, two] = await Promise.all([found(ada, 'gate'), found(ada, 'gate')]);
    expect(one).toEqual(two);
    expect(stats()).toEqual({ hits: before.hits + 3, misses: before.misses + 3 });
  });

  it('finds a new item as soon as it is indexed: the index write moves the version on', async () => {
    const before = stats();
    const answer = await found(ada, 'zebra');
    expect(await found(ada, 'zebra')).toEqual(answer);
    expect(stats().hits).toBeGreaterThan(before.hits);
    // Submitted through the service: no request of ours empties the cache, only the index write does.
    const { record } = await intranet
      .get(ContentsService)
      .submit('notes', { type: 'notes.note', authorId: ada.user.id, text: 'Zebra stripes on the new logo' });
    await intranet.runDueJobs();
    expect(await eventually(async () => (await found(ada, 'zebra')).includes(record.id), 5_000)).toBe(true);
  });

  it('drops an item a moderator hides on the very next search, before its event is delivered', async () => {
    const id = await note(ada, 'Zebra parade photos');
    await intranet.runDueJobs();
    expect(await found(bea, 'parade')).toEqual([id]);
    expect(await found(bea, 'parade')).toEqual([id]);
    expect(stats().hits).toBeGreaterThan(0);
    await intranet.get(ContentsService).setStatus(id, 'hidden', { actorId: ada.user.id, reason: 'off topic' });
    expect(await found(bea, 'parade')).toEqual([]);
    // Restored: back once its events have been handled (with workers, the hide may have taken it out of the index).
    await intranet.get(ContentsService).setStatus(id, 'published', { actorId: ada.user.id });
    await intranet.runDueJobs();
    expect(await eventually(async () => (await found(bea, 'parade')).includes(id), 5_000)).toBe(true);
  });

  it("sees a write to core_content made by SQL through Plein's own connection on the next search", async () => {
    const id = await note(ada, 'Zebrafish tank cleaning rota');
    await intranet.runDueJobs();
    expect(await found(bea, 'zebrafish')).toEqual([id]);
    expect(await found(bea, 'zebrafish')).toEqual([id]);
    const db = intranet.get(DatabaseService);
    await db.manager().query("UPDATE core_content SET status = 'hidden' WHERE id = ?", [id]);
    expect(await found(bea, 'zebrafish')).toEqual([]);
    await db.manager().query("UPDATE core_content SET status = 'published' WHERE id = ?", [id]);
    expect(await found(bea, 'zebrafish')).toEqual([id]);
  });

  it('gives a reader who left a private space nothing of it on the very next search, and everything again when they are back', async () => {
    const spaces = intranet.get(SpacesService);
    const [secret] = await found(bea, 'budget');
    expect(secret).toBeDefined();
    expect(await found(bea, 'budget')).toEqual([secret]);
    const before = stats();
    await spaces.removeMember(board.id, bea.user.id);
    expect(await found(bea, 'budget')).toEqual([]);
    expect(stats().misses).toBe(before.misses + 1);
    await spaces.setMember(board.id, bea.user.id, 'member');
    expect(await found(bea, 'budget')).toEqual([secret]);
  });

  it('keys a space admin apart from a member of the same space', async () => {
    const spaces = intranet.get(SpacesService);
    await found(bea, 'budget');
    const before = stats();
    await spaces.setMember(board.id, bea.user.id, 'moderator');
    await found(bea, 'budget');
    expect(stats().misses).toBe(before.misses + 1);
    await spaces.setMember(board.id, bea.user.id, 'member');
  });
});

describe('the search answer cache on several instances', () => {
  const instances = severalInstances('plein-search-cache-');
  const instance = (cacheEntries = 1000) =>
    instances.instance({ plugins: [notes], config: { search: { cacheEntries, cacheTtlMs: 60_000 } } });
  afterAll(() => instances.close());

  it("sees another instance's index writes within the state beat, and works with the cache off", async () => {
    const a = await instance();
    const b = await instance();
    const off = await instance(0);
    const ada = await a.users.create({ email: 'ada@example.test', handle: 'ada', displayName: 'Ada', roles: [] });
    const token = `Bearer ${(await a.users.issueToken(ada.id, 'test')).token}`;
    const on = (plein: RunningPlein) => request(plein.app.getHttpServer());
    const find = async (plein: RunningPlein, q: string) =>
      (
        (await on(plein).get('/api/v1/search').query({ q }).set('authorization', token).expect(200)).body
          .items as Array<{ contentId: string }>
      ).map((i) => i.contentId);
    // The index is written where the content events are delivered: here, by hand (jobs are off).
    const post = async (text: string) => {
      const contentId = (await on(a).post('/api/v1/notes').set('authorization', token).send({ text }).expect(201)).body
        .contentId as string;
      await new SearchIndexer(a.db).refresh(contentId);
      return contentId;
    };

    const first = await post('Okapi sighting near the canteen');
    expect(await find(b, 'okapi')).toEqual([first]);
    expect(await find(b, 'okapi')).toEqual([first]);
    expect(b.search.cacheStats.hits).toBe(1);

    const second = await post('Okapi again, by the car park');
    expect(await eventually(async () => (await find(b, 'okapi')).length === 2, 5_000)).toBe(true);
    expect(await eventually(async () => (await find(a, 'okapi')).length === 2, 5_000)).toBe(true);
    expect((await find(b, 'okapi')).sort()).toEqual([first, second].sort());

    // A moderator's hide on A reaches B's cached answer within the beat too.
    await a.contents.setStatus(second, 'hidden', { actorId: ada.id });
    expect(await find(a, 'okapi')).toEqual([first]);
    expect(await eventually(async () => (await find(b, 'okapi')).length === 1, 5_000)).toBe(true);

    // A private space made public on A: B's visitors find its items within the beat (the state
    // holds which spaces are private), and A's at once.
    const cas = await a.users.create({ email: 'cas@example.test', handle: 'cas', displayName: 'Cas', roles: [] });
    const casToken = `Bearer ${(await a.users.issueToken(cas.id, 'test')).token}`;
    const findAs = async (plein: RunningPlein, q: string) =>
      (
        (await on(plein).get('/api/v1/search').query({ q }).set('authorization', casToken).expect(200)).body
          .items as Array<{ contentId: string }>
      ).map((i) => i.contentId);
    const lab = await a.spaces.create(
      { slug: 'lab', name: 'Lab', visibility: 'private', joinPolicy: 'invite' },
      ada.id,
    );
    const inLab = (
      await on(a)
        .post('/api/v1/notes')
        .set('authorization', token)
        .send({ text: 'Tapir plans', spaceId: lab.id })
        .expect(201)
    ).body.contentId as string;
    await new SearchIndexer(a.db).refresh(inLab);
    expect(await eventually(async () => (await find(b, 'tapir')).length === 1, 5_000)).toBe(true);
    expect(await findAs(b, 'tapir')).toEqual([]);
    expect(await findAs(b, 'tapir')).toEqual([]);
    await a.spaces.update(lab, { visibility: 'public' });
    expect(await eventually(async () => (await findAs(b, 'tapir')).length === 1, 5_000)).toBe(true);

    // No cache: every search is computed, and finds what is there.
    expect(await find(off, 'okapi')).toEqual([first]);
    expect(await find(off, 'okapi')).toEqual([first]);
    expect(off.search.cacheStats).toEqual({ hits: 0, misses: 0 });
    expect(off.search.cacheSize).toBe(0);
  });
});

describe('the search answer cache settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plein-search-cache-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const load = (env: NodeJS.ProcessEnv) =>
    loadConfig({ PLEIN_CONFIG: undefined, PLEIN_DATA_DIR: dir, ...env }, { secret: 's' }, dir);

  it('takes whole numbers from the environment: 1000 entries and a minute by default', () => {
    expect(load({}).search).toEqual({ cacheEntries: 1000, cacheTtlMs: 60_000 });
    expect(load({ PLEIN_SEARCH_CACHE_ENTRIES: '0', PLEIN_SEARCH_CACHE_TTL_MS: '5000' }).search).toEqual({
      cacheEntries: 0,
      cacheTtlMs: 5000,
    });
    expect(() => load({ PLEIN_SEARCH_CACHE_ENTRIES: 'many' })).toThrow(ConfigError);
    expect(() => load({ PLEIN_SEARCH_CACHE_TTL_MS: '-1' })).toThrow(
      /PLEIN_SEARCH_CACHE_TTL_MS: expected a whole number/,
    );
  });

  it('reads plein.config.json under search, below the environment', () => {
    writeFileSync(join(dir, 'plein.config.json'), JSON.stringify({ search: { cacheEntries: 50 } }));
    expect(load({}).search).toEqual({ cacheEntries: 50, cacheTtlMs: 60_000 });
    expect(load({ PLEIN_SEARCH_CACHE_ENTRIES: '7' }).search.cacheEntries).toBe(7);
  });
});
