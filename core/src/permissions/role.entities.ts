import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('core_role')
export class RoleRow {
  @PrimaryColumn({ type: 'varchar', length: 64 }) name: string;
  @Column({ type: 'varchar', length: 255, nullable: true }) description: string | null;
  @Column({ type: 'boolean' }) builtin: boolean;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}

/** A role holds a permission everywhere (`spaceId` null) or in one space. */
@Entity('core_grant')
export class GrantRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 64 }) role: string;
  @Column({ type: 'varchar', length: 191 }) permission: string;
  @Column({ name: 'space_id', type: 'varchar', length: 36, nullable: true }) spaceId: string | null;
}

/** Permissions whose default grants were applied once; an administrator's later changes stand. */
@Entity('core_permission_seed')
export class PermissionSeedRow {
  @PrimaryColumn({ type: 'varchar', length: 191 }) permission: string;
  @Column({ name: 'seeded_at', type: 'datetime', precision: 3 }) seededAt: Date;
}
