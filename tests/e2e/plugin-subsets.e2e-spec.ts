/**
 * Plugin independence: every subset of {wiki, microblog, forum, moderation} (16 sets, the empty one
 * included) boots on a fresh database and passes a smoke check. A plugin that reached into another
 * one (an import, a table, a route it assumes) fails here in the sets that leave the other out.
 */
import forum from '@plein/plugin-forum';
import microblog from '@plein/plugin-microblog';
import moderation from '@plein/plugin-moderation';
import wiki from '@plein/plugin-wiki';
import type { PluginDefinition } from '@plein/sdk';
import { createTestIntranet } from '@plein/sdk/testing';

jest.setTimeout(600_000);

const ALL: PluginDefinition[] = [wiki, microblog, forum, moderation];

const SETS: PluginDefinition[][] = Array.from({ length: 1 << ALL.length }, (_, mask) =>
  ALL.filter((_p, i) => mask & (1 << i)),
);

const name = (set: PluginDefinition[]) => (set.length ? set.map((p) => p.id).join(' + ') : 'core alone');

describe('plugin subsets', () => {
  it('lists sixteen sets', () => {
    expect(new Set(SETS.map(name)).size).toBe(16);
  });

  it.each(SETS.map((set) => [name(set), set] as const))('boots %s and serves its pages', async (_label, set) => {
    const intranet = await createTestIntranet({ plugins: set });
    try {
      const health = await intranet.http.get('/api/v1/health').expect(200);
      expect((health.body.plugins as Array<{ id: string; state: string }>).map((p) => [p.id, p.state]).sort()).toEqual(
        set.map((p) => [p.id, 'enabled']).sort(),
      );
      const admin = await intranet.createUser({ roles: ['admin'] });
      const home = await admin.http.get('/').expect(200);
      for (const plugin of ALL) {
        // The navigation names exactly the plugins that are there, and each one's start page answers.
        expect(home.text.includes(`href="/${plugin.id}"`)).toBe(set.includes(plugin));
        if (set.includes(plugin)) await admin.http.get(`/${plugin.id}`).expect(200);
        else await admin.http.get(`/${plugin.id}`).expect(404);
      }
      // Content of each content plugin there: moderation's Report action appears on it exactly when
      // moderation is there, with no code for it in the content plugin.
      const author = await intranet.createUser({});
      const items: Array<{ url: string; contentId: string }> = [];
      if (set.includes(wiki)) {
        const page = (
          await author.http.post('/api/v1/wiki/pages').send({ title: 'Subset page', body: 'Hello' }).expect(201)
        ).body;
        items.push({ url: page.path, contentId: page.contentId });
      }
      if (set.includes(microblog)) {
        const post = (
          await author.http.post('/api/v1/microblog/posts').send({ body: 'Hello from a subset' }).expect(201)
        ).body;
        items.push({ url: `/microblog/posts/${post.id}`, contentId: post.contentId });
      }
      if (set.includes(forum)) {
        const category = (
          await admin.http.post('/api/v1/forum/categories').send({ slug: 'general', name: 'General' }).expect(201)
        ).body;
        const topic = (
          await author.http
            .post(`/api/v1/forum/categories/${category.id}/topics`)
            .send({ title: 'Subset topic', body: 'Hello' })
            .expect(201)
        ).body;
        items.push({ url: `/forum/t/${topic.id}`, contentId: topic.contentId });
      }
      for (const item of items) {
        const seen = await admin.http.get(item.url).redirects(1).expect(200);
        expect(seen.text.includes(`/moderation/report/${item.contentId}`)).toBe(set.includes(moderation));
      }
    } finally {
      await intranet.close();
    }
  });
});
