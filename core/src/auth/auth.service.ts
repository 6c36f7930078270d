import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { HttpException, HttpStatus, UnauthorizedException } from '@nestjs/common';
import { InvalidInput, type Clock, type SignedInUser } from '@plein/sdk';
import { LessThan } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { DatabaseService } from '../database/database.service';
import { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from '../users/passwords';
import { UserRow } from '../users/user.entity';
import { activeUserBy, toSignedIn, type UsersService } from '../users/users.service';
import { SessionRow } from './auth.entities';
import type { ThrottleService } from './throttle.service';

export const SESSION_COOKIE = 'plein_session';
export const ANON_COOKIE = 'plein_anon';
const SESSION_DAYS = 30;
/** Sign-in attempts: per account, and per client address. */
export const LOGIN_LIMITS = { account: { max: 5, windowMs: 15 * 60_000 }, ip: { max: 30, windowMs: 15 * 60_000 } };

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** A 429 that carries `Retry-After`. */
export class TooManyAttempts extends HttpException {
  constructor(readonly retryAfter: number) {
    super({ title: 'Too Many Requests', detail: `Too many sign-in attempts; try again in ${retryAfter} s`, retryAfter }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Sign-in: argon2id passwords, database-backed sessions (the cookie holds a random token; the
 * table holds its hash), throttled attempts, and CSRF tokens bound to the session or, before
 * sign-in, to an anonymous cookie.
 */
export class AuthService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly users: UsersService,
    private readonly throttle: ThrottleService,
    private readonly audit: AuditService,
    private readonly secret: string,
  ) {}

  /** Checks credentials and opens a session; returns the cookie value and the user. */
  async login(email: string, password: string, client: { ip: string | null; userAgent: string | null }): Promise<{ token: string; user: SignedInUser }> {
    const accountKey = `login:account:${email.trim().toLowerCase()}`;
    const ipKey = `login:ip:${client.ip ?? 'unknown'}`;
    const wait = Math.max(await this.throttle.retryAfter(accountKey, LOGIN_LIMITS.account), await this.throttle.retryAfter(ipKey, LOGIN_LIMITS.ip));
    if (wait > 0) throw new TooManyAttempts(wait);
    const row = await this.db.repository(UserRow).findOneBy({ email: email.trim().toLowerCase() });
    const ok = row?.passwordHash ? await verifyPassword(row.passwordHash, password) : false;
    if (!row || !ok || row.status !== 'active') {
      await this.throttle.hit(accountKey, LOGIN_LIMITS.account);
      await this.throttle.hit(ipKey, LOGIN_LIMITS.ip);
      await this.audit.record('core', { action: 'core.signin.failed', subject: row ? `user:${row.id}` : undefined, details: { email: email.slice(0, 191), ip: client.ip, reason: !row ? 'unknown account' : !ok ? 'wrong password' : `account ${row.status}` } });
      // The same answer whatever went wrong, so accounts cannot be discovered.
      throw new UnauthorizedException('The e-mail address or password is not right, or the account is not active');
    }
    await this.throttle.clear(accountKey);
    const token = await this.openSession(row.id, client);
    return { token, user: toSignedIn(row) };
  }

  async openSession(userId: string, client: { ip: string | null; userAgent: string | null }): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.db.repository(SessionRow).insert({
      id: sha256(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000),
      ip: client.ip?.slice(0, 64) ?? null,
      userAgent: client.userAgent?.slice(0, 255) ?? null,
    });
    return token;
  }

  /** The active user a session cookie belongs to, or null (expired, ended, user not active). */
  async userForSession(token: string): Promise<SignedInUser | null> {
    const now = this.clock.now();
    return activeUserBy(
      this.db,
      'core_session s INNER JOIN core_user u ON u.id = s.user_id',
      's.id = ?',
      [sha256(token)],
      (row) => this.db.toDate(row.session_expires_at as string | Date) > now,
      ', s.expires_at AS session_expires_at',
    );
  }

  async logout(token: string): Promise<void> {
    await this.db.repository(SessionRow).delete({ id: sha256(token) });
  }

  /** Ends every session of a user (suspension, deactivation, password change). */
  async endSessions(userId: string): Promise<void> {
    await this.db.repository(SessionRow).delete({ userId });
  }

  async sweepExpired(): Promise<void> {
    await this.db.repository(SessionRow).delete({ expiresAt: LessThan(this.clock.now()) });
  }

  /** The CSRF token for a browser: an HMAC of its session or anonymous cookie. */
  csrfToken(cookieValue: string): string {
    return createHmac('sha256', this.secret).update(`csrf:${cookieValue}`).digest('base64url');
  }

  csrfValid(cookieValue: string | undefined, presented: string | undefined): boolean {
    if (!cookieValue || !presented) return false;
    const expected = Buffer.from(this.csrfToken(cookieValue));
    const given = Buffer.from(presented);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  newAnonymousId(): string {
    return randomBytes(24).toString('base64url');
  }

  /** First-run setup: creates the administrator, only while no user exists. */
  async setupFirstAdmin(input: { email: string; handle: string; displayName: string; password: string }): Promise<SignedInUser> {
    if (input.password.length < MIN_PASSWORD_LENGTH) throw new InvalidInput([{ field: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }]);
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction(async () => {
      if ((await this.users.count()) > 0) throw new HttpException({ title: 'Conflict', detail: 'Plein is already set up: sign in instead' }, HttpStatus.CONFLICT);
      const user = await this.users.create({ ...input, roles: ['admin'], passwordHash });
      await this.audit.record('core', { action: 'core.setup.completed', subject: `user:${user.id}`, actorId: user.id });
      return user;
    });
  }

  async changePassword(userId: string, password: string): Promise<void> {
    if (password.length < MIN_PASSWORD_LENGTH) throw new InvalidInput([{ field: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }]);
    await this.db.repository(UserRow).update({ id: userId }, { passwordHash: await hashPassword(password), updatedAt: this.clock.now() });
    await this.endSessions(userId);
  }
}
