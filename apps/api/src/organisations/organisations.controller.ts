import { Controller, Get, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import { ListOrganisationsQuery } from '@app/cases';

@ApiExcludeController()
@Controller('v1/organisations')
export class OrganisationsController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get()
  async list(): Promise<unknown> {
    return { organisations: await this.queries.execute(new ListOrganisationsQuery()) };
  }
}
