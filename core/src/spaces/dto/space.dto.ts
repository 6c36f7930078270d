import { ValidateIf, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class CreateSpaceDto {
  @IsString() @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'must be 2–63 characters: a-z, 0-9 and dashes' }) slug: string;
  @IsString() @IsNotEmpty() @MaxLength(191) name: string;
  @IsOptional() @IsString() @MaxLength(5000) description?: string;
  @IsIn(['public', 'private']) visibility: 'public' | 'private';
  @IsIn(['open', 'request', 'invite']) joinPolicy: 'open' | 'request' | 'invite';
}

export class UpdateSpaceDto {
  @ValidateIf((_, v) => v !== undefined) @IsString() @IsNotEmpty() @MaxLength(191) name?: string;
  @IsOptional() @IsString() @MaxLength(5000) description?: string | null;
  @ValidateIf((_, v) => v !== undefined) @IsIn(['public', 'private']) visibility?: 'public' | 'private';
  @ValidateIf((_, v) => v !== undefined) @IsIn(['open', 'request', 'invite']) joinPolicy?: 'open' | 'request' | 'invite';
}

export class AddMemberDto {
  @IsString() @IsNotEmpty() @MaxLength(64) userId: string;
  @IsIn(['member', 'moderator', 'admin']) role: 'member' | 'moderator' | 'admin';
}

export class SpacePluginDto {
  @IsBoolean() enabled: boolean;
}

export class SpacePolicyDto {
  @IsIn(['space-choice', 'forced-on', 'forced-off']) policy: 'space-choice' | 'forced-on' | 'forced-off';
  @IsOptional() @IsBoolean() defaultEnabled?: boolean;
}
