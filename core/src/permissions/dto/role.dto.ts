import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateRoleDto {
  @IsString() @IsNotEmpty() @MaxLength(32) name: string;
  @IsOptional() @IsString() @MaxLength(255) description?: string;
}

export class SetPermissionsDto {
  @IsArray() @ArrayMaxSize(2000) @IsString({ each: true }) @MaxLength(191, { each: true }) permissions: string[];
  @IsOptional() @IsString() @MaxLength(36) spaceId?: string;
}
