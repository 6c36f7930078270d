import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import type { RuleAction, RuleMatch } from '../entities/moderation-rule.entity';
import {
  DECISION_ACTIONS,
  REPORT_REASONS,
  SANCTION_KINDS,
  type DecisionAction,
  type ReportReason,
  type SanctionKind,
} from '../events';
import { RULE_ACTIONS, RULE_MATCHES } from '../services/rules.service';

/**
 * Request bodies of the JSON API (API.md, "Moderation"). Types and sizes are checked here; what
 * depends on the state (visibility, scope, a decided item) is checked by the services.
 */
export class CreateReportDto {
  @IsString() @MaxLength(36) contentId: string;
  @IsIn(REPORT_REASONS) reason: ReportReason;
  @IsOptional() @IsString() @MaxLength(1000) note?: string | null;
}

export class DecisionDto {
  @IsIn(DECISION_ACTIONS) action: DecisionAction;
  /** Required: the author (and the reporters) read why. */
  @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export class NoteDto {
  @IsString() @IsNotEmpty() @MaxLength(2000) text: string;
}

export class CreateRuleDto {
  /** A word or phrase (`reorg*` matches every word that starts so), or a regular expression. */
  @IsString() @MaxLength(500) pattern: string;
  @IsIn(RULE_MATCHES) match: RuleMatch;
  @IsIn(RULE_ACTIONS) action: RuleAction;
  /** A space id or slug: the rule applies there only. */
  @IsOptional() @IsString() @MaxLength(64) spaceId?: string | null;
  @IsOptional() @IsString() @MaxLength(500) note?: string | null;
  /** What a censored match becomes (default `***`). */
  @IsOptional() @IsString() @MaxLength(100) replacement?: string | null;
  /** What the author reads when the rule rejects or holds. */
  @IsOptional() @IsString() @MaxLength(500) message?: string | null;
  /** Held and flagged items go to the people holding this role. */
  @IsOptional() @IsString() @MaxLength(32) routeRole?: string | null;
  /** A sensitive period: from … until … (ISO 8601); it ends by itself. */
  @IsOptional() @IsISO8601() activeFrom?: string | null;
  @IsOptional() @IsISO8601() activeUntil?: string | null;
  /** Default true. */
  @IsOptional() @IsBoolean() enabled?: boolean;
}

export class UpdateRuleDto {
  @IsOptional() @IsString() @MaxLength(500) pattern?: string;
  @IsOptional() @IsIn(RULE_MATCHES) match?: RuleMatch;
  @IsOptional() @IsIn(RULE_ACTIONS) action?: RuleAction;
  @IsOptional() @IsString() @MaxLength(64) spaceId?: string | null;
  @IsOptional() @IsString() @MaxLength(500) note?: string | null;
  @IsOptional() @IsString() @MaxLength(100) replacement?: string | null;
  @IsOptional() @IsString() @MaxLength(500) message?: string | null;
  @IsOptional() @IsString() @MaxLength(32) routeRole?: string | null;
  @IsOptional() @IsISO8601() activeFrom?: string | null;
  @IsOptional() @IsISO8601() activeUntil?: string | null;
  @IsOptional() @IsBoolean() enabled?: boolean;
}

export class DryRunDto {
  @IsString() @MaxLength(500) pattern: string;
  @IsIn(RULE_MATCHES) match: RuleMatch;
  @IsOptional() @IsString() @MaxLength(64) spaceId?: string | null;
  /** How far back to look (default: the `dryRunDays` setting, 90). */
  @IsOptional() @IsInt() @Min(1) @Max(365) days?: number;
}

export class SanctionDto {
  @IsIn(SANCTION_KINDS) kind: SanctionKind;
  /** When a silence or suspension ends by itself (ISO 8601); absent: until lifted. */
  @IsOptional() @IsISO8601() until?: string | null;
  @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export class LiftDto {
  @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export class AppealDto {
  @IsOptional() @IsString() @MaxLength(36) contentId?: string | null;
  @IsOptional() @IsString() @MaxLength(36) sanctionId?: string | null;
  @IsString() @IsNotEmpty() @MaxLength(2000) text: string;
}

export class SpaceSettingsDto {
  @IsOptional() @IsBoolean() premoderated?: boolean;
  @IsOptional() @IsInt() @Min(0) @Max(86_400) slowModeSeconds?: number;
}

export class SettingsDto {
  @IsOptional() @IsInt() @Min(0) @Max(100) reportThreshold?: number;
  @IsOptional() @IsInt() @Min(0) @Max(50) newAccountHoldCount?: number;
  @IsOptional() @IsBoolean() revealModeratorNames?: boolean;
  @IsOptional() @IsInt() @Min(1) @Max(365) dryRunDays?: number;
  @IsOptional() @IsInt() @Min(5) @Max(1000) regexTimeoutMs?: number;
}
