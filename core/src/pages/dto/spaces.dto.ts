import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class NewSpaceForm {
  @IsString() @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/) slug: string;
  @IsString() @IsNotEmpty() @MaxLength(191) name: string;
  @IsOptional() @IsString() @MaxLength(5000) description?: string;
  @IsIn(['public', 'private']) visibility: 'public' | 'private';
  @IsIn(['open', 'request', 'invite']) joinPolicy: 'open' | 'request' | 'invite';
}

export class AddMemberForm {
  @IsString() @IsNotEmpty() @MaxLength(64) handle: string;
  @IsIn(['member', 'moderator', 'admin']) role: 'member' | 'moderator' | 'admin';
}

export class MemberRoleForm {
  @IsIn(['member', 'moderator', 'admin']) role: 'member' | 'moderator' | 'admin';
}
