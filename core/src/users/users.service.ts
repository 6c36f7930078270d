import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { InvalidInput, Users, type Clock, type SignedInUser, type UserRef } from '@plein/sdk';
import type { AuditService } from '../audit/audit.service';
import { SessionRow } from '../auth/auth.entities';
import { DatabaseService } from '../database/database.service';
import { TokenRow, UserRow } from './user.entity';

export const HANDLE_PATTERN = /^[a-z0-9][a-z0-9_.-]{1,31}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface NewUser {
  email: string;
  handle: string;
  displayName: string;
  roles?: string[];
  passwordHash?: string | null;
  locale?: string | null;
}

function toRef(row: UserRow): UserRef {
  return { id: row.id, handle: row.handle, displayName: row.displayName };
}

export function toSignedIn(row: UserRow): SignedInUser {
  return { ...toRef(row), email: row.email, roles: row.roles, status: row.status, locale: row.locale };
}

/** The columns of {@link SignedInUser} in `core_user`, for the plain reads of identification. */
const SIGNED_IN_COLUMNS = 'u.id, u.email, u.handle, u.display_name, u.roles, u.status, u.locale';

interface SignedInSqlRow {
  id: string;
  email: string;
  handle: string;
  display_name: string;
  roles: string | null;
  status: SignedInUser['status'];
  locale: string | null;
}

function signedInFromSql(r: SignedInSqlRow): SignedInUser {
  return { id: r.id, handle: r.handle, displayName: r.display_name, email: r.email, roles: r.roles ? r.roles.split(',') : [], status: r.status, locale: r.locale };
}

/**
 * The active user a credential row points at, in one plain query: every request signed in with a
 * token or session runs it, and TypeORM's two `findOneBy` cost about 300 µs of JavaScript more.
 * `from` joins `core_user u` on the credential's `user_id`; `where` and `params` pick the credential.
 */
