/** How often someone gets a digest. */
export const DIGEST_FREQUENCIES = ['off', 'daily', 'weekly'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/**
 * Weekly unless someone chooses otherwise, as Discourse does (its `default_email_digest_frequency`
 * is a week). HumHub defaults to daily; on an intranet, where the same people also get the
 * notifications they chose by e-mail, a daily summary on top is more mail than most want.
 */
export const DEFAULT_DIGEST_FREQUENCY: DigestFrequency = 'weekly';

/** Digests go out from this hour (UTC): daily ones every day, weekly ones on Mondays. */
export const DIGEST_HOUR_UTC = 6;

const DAY = 86_400_000;

/**
 * When the next digest of `frequency` is due, strictly after `after`: the next 06:00 UTC, or for
 * weekly digests the next Monday at 06:00 UTC. Fixed times rather than "a day after the last one",
 * so digests do not drift later by however long the job took to run, and a person knows when
 * theirs comes. Null for `off`.
 */
export function nextDigestAt(frequency: DigestFrequency, after: Date): Date | null {
  if (frequency === 'off') return null;
  const at = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), DIGEST_HOUR_UTC));
  if (at.getTime() <= after.getTime()) at.setTime(at.getTime() + DAY);
  if (frequency === 'weekly') at.setTime(at.getTime() + ((8 - at.getUTCDay()) % 7) * DAY);
  return at;
}

export function isDigestFrequency(value: unknown): value is DigestFrequency {
  return typeof value === 'string' && (DIGEST_FREQUENCIES as readonly string[]).includes(value);
}
