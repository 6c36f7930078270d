import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import kudos from '@plein/example-kudos';
import { ContentsService } from '../../core/src/content/contents.service';
import { gatekeeper, notes } from '../fixtures/notes/notes.plugin';

describe('the content contract', () => {
  let intranet: TestIntranet;
  let author: TestUser;
  let reader: TestUser;
  let moderator: TestUser;
  let spaceId: string;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos, notes, gatekeeper] });
    author = await intranet.createUser({ handle: 'author' });
    reader = await intranet.createUser({ handle: 'reader' });
    moderator = await intranet.createUser({ handle: 'mod', roles: ['moderator'] });
    spaceId = (await author.http.post('/api/v1/spaces').send({ slug: 'team', name: 'Team', visibility: 'private', joinPolicy: 'invite' }).expect(201)).body.id;
  });
  afterAll(() => intranet.close());

  const noteIds = async (who: TestUser | null) =>
    ((await (who ? who.http : intranet.http).get('/api/v1/notes').expect(200)).body.items as Array<{ body: string }>).map((n) => n.body);

  it('publishes what no gate objects to, for everyone who may see it', async () => {
    const res = await author.http.post('/api/v1/notes').send({ text: 'Lunch at noon' }).expect(201);
    expect(res.body).toMatchObject({ status: 'published', type: 'notes.note', spaceId: null });
    expect(await noteIds(reader)).toContain('Lunch at noon');
    expect(await noteIds(null)).toContain('Lunch at noon');
    expect(intranet.events.map((e) => e.name)).toContain('content.published');
  });

  it('holds an item for review: its author and moderators see it, nobody else does', async () => {
    const res = await author.http.post('/api/v1/notes').send({ text: 'What about the reorg?' }).expect(201);
    expect(res.body).toMatchObject({ status: 'pending', statusReason: 'Posts about the reorganisation are reviewed first' });
    expect(await noteIds(author)).toContain('What about the reorg?');
    expect(await noteIds(moderator)).toContain('What about the reorg?');
    expect(await noteIds(reader)).not.toContain('What about the reorg?');
    expect(await noteIds(null)).not.toContain('What about the reorg?');
    await reader.http.get(`/api/v1/notes/${res.body.id}`).expect(404);
    await author.http.get(`/api/v1/notes/${res.body.id}`).expect(200);
    expect(intranet.events.map((e) => e.name)).toContain('content.held');
  });

  it('rejects with 422 and the gate’s reason, storing nothing', async () => {
    const before = (await noteIds(author)).length;
    const res = await author.http.post('/api/v1/notes').send({ text: 'This is forbidden talk' }).expect(422);
    expect(res.body.errors).toEqual([{ field: 'text', message: 'The word "forbidden" is not allowed here' }]);
    expect((await noteIds(author)).length).toBe(before);
  });

  it('stores the censored text a gate returns', async () => {
    const res = await author.http.post('/api/v1/notes').send({ text: 'Oh darn it' }).expect(201);
    expect(res.body.body).toBe('Oh **** it');
  });

  it('takes a hidden item out of every listing, and brings it back on restore', async () => {
    const res = await author.http.post('/api/v1/notes').send({ text: 'Soon hidden' }).expect(201);
    const contents = intranet.get(ContentsService);
    await contents.setStatus(res.body.contentId, 'hidden', { actorId: moderator.user.id, reason: 'Off-topic' });
    for (const who of [author, reader, moderator, null]) expect(await noteIds(who)).not.toContain('Soon hidden');
    await reader.http.get(`/api/v1/notes/${res.body.id}`).expect(404);
    expect(intranet.events.filter((e) => e.name === 'content.hidden')).toHaveLength(1);
    await contents.setStatus(res.body.contentId, 'published', { actorId: moderator.user.id });
    expect(await noteIds(reader)).toContain('Soon hidden');
    expect(intranet.events.map((e) => e.name)).toContain('content.restored');
  });

  it('keeps a private space’s content from non-members, in listings and by id', async () => {
    const res = await author.http.post('/api/v1/notes').send({ text: 'Team only', spaceId }).expect(201);
    expect(await noteIds(author)).toContain('Team only');
    expect(await noteIds(reader)).not.toContain('Team only');
    await reader.http.get(`/api/v1/notes/${res.body.id}`).expect(404);
    // Writing into a space one cannot see is a 404 too, not a 403.
    await reader.http.post('/api/v1/notes').send({ text: 'Let me in', spaceId }).expect(404);
    await author.http.post('/api/v1/spaces/team/members').send({ userId: reader.user.id, role: 'member' }).expect(201);
    expect(await noteIds(reader)).toContain('Team only');
  });

  it('lets a space moderator see held items of their space only', async () => {
    await author.http.post('/api/v1/spaces/team/members').send({ userId: reader.user.id, role: 'moderator' }).expect(201);
    await author.http.post('/api/v1/notes').send({ text: 'Team reorg plans', spaceId }).expect(201);
    await author.http.post('/api/v1/notes').send({ text: 'Company reorg plans' }).expect(201);
    const seen = await noteIds(reader);
    expect(seen).toContain('Team reorg plans');
    expect(seen).not.toContain('Company reorg plans');
  });

  it('runs kudos through the same gate, with no gate code in the kudos plugin', async () => {
    const held = await author.http.post('/api/v1/kudos').send({ toUserId: reader.user.id, message: 'Thanks for the reorg memo' }).expect(201);
    expect(held.body.status).toBe('pending');
    const listed = async (who: TestUser | null) => ((await (who ? who.http : intranet.http).get('/api/v1/kudos').expect(200)).body.items as Array<{ id: string }>).map((k) => k.id);
    expect(await listed(author)).toContain(held.body.id);
    expect(await listed(moderator)).toContain(held.body.id);
    expect(await listed(reader)).not.toContain(held.body.id);
    await author.http.post('/api/v1/kudos').send({ toUserId: reader.user.id, message: 'forbidden thanks' }).expect(422);
  });

  it('lets the owner of an item edit it through an -own permission, and moderators edit any', async () => {
    const { Permissions } = await import('@plein/sdk');
    const permissions = intranet.get(Permissions);
    expect(await permissions.can(author.user, 'notes.note.edit', { ownerId: author.user.id })).toBe(true);
    expect(await permissions.can(reader.user, 'notes.note.edit', { ownerId: author.user.id })).toBe(false);
    expect(await permissions.can(moderator.user, 'notes.note.edit', { ownerId: author.user.id })).toBe(true);
  });
});
