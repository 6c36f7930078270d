import { Column, Entity, PrimaryColumn } from 'typeorm';

export const SPACE_POLICIES = ['space-choice', 'forced-on', 'forced-off'] as const;
export type SpacePolicy = (typeof SPACE_POLICIES)[number];

/** A space admin's choice: this plugin on or off in this space. */
@Entity('core_space_plugin')
export class SpacePluginRow {
  @PrimaryColumn({ name: 'space_id', type: 'varchar', length: 36 }) spaceId: string;
  @PrimaryColumn({ name: 'plugin_id', type: 'varchar', length: 64 }) pluginId: string;
  @Column({ type: 'boolean' }) enabled: boolean;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
  @Column({ name: 'updated_by', type: 'varchar', length: 36, nullable: true }) updatedBy: string | null;
}

/** The site's policy for a plugin in spaces; no row: `space-choice`, on by default. */
@Entity('core_plugin_space_policy')
export class PluginSpacePolicyRow {
  @PrimaryColumn({ name: 'plugin_id', type: 'varchar', length: 64 }) pluginId: string;
  @Column({ type: 'varchar', length: 16 }) policy: SpacePolicy;
  @Column({ name: 'default_enabled', type: 'boolean' }) defaultEnabled: boolean;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
  @Column({ name: 'updated_by', type: 'varchar', length: 36, nullable: true }) updatedBy: string | null;
}
