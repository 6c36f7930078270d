import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('core_space')
export class SpaceRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 64 }) slug: string;
  @Column({ type: 'varchar', length: 191 }) name: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'varchar', length: 16 }) visibility: 'public' | 'private';
  @Column({ name: 'join_policy', type: 'varchar', length: 16 }) joinPolicy: 'open' | 'request' | 'invite';
  @Column({ name: 'created_by', type: 'varchar', length: 36 }) createdBy: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}

@Entity('core_membership')
export class MembershipRow {
  @PrimaryColumn({ name: 'space_id', type: 'varchar', length: 36 }) spaceId: string;
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @Column({ type: 'varchar', length: 16 }) role: 'member' | 'moderator' | 'admin';
  @Column({ type: 'varchar', length: 16 }) status: 'active' | 'requested';
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
