import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public, signLocalToken } from '@app/auth';
import { ListOrganisationsQuery } from '@app/cases';
import { APP_CONFIG, Clock, isLoopback, type AppConfig } from '@app/config';
import {
  DomainError,
  ROLES,
  containsCpr,
  roleOrganisationMismatch,
  rolesOfOrganisation,
  type Role,
} from '@app/pathway';
import { compile } from '../http/validation';

/** The development sign-in's tokens live this long, or TOKEN_MAX_LIFETIME if that is shorter. */
const LOCAL_TOKEN_SECONDS = 12 * 3_600;

/** The development sign-in's body (also the OpenAPI document's). */
export const LOCAL_SIGN_IN_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['role', 'organisation', 'sub'],
  properties: {
    role: { type: 'string', enum: [...ROLES] },
    organisation: {
      type: 'string',
      maxLength: 100,
      description: 'An organisation GET /v1/sign-in offers (the facilities are those of the platform now)',
    },
    sub: { type: 'string', pattern: '^[A-Za-z0-9._@-]{1,100}$' },
    name: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      'x-plain-text': true,
      'x-no-cpr': true,
      description:
        "Her display name (the token's `name` claim), as colleagues see it in the directory of people; the user id if absent",
    },
  },
};
const validateLocal = compile<{ role: Role; organisation: string; sub: string; name?: string }>(LOCAL_SIGN_IN_BODY);

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
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @Public()
  @Get()
  async options(@Req() request: FastifyRequest): Promise<unknown> {
    const { local, oidc } = this.config.signIn;
    return {
      local:
        local && fromLoopback(request)
          ? {
              roles: ROLES,
              // Exactly what a token may hold: the roles each organisation may take; the facilities
              // those the platform administrator keeps (GET /v1/facilities), not those of the code.
              organisations: (await this.queries.execute(new ListOrganisationsQuery())).map(({ id, kind, name }) => ({
                id,
                kind,
                name,
                roles: rolesOfOrganisation(id),
              })),
            }
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
    const { role, organisation, sub, name } = validateLocal(body === undefined ? {} : body);
    const organisations = await this.queries.execute(new ListOrganisationsQuery());
    if (!organisations.some((o) => o.id === organisation))
      throw new DomainError(
        'UNKNOWN_ORGANISATION',
        `no organisation ${organisation}: pick one GET /v1/sign-in offers`,
        'rule',
      );
    // Refused here as the service would refuse the token: never hand out one that does not work.
    const mismatch = roleOrganisationMismatch(role, [organisation]);
    if (mismatch) throw new DomainError('ROLE_ORGANISATION_MISMATCH', `pick another pair: ${mismatch}`, 'rule');
    if (containsCpr(sub, 'words'))
      throw new DomainError('SUBJECT_IS_CPR', 'the user id is a CPR number: use a user id', 'rule');
    const now = this.clock.now();
    const lifetime = Math.min(LOCAL_TOKEN_SECONDS, auth.maxLifetimeSeconds);
    const expiresAt = new Date(now.getTime() + lifetime * 1000);
    const token = await signLocalToken(
      auth.keyDir,
      { sub, role, org: organisation, ...(name?.trim() ? { name: name.trim() } : {}) },
      { issuer: auth.issuer, audience: auth.audience, expiresIn: `${lifetime}s`, now },
    );
    return { token, expiresAt: expiresAt.toISOString() };
  }
}
