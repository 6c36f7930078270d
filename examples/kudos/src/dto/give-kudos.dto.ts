import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class GiveKudosDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(36)
  toUserId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  message: string;
}
