import { ArrayMaxSize, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class MarkReadDto {
  @IsOptional() @IsString({ each: true }) @MaxLength(36, { each: true }) @ArrayMaxSize(500) ids?: string[];
  @IsOptional() @IsIn([true]) all?: true;
}

export class SetPreferenceDto {
  @IsString() @MaxLength(64) kind: string;
  @IsIn(['off', 'in-app', 'email']) channel: 'off' | 'in-app' | 'email';
}
