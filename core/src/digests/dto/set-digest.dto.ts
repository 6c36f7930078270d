import { IsIn } from 'class-validator';
import { DIGEST_FREQUENCIES, type DigestFrequency } from '../digest-schedule';

export class SetDigestDto {
  @IsIn(DIGEST_FREQUENCIES) frequency: DigestFrequency;
}
