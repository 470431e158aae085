import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public, signLocalToken } from '@app/auth';
import { APP_CONFIG, Clock, isLoopback, type AppConfig } from '@app/config';
import { DomainError, ORGANISATIONS, ROLES } from '@app/pathway';
import { compile } from '../http/validation';

const ORGANISATION_IDS = ORGANISATIONS.map((o) => o.id);
const LOCAL_TOKEN_HOURS = 12;

/** The development sign-in's body (also the OpenAPI document's). */
export const LOCAL_SIGN_IN_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['role', 'organisation', 'sub'],
  properties: {
    role: { type: 'string', enum: [...ROLES] },
    organisation: { type: 'string', enum: ORGANISATION_IDS },
    sub: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$' },
  },
};
const validateLocal = compile<{ role: string; organisation: string; sub: string }>(LOCAL_SIGN_IN_BODY);

/**
 * Whether the request comes from this machine: the socket's peer, never a forwarded-for header
 * (whatever Fastify's trustProxy says about request.ip).
 */
const fromLoopback = (request: FastifyRequest): boolean => isLoopback(request.socket.remoteAddress);

/**
 * How the dashboard signs people in: the options (no token needed, nothing secret in them) and the
 * development sign-in, which signs a token with the local key as `npm run token` does. The latter
 * exists only when DEV_SIGN_IN is set, which the configuration allows only with the local key on a
 * loopback HOST outside production, and answers only requests from loopback.
 */
@ApiExcludeController() // documented in openapi.ts
@Controller('v1/sign-in')
export class SignInController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Public()
  @Get()
  options(@Req() request: FastifyRequest): unknown {
    const { local, oidc } = this.config.signIn;
    return {
      local:
        local && fromLoopback(request)
          ? { roles: ROLES, organisations: ORGANISATIONS.map(({ id, kind, name }) => ({ id, kind, name })) }
          : null,
      oidc,
    };
  }

  @Public()
  @Post('local')
  @HttpCode(200)
  async local(@Body() body: unknown, @Req() request: FastifyRequest): Promise<{ token: string; expiresAt: string }> {
    const { auth, signIn } = this.config;
    if (!signIn.local || auth.mode !== 'local')
      throw new DomainError(
        'DEV_SIGN_IN_DISABLED',
        'the development sign-in is off: sign in with the identity provider',
        'forbidden',
      );
    if (!fromLoopback(request))
      throw new DomainError(
        'DEV_SIGN_IN_LOOPBACK_ONLY',
        'the development sign-in answers only requests from this machine (loopback): get a token with `npm run token` or sign in with the identity provider',
        'forbidden',
      );
    const { role, organisation, sub } = validateLocal(body === undefined ? {} : body);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + LOCAL_TOKEN_HOURS * 3_600_000);
    const token = await signLocalToken(
      auth.keyDir,
      { sub, role, org: organisation },
      { issuer: auth.issuer, audience: auth.audience, expiresIn: `${LOCAL_TOKEN_HOURS}h`, now },
    );
    return { token, expiresAt: expiresAt.toISOString() };
  }
}
