import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `settings` counter: the gate caches the settings per version instead of reading them on every post. */
export class ModerationSettingsVersion1760000000001 implements MigrationInterface {
  name = 'ModerationSettingsVersion1760000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO moderation_state (name, version) VALUES ('settings', 1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM moderation_state WHERE name = 'settings'`);
  }
}
