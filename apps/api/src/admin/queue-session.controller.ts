import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import { AuthenticationError, CurrentPrincipal, bearerToken, requirePlatformAdmin, type Principal } from '@app/auth';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { queueBoardCookie } from './queue-board';

/**
 * Opens the queue view (/admin/queues) in a browser: the page's own requests carry no
 * Authorization header, so the platform administrator's token goes into a cookie for that path
 * only, for as long as the token lives.
 */
@ApiExcludeController() // documented in openapi.ts
@Controller('v1/admin')
export class QueueSessionController {
  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('queue-session')
  @HttpCode(204)
  open(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): void {
    requirePlatformAdmin(principal, 'open the queue view');
    // The guard verified this very token (a bearer header: the only way this route takes one).
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new AuthenticationError('send Authorization: Bearer <token>');
    const { exp } = decodeJwt(token);
    const secure = this.config.publicBaseUrl.startsWith('https:');
    reply.header('set-cookie', queueBoardCookie(token, (exp ?? 0) - this.clock.now().getTime() / 1000, secure));
  }
}
