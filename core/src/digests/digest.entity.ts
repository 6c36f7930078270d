import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DigestFrequency } from './digest-schedule';

/**
 * One person's digest: how often they want it and the window the next one covers. `next_at` is
 * the claim: whoever moves it from the value they read sends that period's digest, so a job run
 * twice, or on two instances, mails once (docs/digests.md).
 */
@Entity('core_digest')
export class DigestRow {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @Column({ type: 'varchar', length: 8 }) frequency: DigestFrequency;
  /** The next digest lists what appeared after this. */
  @Column({ name: 'since_at', type: 'datetime', precision: 3 }) sinceAt: Date;
  /** When the next digest is due; null when the person chose none. */
  @Column({ name: 'next_at', type: 'datetime', precision: 3, nullable: true }) nextAt: Date | null;
  /** When the last digest was mailed (a period with nothing new mails none). */
  @Column({ name: 'sent_at', type: 'datetime', precision: 3, nullable: true }) sentAt: Date | null;
}
