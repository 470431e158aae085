import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentPrincipal, requireAdministers, requireOwnOrAdministered, type Principal } from '@app/auth';
import { ApplicationError } from '@app/cases';
import { Clock } from '@app/config';
import { DomainError, findOrganisation, isOrganisationId } from '@app/pathway';
import { CaseReadModel, PeopleStore, type CaseloadRow, type DirectoryPerson } from '@app/persistence';
import { compile } from '../http/validation';
import { PeopleRecorder } from './people-recorder';

const name = {
  type: 'string',
  minLength: 1,
  maxLength: 200,
  'x-plain-text': true,
  'x-no-cpr': true,
  description: 'The name colleagues see. Must not contain a CPR number.',
};
/** The body of POST /v1/organisations/{id}/people (also the OpenAPI document's). */
export const NEW_PERSON_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name'],
  properties: {
    id: {
      type: 'string',
      pattern: '^[^\\u0000-\\u001f\\u007f]{1,200}$',
      'x-no-cpr': true,
      description: 'Her user id: the subject (`sub`) of her tokens. Must not contain a CPR number.',
    },
    name,
  },
};
/** The body of PUT /v1/organisations/{id}/people/{personId}. */
export const RENAMED_PERSON_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name },
};
const validateNew = compile<{ id: string; name: string }>(NEW_PERSON_BODY);
const validateRenamed = compile<{ name: string }>(RENAMED_PERSON_BODY);

/**
 * An organisation's directory of people, from which its cases and milestones are assigned: those who
 * signed in for it (recorded by PeopleRecorder) and those its administrator added. Its people and
 * its administrator (or the platform's) read it; only the administrators change it. Any other caller
 * is refused as the organisation's other routes refuse (403 NOT_YOUR_ORGANISATION / NOT_ORGANISATION_ADMIN).
 */
@ApiExcludeController() // documented in openapi.ts
@Controller('v1/organisations/:id/people')
export class PeopleController {
  constructor(
    @Inject(PeopleStore) private readonly people: PeopleStore,
    @Inject(PeopleRecorder) private readonly recorder: PeopleRecorder,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
  ): Promise<{ people: DirectoryPerson[] }> {
    requireOwnOrAdministered(principal, id);
    return { people: await this.people.list(id) };
  }

  @Post()
  @HttpCode(201)
  async add(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<DirectoryPerson> {
    administered(principal, id);
    const person = validateNew(body ?? {});
    if (!(await this.people.add(id, person.id, person.name, principal.sub, this.clock.now())))
      throw new ApplicationError('PERSON_EXISTS', 'conflict', `${person.id} is already among the people of ${id}`);
    return (await this.people.find(id, person.id))!;
  }

  @Put(':personId')
  async rename(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('personId') personId: string,
    @Body() body: unknown,
  ): Promise<DirectoryPerson> {
    administered(principal, id);
    const { name } = validateRenamed(body ?? {});
    if (!(await this.people.rename(id, personId, name, principal.sub, this.clock.now()))) notFound(id, personId);
    return (await this.people.find(id, personId))!;
  }

  @Delete(':personId')
  @HttpCode(204)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('personId') personId: string,
  ): Promise<void> {
    administered(principal, id);
    if (!(await this.people.remove(id, personId))) notFound(id, personId);
    // Should she sign in again, she is among its people again.
    this.recorder.forget(personId);
  }
}

/** Only an administrator of the organisation (or the platform's) changes its people; the organisation must exist. */
function administered(principal: Principal, id: string): void {
  if (principal.role !== 'admin')
    throw new DomainError('ROLE_NOT_PERMITTED', 'only an administrator keeps the directory of people', 'forbidden');
  requireAdministers(principal, id);
  if (!findOrganisation(id) && !isOrganisationId(id))
    throw new DomainError('ORGANISATION_NOT_FOUND', `there is no organisation ${id}`, 'not-found');
}

function notFound(id: string, personId: string): never {
  throw new DomainError('PERSON_NOT_FOUND', `${personId} is not among the people of ${id}`, 'not-found');
}

/** One person's load: open cases as caseworker and as coordinator, active milestones assigned and how many are overdue. */
export interface Caseload extends Omit<CaseloadRow, 'person'> {
  person: { id: string; name: string; inDirectory: boolean };
}

/**
 * The organisation's caseloads per person, for its team lead: any person of the organisation (and
 * its administrators) may read them, since they hold counts only, nothing of the women. Everyone of
 * its directory is listed (with zeros), and anyone who still has work without being in it.
 */
@ApiExcludeController() // documented in openapi.ts
@Controller('v1/organisations/:id/caseloads')
export class CaseloadsController {
  constructor(
    @Inject(PeopleStore) private readonly people: PeopleStore,
    @Inject(CaseReadModel) private readonly readModel: CaseReadModel,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get()
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
  ): Promise<{ at: string; caseloads: Caseload[]; unassigned: Omit<CaseloadRow, 'person' | 'casesAsCoordinator'> }> {
    requireOwnOrAdministered(principal, id);
    const at = this.clock.now().toISOString();
    const [people, rows] = await Promise.all([this.people.list(id), this.readModel.caseloads(id, at)]);
    const zero = { casesAsCaseworker: 0, casesAsCoordinator: 0, openMilestones: 0, overdueMilestones: 0 };
    const load = (person: string | null) => {
      const { person: _person, ...counts } = rows.find((r) => r.person === person) ?? { person, ...zero };
      return counts;
    };
    const known = new Set(people.map((p) => p.id));
    const caseloads: Caseload[] = [
      ...people.map((p) => ({ person: { id: p.id, name: p.name, inDirectory: true }, ...load(p.id) })),
      ...rows
        .filter((r): r is CaseloadRow & { person: string } => r.person !== null && !known.has(r.person))
        .map((r) => ({ person: { id: r.person, name: r.person, inDirectory: false }, ...load(r.person) })),
    ];
    const { casesAsCoordinator: _none, ...unassigned } = load(null);
    return { at, caseloads, unassigned };
  }
}
