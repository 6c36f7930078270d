/**
 * The plugin sets in examples/plugin-sets: each plein.config.json, read by core's config loader as
 * `PLEIN_CONFIG` would point it there, boots on a fresh database with exactly its plugins.
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@plein/core';
import { createTestIntranet } from '@plein/sdk/testing';

jest.setTimeout(120_000);

const DIR = join(__dirname, '..', '..', 'examples', 'plugin-sets');

const SETS = readdirSync(DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** The four plugins of the repository and the page each one starts at. */
const MAIN_PAGES: Record<string, string> = {
  wiki: '/wiki',
  microblog: '/microblog',
  forum: '/forum',
  moderation: '/moderation',
};

const pluginId = (packageName: string) => packageName.replace(/^@plein\/plugin-/, '');

describe('plugin sets', () => {
  it('has the three documented sets', () => {
    expect(SETS).toEqual(['forum-only', 'knowledge-base', 'social-intranet']);
  });

  it.each(SETS)('boots %s with exactly its plugins, each main page answering', async (set) => {
    const config = loadConfig({
      PLEIN_CONFIG: join(DIR, set, 'plein.config.json'),
      PLEIN_SECRET: 'plugin-sets',
      PLEIN_DATA_DIR: tmpdir(),
    });
    expect(config.configPath).toBe(join(DIR, set, 'plein.config.json'));
    const ids = config.plugins.map(pluginId).sort();
    expect(ids.length).toBeGreaterThan(0);
    const intranet = await createTestIntranet({ plugins: config.plugins });
    try {
      const health = await intranet.http.get('/api/v1/health').expect(200);
      expect(health.body.status).toBe('ok');
      expect((health.body.plugins as Array<{ id: string; state: string }>).map((p) => [p.id, p.state]).sort()).toEqual(
        ids.map((id) => [id, 'enabled']),
      );
      const admin = await intranet.createUser({ roles: ['admin'] });
      const listed = await admin.http.get('/api/v1/plugins').expect(200);
      const items = listed.body.items as Array<{ id: string; state: string }>;
      expect(items.map((p) => p.id).sort()).toEqual(ids);
      expect(items.every((p) => p.state === 'enabled')).toBe(true);
      for (const [id, page] of Object.entries(MAIN_PAGES)) {
        await admin.http.get(page).expect(ids.includes(id) ? 200 : 404);
      }
    } finally {
      await intranet.close();
    }
  });
});
