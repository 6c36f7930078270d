import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('core_notification')
export class NotificationRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @Column({ type: 'varchar', length: 64 }) kind: string;
  @Column({ type: 'varchar', length: 255 }) title: string;
  @Column({ type: 'varchar', length: 500 }) url: string;
  @Column({ name: 'content_id', type: 'varchar', length: 36, nullable: true }) contentId: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'read_at', type: 'datetime', precision: 3, nullable: true }) readAt: Date | null;
}

@Entity('core_notification_pref')
export class NotificationPrefRow {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @PrimaryColumn({ type: 'varchar', length: 64 }) kind: string;
  @Column({ type: 'varchar', length: 16 }) channel: 'off' | 'in-app' | 'email';
}
