import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A signed-in browser. The id is the SHA-256 of the cookie value, so a leaked table signs no one in. */
@Entity('core_session')
export class SessionRow {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'last_seen_at', type: 'datetime', precision: 3 }) lastSeenAt: Date;
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 }) expiresAt: Date;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip: string | null;
  @Column({ name: 'user_agent', type: 'varchar', length: 255, nullable: true }) userAgent: string | null;
}

/** A fixed-window counter shared by every instance (sign-in throttling). */
@Entity('core_throttle')
export class ThrottleRow {
  @PrimaryColumn({ name: 'throttle_key', type: 'varchar', length: 191 }) key: string;
  @Column({ type: 'int' }) hits: number;
  @Column({ name: 'reset_at', type: 'datetime', precision: 3 }) resetAt: Date;
}

/** A one-time password reset link; the id is the SHA-256 of the token in the link. */
@Entity('core_password_reset')
export class PasswordResetRow {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 }) expiresAt: Date;
  @Column({ name: 'used_at', type: 'datetime', precision: 3, nullable: true }) usedAt: Date | null;
}
