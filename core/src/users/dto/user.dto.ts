import { ValidateIf, ArrayMaxSize, IsArray, IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateUserDto {
  @IsEmail({}, { message: 'must be an e-mail address' }) @MaxLength(191) email: string;
  @IsString() @Matches(/^[a-z0-9][a-z0-9_.-]{1,31}$/i, { message: 'must be 2–32 characters: letters, digits, _ . -' }) handle: string;
  @IsString() @IsNotEmpty() @MaxLength(191) displayName: string;
  @IsOptional() @IsString() @MinLength(12, { message: 'must be at least 12 characters' }) @MaxLength(1024) password?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(32) @IsString({ each: true }) @MaxLength(64, { each: true }) roles?: string[];
}

export class UpdateUserDto {
  @ValidateIf((_, v) => v !== undefined) @IsString() @IsNotEmpty() @MaxLength(191) displayName?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(32) @IsString({ each: true }) @MaxLength(64, { each: true }) roles?: string[];
  @ValidateIf((_, v) => v !== undefined) @IsIn(['active', 'suspended', 'deactivated']) status?: 'active' | 'suspended' | 'deactivated';
}
