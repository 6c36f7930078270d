/**
 * Audiences (`Contents.registerAudiences`, `submit({ audience })`, `setAudience`): a plugin narrows
 * who may read an item within its space — a forum category's readers — and core's lists that span
 * plugins (the activity stream, search, digests) and `Contents.getVisible` keep everyone else out,
 * inside the query. Here the notes fixture puts a note in a "circle": everyone is in the circle
 * named after them plus "-friends".
 */
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import { ContentsService } from '../../core/src/content/contents.service';
import { notes } from '../fixtures/notes/notes.plugin';

jest.setTimeout(90_000);

describe('audiences', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bea: TestUser;
  let cas: TestUser;
  let mod: TestUser;
  let circleNote: { id: string; contentId: string };
  let openNote: { id: string; contentId: string };

  const streamOf = async (who: TestUser) =>
    ((await who.http.get('/api/v1/activity').expect(200)).body.items as Array<{ contentId: string }>).map((i) => i.contentId);
  const searchOf = async (who: TestUser, q: string) =>
    ((await who.http.get('/api/v1/search').query({ q }).expect(200)).body.items as Array<{ contentId: string }>).map((i) => i.contentId);

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [notes] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada' });
    bea = await intranet.createUser({ handle: 'bea', displayName: 'Bea' });
    cas = await intranet.createUser({ handle: 'cas', displayName: 'Cas' });
    mod = await intranet.createUser({ handle: 'mod', displayName: 'Mo', roles: ['moderator'] });
    circleNote = (await ada.http.post('/api/v1/notes').send({ text: 'Salary bands for the restructuring', circle: 'bea-friends' }).expect(201)).body;
    openNote = (await ada.http.post('/api/v1/notes').send({ text: 'Restructuring town hall on Friday' }).expect(201)).body;
    await intranet.runDueJobs();
  });
  afterAll(() => intranet?.close());

  it('keeps an item out of the activity stream of those outside its audience', async () => {
    expect(await streamOf(bea)).toEqual(expect.arrayContaining([circleNote.contentId, openNote.contentId]));
    expect(await streamOf(ada)).toContain(circleNote.contentId);
    const outsider = await streamOf(cas);
    expect(outsider).toContain(openNote.contentId);
    expect(outsider).not.toContain(circleNote.contentId);
  });

  it('keeps it out of search results, inside the query', async () => {
    expect(await searchOf(bea, 'restructuring')).toEqual(expect.arrayContaining([circleNote.contentId, openNote.contentId]));
    const outsider = await searchOf(cas, 'restructuring');
    expect(outsider).toEqual([openNote.contentId]);
  });

  it('hides one item outside the audience from getVisible, but shows it to its author and to moderators', async () => {
    const contents = intranet.get(ContentsService);
    await expect(contents.getVisible(cas.user, circleNote.contentId)).rejects.toThrow();
    await expect(contents.getVisible(bea.user, circleNote.contentId)).resolves.toMatchObject({ audience: 'notes:circle:bea-friends' });
    await expect(contents.getVisible(ada.user, circleNote.contentId)).resolves.toBeTruthy();
    await expect(contents.getVisible(mod.user, circleNote.contentId)).resolves.toBeTruthy();
    expect(await streamOf(mod)).toContain(circleNote.contentId);
    // The owning plugin's own check leaves the audience to the plugin (its finer rules apply there).
    await cas.http.get(`/api/v1/notes/${circleNote.id}`).expect(200);
  });

  it('moves items to another audience, or to none, with setAudience; keys must be the plugin’s own', async () => {
    const contents = intranet.get(ContentsService);
    await contents.setAudience('notes', [circleNote.contentId], 'notes:circle:cas-friends');
    expect(await streamOf(cas)).toContain(circleNote.contentId);
    expect(await streamOf(bea)).not.toContain(circleNote.contentId);
    await contents.setAudience('notes', [circleNote.contentId], null);
    expect(await streamOf(bea)).toContain(circleNote.contentId);
    await expect(contents.setAudience('notes', [circleNote.contentId], 'forum:category:1')).rejects.toThrow(/starting with 'notes:'/);
  });
});
