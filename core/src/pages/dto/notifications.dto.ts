import { ArrayMaxSize, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { FormList } from './form-transforms';

export class MarkReadForm {
  @FormList() @IsString({ each: true }) @MaxLength(36, { each: true }) @ArrayMaxSize(500) ids: string[] = [];
  @IsOptional() @IsIn(['1']) all?: string;
}
