import { Column, Entity, PrimaryColumn } from 'typeorm';

const roleList = { to: (v: string[]) => v.join(','), from: (v: string) => (v ? v.split(',') : []) };

@Entity('core_user')
export class UserRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 191 }) email: string;
  @Column({ type: 'varchar', length: 64 }) handle: string;
  @Column({ name: 'display_name', type: 'varchar', length: 191 }) displayName: string;
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true }) passwordHash: string | null;
  @Column({ type: 'varchar', length: 255, transformer: roleList }) roles: string[];
  @Column({ type: 'varchar', length: 16 }) status: 'active' | 'suspended' | 'deactivated';
  @Column({ type: 'varchar', length: 8, nullable: true }) locale: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}

@Entity('core_token')
export class TokenRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @Column({ type: 'varchar', length: 191 }) name: string;
  @Column({ name: 'token_hash', type: 'varchar', length: 64 }) tokenHash: string;
  @Column({ type: 'varchar', length: 255, nullable: true }) scopes: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'last_used_at', type: 'datetime', precision: 3, nullable: true }) lastUsedAt: Date | null;
  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true }) revokedAt: Date | null;
}
