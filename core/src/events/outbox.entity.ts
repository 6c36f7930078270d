import { Column, Entity, PrimaryColumn } from 'typeorm';

export type OutboxStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

/** One durable delivery owed: an event for one durable handler, written in the publishing transaction. */
@Entity('core_outbox')
export class OutboxRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'event_id', type: 'varchar', length: 36 }) eventId: string;
  @Column({ name: 'event_name', type: 'varchar', length: 191 }) eventName: string;
  @Column({ type: 'varchar', length: 64 }) publisher: string;
  @Column({ name: 'plugin_id', type: 'varchar', length: 64 }) pluginId: string;
  @Column({ type: 'varchar', length: 191 }) handler: string;
  @Column({ type: 'text' }) payload: string;
  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 }) occurredAt: Date;
  @Column({ type: 'varchar', length: 16 }) status: OutboxStatus;
  @Column({ type: 'int' }) attempts: number;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'delivered_at', type: 'datetime', precision: 3, nullable: true }) deliveredAt: Date | null;
}
