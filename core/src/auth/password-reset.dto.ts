import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class RequestPasswordResetDto {
  @IsEmail({}, { message: 'must be an e-mail address' }) @MaxLength(191) email: string;
}

export class CompletePasswordResetDto {
  @IsString() @MinLength(12, { message: 'must be at least 12 characters' }) @MaxLength(1024) password: string;
}
