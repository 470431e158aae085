import {
  Inject,
  Injectable,
  SetMetadata,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal } from './principal';
import { AuthenticationError, TokenVerifier } from './token-verifier';

const PUBLIC = 'pathway:public';

const TOKEN_IN_QUERY = 'pathway:token-in-query';

/** Marks a route that needs no token (health, API docs). Everything else does. */
export const Public = () => SetMetadata(PUBLIC, true);

/**
 * Marks a route that also takes the token as `?access_token=` (RFC 6750 §2.3), for browsers'
 * EventSource, which cannot send headers. The service never logs query strings.
 */
export const TokenInQuery = () => SetMetadata(TOKEN_IN_QUERY, true);

interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  principal?: Principal;
}

/** The token of an `Authorization: Bearer <token>` header; null for any other header or none. */
export function bearerToken(header: string | string[] | undefined): string | null {
  return (typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined) ?? null;
}

/** Requires `Authorization: Bearer <JWT>` on every route not marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const inQuery =
      header === undefined &&
      this.reflector.getAllAndOverride<boolean>(TOKEN_IN_QUERY, [context.getHandler(), context.getClass()])
        ? request.query?.access_token
        : undefined;
    const token = bearerToken(header) ?? (typeof inQuery === 'string' && inQuery.length > 0 ? inQuery : null);
    if (!token) throw new AuthenticationError('send Authorization: Bearer <token>');
    request.principal = await this.verifier.verify(token);
    return true;
  }
}

/** The caller of the current request, as verified by AuthGuard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new AuthenticationError('no authenticated caller');
  return principal;
});
