import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Organisation } from '@app/pathway';
import { CaseReadModel } from '@app/persistence';
import { ListOrganisationsQuery } from './list-organisations.query';

@QueryHandler(ListOrganisationsQuery)
export class ListOrganisationsHandler implements IQueryHandler<ListOrganisationsQuery> {
  constructor(@Inject(CaseReadModel) private readonly readModel: CaseReadModel) {}

  execute(): Promise<Organisation[]> {
    return this.readModel.listOrganisations();
  }
}
