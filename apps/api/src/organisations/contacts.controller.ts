import { Body, Controller, Get, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  CONTACT_TIERS_BY_EMAIL,
  ContactStore,
  type EmailContactTier,
  type EmailDeadLetter,
  type OrganisationContact,
} from '@app/alerts';
import { CurrentPrincipal, requireAdministers, requireOwnOrAdministered, type Principal } from '@app/auth';
import { Clock } from '@app/config';
import { DomainError, findOrganisation, isOrganisationId } from '@app/pathway';
import { compile, validateLimitQuery } from '../http/validation';

const validateContacts = compile<{ contacts: { tier: EmailContactTier; name: string; email: string }[] }>({
  type: 'object',
  additionalProperties: false,
  required: ['contacts'],
  properties: {
    contacts: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['tier', 'name', 'email'],
        properties: {
          tier: { type: 'string', enum: [...CONTACT_TIERS_BY_EMAIL] },
          name: { type: 'string', minLength: 1, maxLength: 200, 'x-plain-text': true, 'x-no-cpr': true },
          email: { type: 'string', pattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', maxLength: 320 },
        },
      },
    },
  },
});

/**
 * Who an organisation's alerts reach by email, per tier: its duty inbox, team lead and management.
 * Its administrator (or the platform's) keeps the lists; the organisation's own people may read
 * theirs. An admin of another organisation may do neither.
 */
@ApiExcludeController() // documented in openapi.ts
@Controller('v1/organisations/:id/contacts')
export class ContactsController {
  constructor(
    @Inject(ContactStore) private readonly contacts: ContactStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
  ): Promise<{ contacts: OrganisationContact[] }> {
    requireOwnOrAdministered(principal, id);
    return { contacts: await this.contacts.list(id) };
  }

  /** Alert emails to the organisation's contacts given up after their last attempt, newest first. */
  @Get('dead-letters')
  async deadLetters(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Query() query: unknown,
  ): Promise<{ items: EmailDeadLetter[] }> {
    requireOwnOrAdministered(principal, id);
    const { limit } = validateLimitQuery(query);
    return { items: await this.contacts.deadLetters(id, limit ? Number(limit) : 50) };
  }

  /** Replaces the organisation's contacts. */
  @Put()
  async replace(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<{ contacts: OrganisationContact[] }> {
    if (principal.role !== 'admin')
      throw new DomainError('ROLE_NOT_PERMITTED', 'only an administrator keeps the contact lists', 'forbidden');
    requireAdministers(principal, id);
    if (!findOrganisation(id) && !isOrganisationId(id))
      throw new DomainError('ORGANISATION_NOT_FOUND', `there is no organisation ${id}`, 'not-found');
    const { contacts } = validateContacts(body === undefined ? {} : body);
    return { contacts: await this.contacts.replace(id, contacts, principal.sub, this.clock.now()) };
  }
}
