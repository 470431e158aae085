import { Query } from '@nestjs/cqrs';
import type { Organisation } from '@app/pathway';

/** The reference organisations: regions, municipalities, clinics and residential facilities. */
export class ListOrganisationsQuery extends Query<Organisation[]> {}
