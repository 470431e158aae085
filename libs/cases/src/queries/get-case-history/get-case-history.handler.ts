import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { MILESTONE_EVENT_TYPES } from '@app/pathway';
import { CaseReadModel, EventStore } from '@app/persistence';
import { CaseNotFoundError } from '../../shared/errors';
import { GetCaseHistoryQuery, type HistoryEntry } from './get-case-history.query';

@QueryHandler(GetCaseHistoryQuery)
export class GetCaseHistoryHandler implements IQueryHandler<GetCaseHistoryQuery> {
  constructor(
    @Inject(CaseReadModel) private readonly readModel: CaseReadModel,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  async execute({ principal, caseId }: GetCaseHistoryQuery): Promise<HistoryEntry[]> {
    if (!(await this.readModel.findById(caseId, principal.organisations))) throw new CaseNotFoundError();
    const events = await this.store.readStream(caseId);
    let version = 0;
    return events.map((e) => {
      const { encryptedCpr, ...data } = e.data as unknown as Record<string, unknown>;
      const kind = MILESTONE_EVENT_TYPES.has(e.type) ? 'milestone' : 'fact';
      if (kind === 'fact') version += 1;
      return {
        position: e.position,
        sequence: e.version,
        version,
        kind,
        type: e.type,
        data: encryptedCpr === undefined ? data : { ...data, cprRecorded: encryptedCpr !== null },
        recordedAt: e.recordedAt.toISOString(),
        actor: { id: e.metadata.actorId, role: e.metadata.actorRole, organisation: e.metadata.organisation },
        correlationId: e.metadata.correlationId,
        causationId: e.metadata.causationId,
      };
    });
  }
}
