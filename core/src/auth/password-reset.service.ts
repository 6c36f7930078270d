import { createHash, randomBytes } from 'node:crypto';
import { HttpException, HttpStatus, NotFoundException } from '@nestjs/common';
import { InvalidInput, type Clock } from '@plein/sdk';
import { IsNull, LessThan } from 'typeorm';
import type { AuditService } from '../audit/audit.service';
import type { DatabaseService } from '../database/database.service';
import type { I18n } from '../i18n/i18n';
import type { JobsService } from '../jobs/jobs.service';
import { escapeHtml, sendMailJob } from '../notifications/notifications.service';
import { MIN_PASSWORD_LENGTH } from '../users/passwords';
import { UserRow } from '../users/user.entity';
import { PasswordResetRow } from './auth.entities';
import type { AuthService } from './auth.service';
import type { ThrottleService } from './throttle.service';

/** How long a reset link works. */
export const RESET_LINK_MS = 60 * 60_000;
/** Reset requests: per client address, and per e-mail address asked about (whether it exists or not). */
export const RESET_LIMITS = { ip: { max: 10, windowMs: 15 * 60_000 }, account: { max: 3, windowMs: 60 * 60_000 } };

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** A 429 for reset requests, with `Retry-After`. */
export class TooManyResetRequests extends HttpException {
  constructor(readonly retryAfter: number) {
    super({ title: 'Too Many Requests', detail: `Too many password reset requests; try again in ${retryAfter} s`, retryAfter }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** The link is unknown, used, expired, or its account is no longer active. */
export class ResetLinkInvalid extends NotFoundException {
  constructor() {
    super('This password reset link is unknown, was used already, or expired: ask for a new one');
  }
}

/**
 * Password reset by e-mailed one-time link: the link carries a random token, the table keeps its
 * SHA-256 (`core_password_reset`), it works once and for an hour, and using it sets the password
 * through AuthService (which ends every session of the account). Asking answers the same whether
 * the account exists or not, and is throttled.
 */
export class PasswordResetService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly auth: AuthService,
    private readonly throttle: ThrottleService,
    private readonly audit: AuditService,
    private readonly jobs: JobsService,
    private readonly i18n: I18n,
    private readonly publicUrl: () => string,
  ) {}

  /** Sends a reset link to `email` when it belongs to an active account; silent otherwise. */
  async request(email: string, client: { ip: string | null; acceptLanguage?: string | string[] }): Promise<void> {
    const address = email.trim().toLowerCase();
    const ipKey = `reset:ip:${client.ip ?? 'unknown'}`;
    const accountKey = `reset:account:${address.slice(0, 150)}`;
    const wait = Math.max(await this.throttle.retryAfter(ipKey, RESET_LIMITS.ip), await this.throttle.retryAfter(accountKey, RESET_LIMITS.account));
    if (wait > 0) throw new TooManyResetRequests(wait);
    await this.throttle.hit(ipKey, RESET_LIMITS.ip);
    await this.throttle.hit(accountKey, RESET_LIMITS.account);
    const user = await this.db.repository(UserRow).findOneBy({ email: address });
    if (!user || user.status !== 'active') return;
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.db.repository(PasswordResetRow).insert({ id: sha256(token), userId: user.id, createdAt: now, expiresAt: new Date(now.getTime() + RESET_LINK_MS), usedAt: null });
    const lang = this.i18n.negotiate(user.locale, client.acceptLanguage);
    const link = new URL(`/password/reset/${token}`, this.publicUrl()).toString();
    const params = { name: user.displayName, link, minutes: RESET_LINK_MS / 60_000 };
    const [greeting, intro, open, ignore] = ['greeting', 'intro', 'link', 'ignore'].map((part) => this.i18n.t(lang, `core.mail.reset.${part}`, params));
    await this.jobs.backend.enqueue('core', sendMailJob as never, {
      to: user.email,
      subject: this.i18n.t(lang, 'core.mail.reset.subject'),
      text: `${greeting}\n\n${intro}\n\n${open}\n${link}\n\n${ignore}\n`,
      html: [greeting, intro, open].map((p) => `<p>${escapeHtml(p)}</p>`).join('') + `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><p>${escapeHtml(ignore)}</p>`,
    });
    await this.audit.record('core', { action: 'core.password.reset-requested', subject: `user:${user.id}`, details: { ip: client.ip } });
  }

  /** The account a link belongs to while the link still works, else null. */
  async check(token: string): Promise<{ userId: string } | null> {
    if (!token || token.length > 200) return null;
    const row = await this.db.repository(PasswordResetRow).findOneBy({ id: sha256(token) });
    if (!row || row.usedAt || row.expiresAt <= this.clock.now()) return null;
    const user = await this.db.repository(UserRow).findOneBy({ id: row.userId });
    return user && user.status === 'active' ? { userId: user.id } : null;
  }

  /** Uses the link: sets the password, ends every session, and voids the account's other links. */
  async complete(token: string, password: string): Promise<string> {
    if (password.length < MIN_PASSWORD_LENGTH) throw new InvalidInput([{ field: 'password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }]);
    const valid = await this.check(token);
    if (!valid) throw new ResetLinkInvalid();
    const now = this.clock.now();
    // Claim the link first, so two submissions cannot both use it.
    const claimed = await this.db.repository(PasswordResetRow).update({ id: sha256(token), usedAt: IsNull() }, { usedAt: now });
    if (!claimed.affected) throw new ResetLinkInvalid();
    await this.auth.changePassword(valid.userId, password);
    await this.db.repository(PasswordResetRow).update({ userId: valid.userId, usedAt: IsNull() }, { usedAt: now });
    await this.audit.record('core', { action: 'core.password.reset', subject: `user:${valid.userId}`, actorId: valid.userId });
    return valid.userId;
  }

  /** Forgets links that expired a day ago or more. */
  async sweep(): Promise<void> {
    await this.db.repository(PasswordResetRow).delete({ expiresAt: LessThan(new Date(this.clock.now().getTime() - 86_400_000)) });
  }
}
