import { ValidateIf, ArrayMaxSize, IsArray, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @IsEmail({}, { message: 'must be an e-mail address' }) @MaxLength(191) email: string;
  @IsString() @IsNotEmpty() @MaxLength(1024) password: string;
}

export class SetupDto {
  @IsEmail({}, { message: 'must be an e-mail address' }) @MaxLength(191) email: string;
  @IsString() @Matches(/^[a-z0-9][a-z0-9_.-]{1,31}$/i, { message: 'must be 2–32 characters: letters, digits, _ . -' }) handle: string;
  @IsString() @IsNotEmpty() @MaxLength(191) displayName: string;
  @IsString() @MinLength(12, { message: 'must be at least 12 characters' }) @MaxLength(1024) password: string;
}

export class CreateTokenDto {
  @IsString() @IsNotEmpty() @MaxLength(191) name: string;
  @IsOptional() @IsArray() @ArrayMaxSize(32) @IsString({ each: true }) @MaxLength(64, { each: true }) scopes?: string[];
}

export class UpdateMeDto {
  @ValidateIf((_, v) => v !== undefined) @IsString() @IsNotEmpty() @MaxLength(191) displayName?: string;
  @IsOptional() @IsIn(['en', 'nl', null]) locale?: 'en' | 'nl' | null;
  @ValidateIf((_, v) => v !== undefined) @IsString() @MinLength(12, { message: 'must be at least 12 characters' }) @MaxLength(1024) password?: string;
  /** Required with `password`: a stolen session alone cannot take over the account. */
  @ValidateIf((o: UpdateMeDto) => o.password !== undefined) @IsString() @IsNotEmpty() @MaxLength(1024) currentPassword?: string;
}
