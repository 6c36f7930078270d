import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { BlankAsUndefined } from './form-transforms';

/** What UsersService accepts, before it lower-cases the handle. */
export const HANDLE_FORM_PATTERN = /^[a-z0-9][a-z0-9_.-]{1,31}$/i;

export class LoginForm {
  @IsEmail() @MaxLength(191) email: string;
  @IsString() @IsNotEmpty() @MaxLength(1024) password: string;
  @IsOptional() @IsString() @MaxLength(2000) next?: string;
}

export class ForgotPasswordForm {
  @IsEmail() @MaxLength(191) email: string;
}

export class NewPasswordForm {
  @IsString() @MinLength(12) @MaxLength(1024) password: string;
  @IsString() @MaxLength(1024) confirm: string;
}

export class ChangePasswordForm extends NewPasswordForm {
  @IsOptional() @IsString() @MaxLength(1024) current?: string;
}

export class ProfileForm {
  @IsString() @IsNotEmpty() @MaxLength(191) displayName: string;
  /** Empty: follow the browser's language. */
  @IsOptional() @IsIn(['', 'en', 'nl']) locale?: string;
}

export class TokenForm {
  @IsString() @IsNotEmpty() @MaxLength(191) name: string;
}

export class SetupForm {
  @IsEmail() @MaxLength(191) email: string;
  @IsString() @Matches(HANDLE_FORM_PATTERN) handle: string;
  @IsString() @IsNotEmpty() @MaxLength(191) displayName: string;
  @IsString() @MinLength(12) @MaxLength(1024) password: string;
  @IsString() @MaxLength(1024) confirm: string;
  @IsOptional() @BlankAsUndefined() @IsIn(['en', 'nl']) locale?: string;
}
