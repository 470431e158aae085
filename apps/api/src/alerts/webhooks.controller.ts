import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { WebhookStore, WebhookTargetGuard, type DeadLetter, type WebhookSubscription } from '@app/alerts';
import { CurrentPrincipal, type Principal } from '@app/auth';
import { Clock } from '@app/config';
import { DomainError } from '@app/pathway';
import { compile, validateLimitQuery } from '../http/validation';

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
      description: 'One of your organisations; the first in your token when absent',
    },
  },
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Webhook endpoints of the caller's organisations, and the deliveries that kept failing. */
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
    if (!principal.organisations.includes(organisation))
      throw new DomainError('NOT_YOUR_ORGANISATION', `your token does not name ${organisation}`, 'forbidden');
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
  async list(@CurrentPrincipal() principal: Principal): Promise<{ items: WebhookSubscription[] }> {
    return { items: await this.webhooks.list(principal.organisations) };
  }

  /** Deliveries given up after their last attempt (or refused for good, e.g. 404), newest first. */
  @Get('dead-letters')
  async deadLetters(
    @CurrentPrincipal() principal: Principal,
    @Query() query: unknown,
  ): Promise<{ items: DeadLetter[] }> {
    const { limit } = validateLimitQuery(query);
    return { items: await this.webhooks.deadLetters(principal.organisations, limit ? Number(limit) : 50) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    if (principal.role === 'auditor')
      throw new DomainError('ROLE_NOT_PERMITTED', 'auditors read; they do not remove webhooks', 'forbidden');
    if (!UUID.test(id) || !(await this.webhooks.delete(id, principal.organisations))) {
      throw new DomainError('WEBHOOK_NOT_FOUND', 'there is no such webhook among your organisations’', 'not-found');
    }
  }
}
