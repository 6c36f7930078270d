import { ArrayMaxSize, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { HANDLE_FORM_PATTERN } from './account.dto';
import { BlankAsUndefined, FormList } from './form-transforms';

export class NewUserForm {
  @IsEmail() @MaxLength(191) email: string;
  @IsString() @Matches(HANDLE_FORM_PATTERN) handle: string;
  @IsString() @IsNotEmpty() @MaxLength(191) displayName: string;
  @BlankAsUndefined() @IsOptional() @IsString() @MinLength(12) @MaxLength(1024) password?: string;
  @FormList() @IsString({ each: true }) @MaxLength(64, { each: true }) @ArrayMaxSize(50) roles: string[] = [];
}

export class UserAccessForm {
  @FormList() @IsString({ each: true }) @MaxLength(64, { each: true }) @ArrayMaxSize(50) roles: string[] = [];
  @IsIn(['active', 'suspended', 'deactivated']) status: 'active' | 'suspended' | 'deactivated';
}

export class RoleGrantsForm {
  @FormList() @IsString({ each: true }) @MaxLength(191, { each: true }) @ArrayMaxSize(1000) permissions: string[] = [];
}

export class NewRoleForm {
  @IsString() @IsNotEmpty() @MaxLength(32) name: string;
  @IsOptional() @IsString() @MaxLength(255) description?: string;
}
