import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { MILESTONE_EVENT_TYPES } from '@app/pathway';
import { Clock } from '@app/config';
import { CaseReadLog, EventStore } from '@app/persistence';
import { CaseDisclosure } from '../../shared/disclosure';
import { openCase } from '../../shared/open-case';
import { GetCaseHistoryQuery, type HistoryEntry } from './get-case-history.query';

@QueryHandler(GetCaseHistoryQuery)
export class GetCaseHistoryHandler implements IQueryHandler<GetCaseHistoryQuery> {
  constructor(
    @Inject(CaseReadLog) private readonly reads: CaseReadLog,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(CaseDisclosure) private readonly disclosure: CaseDisclosure,
  ) {}

  async execute({ principal, caseId }: GetCaseHistoryQuery): Promise<HistoryEntry[]> {
    const { summary } = await openCase(this.reads, principal, caseId, 'events', this.clock.now());
    const events = await this.store.readStream(caseId);
    let version = 0;
    const entries = events.map((e): HistoryEntry => {
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
    return this.disclosure.events(this.disclosure.of(principal, summary), entries);
  }
}
