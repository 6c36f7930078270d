import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('core_audit')
export class AuditRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'datetime', precision: 3 }) at: Date;
  @Column({ name: 'actor_id', type: 'varchar', length: 36, nullable: true }) actorId: string | null;
  @Column({ name: 'plugin_id', type: 'varchar', length: 64 }) pluginId: string;
  @Column({ type: 'varchar', length: 191 }) action: string;
  @Column({ type: 'varchar', length: 191, nullable: true }) subject: string | null;
  @Column({ type: 'text', nullable: true }) details: string | null;
}
