import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CurrentPrincipal, requirePlatformAdmin, type Principal } from '@app/auth';
import { ApplicationError } from '@app/cases';
import { Clock } from '@app/config';
import { DomainError, findMunicipality, type ResidentialFacility } from '@app/pathway';
import { FacilityStore, type FacilityChanges } from '@app/persistence';
import { compile } from '../http/validation';

const name = { type: 'string', minLength: 1, maxLength: 200, 'x-plain-text': true, 'x-no-cpr': true };
const count = { type: 'integer', minimum: 0, maximum: 1000 };
const FIELDS = {
  name,
  owner: { ...name, description: 'Who runs it: private, a municipality or a region, in words.' },
  municipalityCode: { type: 'string', pattern: '^[0-9]{3}$' },
  places: count,
  retentionPlaces: count,
};

type NewFacility = Omit<ResidentialFacility, 'retiredAt'>;
const validateNew = compile<NewFacility>({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'owner', 'municipalityCode', 'places', 'retentionPlaces'],
  properties: { id: { type: 'string', pattern: '^facility:[a-z0-9][a-z0-9-]{0,62}$' }, ...FIELDS },
});
const validateChanges = compile<FacilityChanges>({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: FIELDS,
});

/**
 * The residential facilities: reference data the platform administrator adds, changes and retires
 * (DELETE retires: the facility stays for the cases that name it, and takes no new placements).
 * Anyone signed in may list them.
 */
@ApiExcludeController() // documented in openapi.ts
@Controller('v1/facilities')
export class FacilitiesController {
  constructor(
    @Inject(FacilityStore) private readonly facilities: FacilityStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get()
  async list(): Promise<{ facilities: ResidentialFacility[] }> {
    return { facilities: await this.facilities.list() };
  }

  @Post()
  @HttpCode(201)
  async add(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<ResidentialFacility> {
    requirePlatformAdmin(principal, 'add residential facilities');
    const facility = validateNew(body ?? {});
    const region = regionOf(facility.municipalityCode);
    placesFit(facility.places, facility.retentionPlaces);
    if (!(await this.facilities.add(facility, region, principal.sub, this.clock.now())))
      throw new ApplicationError('FACILITY_EXISTS', 'conflict', `an organisation ${facility.id} exists already`);
    return (await this.facilities.find(facility.id))!;
  }

  @Patch(':id')
  async change(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<ResidentialFacility> {
    requirePlatformAdmin(principal, 'change residential facilities');
    const changes = validateChanges(body ?? {});
    const region = changes.municipalityCode === undefined ? undefined : regionOf(changes.municipalityCode);
    const current = await this.found(id);
    placesFit(changes.places ?? current.places, changes.retentionPlaces ?? current.retentionPlaces);
    return (await this.facilities.change(id, changes, region, principal.sub, this.clock.now())) ?? notFound(id);
  }

  /** Retires the facility: kept for history, no new placements. Retiring a retired one changes nothing. */
  @Delete(':id')
  async retire(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<ResidentialFacility> {
    requirePlatformAdmin(principal, 'retire residential facilities');
    return (await this.facilities.retire(id, principal.sub, this.clock.now())) ?? notFound(id);
  }

  private async found(id: string): Promise<ResidentialFacility> {
    return (await this.facilities.find(id)) ?? notFound(id);
  }
}

function notFound(id: string): never {
  throw new DomainError('FACILITY_NOT_FOUND', `there is no residential facility ${id}`, 'not-found');
}

function regionOf(municipalityCode: string): string {
  const municipality = findMunicipality(municipalityCode);
  if (!municipality) throw new DomainError('UNKNOWN_MUNICIPALITY', `no municipality has the code ${municipalityCode}`);
  return municipality.region;
}

function placesFit(places: number, retentionPlaces: number): void {
  if (retentionPlaces > places)
    throw new DomainError(
      'RETENTION_PLACES_EXCEED_PLACES',
      `a facility with ${places} places cannot have ${retentionPlaces} retention places`,
    );
}
