import { Clock } from '@app/config';
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { viewAt } from '@app/pathway';
import { CaseReadModel, LivePolicyRegistry } from '@app/persistence';
import { CaseDisclosure } from '../../shared/disclosure';
import { decodeCursor, encodeCursor, isIsoInstant } from '../../shared/cursor';
import { ListCasesQuery, type CaseListItem } from './list-cases.query';

@QueryHandler(ListCasesQuery)
export class ListCasesHandler implements IQueryHandler<ListCasesQuery> {
  constructor(
    @Inject(CaseReadModel) private readonly readModel: CaseReadModel,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(CaseDisclosure) private readonly disclosure: CaseDisclosure,
  ) {}

  async execute({ principal, request }: ListCasesQuery): Promise<{ items: CaseListItem[]; nextCursor: string | null }> {
    const page = await this.readModel.list({
      organisations: principal.organisations,
      stage: request.stage,
      municipality: request.municipality,
      coordinator: request.coordinator,
      limit: request.limit,
      after: request.cursor === undefined ? undefined : decodeCursor(request.cursor, position),
    });
    const now = this.clock.now();
    return {
      // CPR numbers are never listed, in any form.
      items: page.items.map((r) =>
        this.disclosure.caseView(this.disclosure.of(principal, r.summary), viewAt(r.summary, now, this.policies)),
      ),
      nextCursor: page.last && encodeCursor([page.last.detectedAt, page.last.caseId]),
    };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** [detectedAt, case id], as `execute` writes it. */
function position([detectedAt, caseId]: unknown[]): { detectedAt: string; caseId: string } | null {
  return isIsoInstant(detectedAt) && typeof caseId === 'string' && UUID.test(caseId) ? { detectedAt, caseId } : null;
}
