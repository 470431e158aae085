import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { WebhookStore, WebhookTargetGuard, type DeadLetter, type WebhookSubscription } from '@app/alerts';
import { CurrentPrincipal, requireOwnOrAdministered, type Principal } from '@app/auth';
import { Clock } from '@app/config';
import { DomainError } from '@app/pathway';
import { LIMIT_IN_QUERY, compile } from '../http/validation';

const validateCreate = compile<{ url: string; organisation?: string }>({
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: {
      type: 'string',
      pattern: '^https?://[^\\s]+$',
      maxLength: 2000,
      'x-plain-text': true,
      description: 'Where alerts are POSTed (http or https)',
    },
    organisation: {
      type: 'string',
      maxLength: 200,
      'x-plain-text': true,
      description:
        'One of your organisations (any organisation for the platform administrator); the first in your token when absent',
    },
  },
});

/** `limit` (1–200) and, for the platform administrator, the `organisation` to look at. */
const validateListQuery = compile<{ limit?: string; organisation?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: LIMIT_IN_QUERY,
    organisation: { type: 'string', maxLength: 200, 'x-plain-text': true },
  },
});

/** The organisations a list covers: the caller's, or the one it names (its own, or any for the platform's admin). */
function listed(principal: Principal, organisation: string | undefined): string[] {
  if (organisation === undefined) return principal.organisations;
  requireOwnOrAdministered(principal, organisation);
  return [organisation];
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Webhook endpoints of the caller's organisations, and the deliveries that kept failing. An
 * organisation's people (auditors but read) and its admin manage its endpoints; the platform
 * administrator every organisation's (naming it); an admin of another organisation none.
 */
@ApiExcludeController() // documented in openapi.ts
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    @Inject(WebhookStore) private readonly webhooks: WebhookStore,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(WebhookTargetGuard) private readonly guard: WebhookTargetGuard,
  ) {}

  /**
   * Registers an endpoint; the answer holds its signing secret, shown this once. A host that is,
   * or now resolves to, an address webhooks may not reach (loopback, private, link-local and cloud
   * metadata, unique-local, multicast, …) is refused unless WEBHOOK_ALLOWED_HOSTS names it; a name
   * that does not resolve yet is accepted, as every delivery checks again.
   */
  @Post()
  @HttpCode(201)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
  ): Promise<WebhookSubscription & { secret: string }> {
    if (principal.role === 'auditor')
      throw new DomainError('ROLE_NOT_PERMITTED', 'auditors read; they do not register webhooks', 'forbidden');
    const { url, organisation = principal.organisations[0] } = validateCreate(body === undefined ? {} : body);
    requireOwnOrAdministered(principal, organisation);
    const parsed = new URL(url);
    if (parsed.username || parsed.password)
      throw new DomainError(
        'WEBHOOK_URL_WITH_CREDENTIALS',
        'put no user name or password in the URL: deliveries are signed with the secret',
        'rule',
      );
    const refused = await this.guard.refusal(parsed);
    if (refused) throw new DomainError('WEBHOOK_URL_FORBIDDEN', refused.message, 'rule');
    return this.webhooks.create(organisation, url, principal.sub, this.clock.now());
  }

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: unknown,
  ): Promise<{ items: WebhookSubscription[] }> {
    const { organisation } = validateListQuery(query);
    return { items: await this.webhooks.list(listed(principal, organisation)) };
  }

  /** Deliveries given up after their last attempt (or refused for good, e.g. 404), newest first. */
  @Get('dead-letters')
  async deadLetters(
    @CurrentPrincipal() principal: Principal,
    @Query() query: unknown,
  ): Promise<{ items: DeadLetter[] }> {
    const { limit, organisation } = validateListQuery(query);
    return { items: await this.webhooks.deadLetters(listed(principal, organisation), limit ? Number(limit) : 50) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    if (principal.role === 'auditor')
      throw new DomainError('ROLE_NOT_PERMITTED', 'auditors read; they do not remove webhooks', 'forbidden');
    const endpoint = UUID.test(id) ? await this.webhooks.endpoint(id) : null;
    // Another organisation's endpoint is as unknown as none to other people; an admin is told why not.
    if (!endpoint || (principal.role !== 'admin' && !principal.organisations.includes(endpoint.organisation)))
      throw notFound();
    requireOwnOrAdministered(principal, endpoint.organisation);
    if (!(await this.webhooks.delete(id, [endpoint.organisation]))) throw notFound();
  }
}

function notFound(): DomainError {
  return new DomainError('WEBHOOK_NOT_FOUND', 'there is no such webhook among your organisations’', 'not-found');
}
