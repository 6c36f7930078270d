import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('core_plugin_state')
export class PluginStateRow {
  @PrimaryColumn({ name: 'plugin_id', type: 'varchar', length: 64 }) pluginId: string;
  @Column({ type: 'boolean' }) enabled: boolean;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
  @Column({ name: 'updated_by', type: 'varchar', length: 36, nullable: true }) updatedBy: string | null;
}
