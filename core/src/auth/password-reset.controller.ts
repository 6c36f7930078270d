import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { Public } from '@plein/sdk';
import type { PleinRequest } from '../http/access.guard';
import { clientOf } from './cookies';
import { CompletePasswordResetDto, RequestPasswordResetDto } from './password-reset.dto';
import { PasswordResetService } from './password-reset.service';

/** Password reset for programs; the pages `/password/forgot` and `/password/reset/:token` do the same for people. */
@Controller('api/v1/auth/password-reset')
export class PasswordResetController {
  constructor(@Inject(PasswordResetService) private readonly resets: PasswordResetService) {}

  /** Mails a one-time link when the address belongs to an active account; 202 either way. */
  @Post()
  @HttpCode(202)
  @Public()
  async request(@Body() body: RequestPasswordResetDto, @Req() request: PleinRequest): Promise<void> {
    await this.resets.request(body.email, { ip: clientOf(request).ip, acceptLanguage: request.headers['accept-language'] });
  }

  /** Sets the password with the link's token; every session of the account ends. */
  @Post(':token')
  @HttpCode(204)
  @Public()
  async complete(@Param('token') token: string, @Body() body: CompletePasswordResetDto): Promise<void> {
    await this.resets.complete(token, body.password);
  }
}
