import type { TestIntranet, TestUser } from '@plein/sdk/testing';

/** A kudo given through the kudos example's API: `{ id, contentId, status, message }`. */
export async function kudo(
  from: TestUser,
  to: TestUser,
  message: string,
  expected = 201,
): Promise<{ id: string; contentId: string; status: string; message: string }> {
  const res = await from.http.post('/api/v1/kudos').send({ toUserId: to.user.id, message }).expect(expected);
  return res.body;
}

/** A space made by `owner` (its admin), with members added in the given roles. */
export async function space(
  owner: TestUser,
  slug: string,
  members: Array<[TestUser, 'member' | 'moderator' | 'admin']> = [],
  visibility: 'public' | 'private' = 'public',
): Promise<{ id: string; slug: string }> {
  const res = await owner.http
    .post('/api/v1/spaces')
    .send({ slug, name: slug.toUpperCase(), visibility, joinPolicy: 'invite' })
    .expect(201);
  for (const [user, role] of members) {
    await owner.http.post(`/api/v1/spaces/${res.body.id}/members`).send({ userId: user.user.id, role }).expect(201);
  }
  return res.body;
}

/** A wiki page through the wiki's API: `{ id, contentId, status, path }`. */
export async function wikiPage(
  author: TestUser,
  title: string,
  body: string,
  spaceId?: string,
  expected = 201,
): Promise<{ id: string; contentId: string; status: string; path: string }> {
  const res = await author.http
    .post('/api/v1/wiki/pages')
    .send({ title, body, ...(spaceId ? { spaceId } : {}) })
    .expect(expected);
  return res.body;
}

/** The open queue items of a lane as `moderator` sees them. */
export async function queue(
  moderator: TestUser,
  lane?: string,
  query: Record<string, string> = {},
): Promise<Array<Record<string, any>>> {
  const res = await moderator.http
    .get('/api/v1/moderation/queue')
    .query({ ...(lane ? { lane } : {}), ...query, limit: '100' })
    .expect(200);
  return res.body.items;
}

/** The open queue item about a content item in a lane, or undefined. */
export async function itemFor(
  moderator: TestUser,
  lane: string,
  contentId: string,
): Promise<Record<string, any> | undefined> {
  return (await queue(moderator, lane)).find((i) => i.content?.contentId === contentId);
}

/** The notifications of a user, newest first. */
export async function notifications(user: TestUser): Promise<Array<{ title: string; url: string; kind: string }>> {
  return (await user.http.get('/api/v1/notifications').query({ limit: '100' }).expect(200)).body.items;
}

/** Changes the moderation settings as a site administrator. */
export async function settings(
  intranet: TestIntranet,
  admin: TestUser,
  values: Record<string, unknown>,
): Promise<void> {
  await admin.http.put('/api/v1/moderation/settings').send(values).expect(200);
}
