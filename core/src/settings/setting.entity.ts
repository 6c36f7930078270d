import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('core_setting')
export class SettingRow {
  @PrimaryColumn({ name: 'plugin_id', type: 'varchar', length: 64 }) pluginId: string;
  @Column({ type: 'text' }) value: string;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