export async function activeUserBy(
  db: DatabaseService,
  from: string,
  where: string,
  params: unknown[],
  accept: (row: Record<string, unknown>) => boolean = () => true,
  extraColumns = '',
): Promise<SignedInUser | null> {
  const [row] = await db.select<SignedInSqlRow & Record<string, unknown>>(`SELECT ${SIGNED_IN_COLUMNS}${extraColumns} FROM ${from} WHERE ${where} AND u.status = 'active'`, params);
  return row && accept(row) ? signedInFromSql(row) : null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Users and their personal access tokens. */
export class UsersService extends Users {
  private audit: AuditService | null = null;

  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
  ) {
    super();
  }

  /** The audit log that status changes made through the SDK are recorded in (set once at boot). */
  useAudit(audit: AuditService): void {
    this.audit = audit;
  }

  /** The SDK's status change (a moderation plugin's suspension): sessions end, the audit log says why. */
  async setStatus(userId: string, status: 'active' | 'suspended', by: { actorId: string | null; reason?: string | null }): Promise<SignedInUser['status'] | null> {
    if (status !== 'active' && status !== 'suspended') throw new InvalidInput([{ field: 'status', message: `expected 'active' or 'suspended', found '${String(status)}'` }]);
    return this.db.transaction(async (m) => {
      const row = await m.findOneBy(UserRow, { id: userId });
      if (!row) return null;
      if (row.status === 'deactivated' || row.status === status) return row.status;
      await m.update(UserRow, { id: userId }, { status, updatedAt: this.clock.now() });
      if (status === 'suspended') await m.delete(SessionRow, { userId });
      await this.audit?.record('core', { action: 'core.user.status-changed', subject: `user:${userId}`, actorId: by.actorId, details: { from: row.status, to: status, reason: by.reason ?? null } });
      return status;
    });
  }

  async findById(id: string): Promise<UserRef | null> {
    const row = await this.db.repository(UserRow).findOneBy({ id });
    return row ? toRef(row) : null;
  }

  async findByHandle(handle: string): Promise<UserRef | null> {
    const row = await this.db.repository(UserRow).findOneBy({ handle: handle.toLowerCase() });
    return row ? toRef(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Map<string, UserRef>> {
    if (ids.length === 0) return new Map();
    // Every list batch-loads its people: only what a reference shows, in one plain query.
    const unique = [...new Set(ids)];
    const rows = await this.db.select<{ id: string; handle: string; display_name: string }>(
      `SELECT id, handle, display_name FROM core_user WHERE id IN (${DatabaseService.placeholders(unique.length)})`,
      unique,
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, handle: r.handle, displayName: r.display_name }]));
  }

  /** The full signed-in view of a user (roles, status), or null. */
  async signedIn(id: string): Promise<SignedInUser | null> {
    const [row] = await this.db.select<SignedInSqlRow>(`SELECT ${SIGNED_IN_COLUMNS} FROM core_user u WHERE u.id = ?`, [id]);
    return row ? signedInFromSql(row) : null;
  }

  /** Whether a user is an active site admin; a signed-in user's own roles answer without a query. */
  async isSiteAdmin(user: string | { id: string }): Promise<boolean> {
    if (typeof user !== 'string' && 'roles' in user && 'status' in user) {
      const known = user as SignedInUser;
      return known.status === 'active' && known.roles.includes('admin');
    }
    const found = await this.signedIn(typeof user === 'string' ? user : user.id);
    return Boolean(found && found.status === 'active' && found.roles.includes('admin'));
  }

  async count(): Promise<number> {
    return this.db.repository(UserRow).count();
  }

  async create(input: NewUser): Promise<SignedInUser> {
    const email = input.email.trim().toLowerCase();
    const handle = input.handle.trim().toLowerCase();
    const problems = [];
    if (!EMAIL_PATTERN.test(email)) problems.push({ field: 'email', message: 'must be an e-mail address' });
    if (!HANDLE_PATTERN.test(handle)) problems.push({ field: 'handle', message: 'must be 2–32 characters: a-z, 0-9, _ . -' });
    if (!input.displayName.trim() || input.displayName.length > 191) problems.push({ field: 'displayName', message: 'must be 1–191 characters' });
    if (problems.length) throw new InvalidInput(problems);
    return this.db.transaction(async (m) => {
      if (await m.exists(UserRow, { where: { email } })) throw new InvalidInput([{ field: 'email', message: 'is already taken' }]);
      if (await m.exists(UserRow, { where: { handle } })) throw new InvalidInput([{ field: 'handle', message: 'is already taken' }]);
      const now = this.clock.now();
      const row: UserRow = {
        id: randomUUID(),
        email,
        handle,
        displayName: input.displayName.trim(),
        passwordHash: input.passwordHash ?? null,
        roles: input.roles?.length ? input.roles : ['member'],
        status: 'active',
        locale: input.locale ?? null,
        createdAt: now,
        updatedAt: now,
      };
      await m.insert(UserRow, row);
      return toSignedIn(row);
    });
  }

  /** Issues a personal access token; only its hash is stored, the token is returned once. */
  async issueToken(userId: string, name: string, scopes: string[] = []): Promise<{ id: string; token: string }> {
    const token = `plein_${randomBytes(24).toString('base64url')}`;
    const id = randomUUID();
    await this.db.repository(TokenRow).insert({
      id,
      userId,
      name,
      tokenHash: hashToken(token),
      scopes: scopes.length ? scopes.join(',') : null,
      createdAt: this.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    });
    return { id, token };
  }

  /** The active user a bearer token belongs to, or null. */
  async authenticateToken(token: string): Promise<SignedInUser | null> {
    return activeUserBy(this.db, 'core_token t INNER JOIN core_user u ON u.id = t.user_id', 't.token_hash = ? AND t.revoked_at IS NULL', [hashToken(token)]);
  }
}
