/**
 * One entry in the audit log.
 *
 * @example
 * ```ts
 * const entry: AuditEntry = { action: 'kudos.kudo.revoked', subject: 'kudo:42', actorId: '7', details: { reason: 'duplicate' } };
 * ```
 */
export interface AuditEntry {
  /** `<pluginId>.<noun>.<verb>` in the past tense, e.g. `forum.topic.locked`. */
  action: string;
  /** What it was done to, e.g. `topic:42`. */
  subject?: string;
  /** Who did it; absent for the system. */
  actorId?: string | null;
  /** Anything else worth keeping about it, stored as JSON, e.g. `{ reason: 'spam' }`. */
  details?: Record<string, unknown>;
}

/**
 * Records who did what, when, in the audit log administrators read (`GET /api/v1/audit`).
 *
 * @example
 * ```ts
 * constructor(private readonly audit: Audit) {}
 * await this.audit.record({ action: 'kudos.kudo.revoked', subject: `kudo:${id}`, actorId: user.id });
 * ```
 */
export abstract class Audit {
  /**
   * Appends an entry, in the current transaction when there is one.
   *
   * @example
   * ```ts
   * await audit.record({ action: 'kudos.settings.changed', actorId: user.id });
   * ```
   */
  abstract record(entry: AuditEntry): Promise<void>;
}
