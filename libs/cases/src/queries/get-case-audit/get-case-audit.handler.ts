import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Clock } from '@app/config';
import { MILESTONE_EVENT_TYPES } from '@app/pathway';
import { CaseReadLog, EventStore, verifyChains } from '@app/persistence';
import { DataSource } from 'typeorm';
import { CaseDisclosure } from '../../shared/disclosure';
import { openCase } from '../../shared/open-case';
import { GetCaseAuditQuery, type CaseAudit } from './get-case-audit.query';

@QueryHandler(GetCaseAuditQuery)
export class GetCaseAuditHandler implements IQueryHandler<GetCaseAuditQuery> {
  constructor(
    @Inject(CaseReadLog) private readonly reads: CaseReadLog,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(CaseDisclosure) private readonly disclosure: CaseDisclosure,
  ) {}

  async execute({ principal, caseId }: GetCaseAuditQuery): Promise<CaseAudit> {
    const { summary } = await openCase(this.reads, principal, caseId, 'audit', this.clock.now());
    const [events, reads, chain] = await Promise.all([
      this.store.readStream(caseId),
      this.reads.reads(caseId),
      verifyChains(this.dataSource, { streamId: caseId }),
    ]);
    const shown = this.disclosure.audit(
      this.disclosure.of(principal, summary),
      principal,
      events.map((e) => ({
        sequence: e.version,
        type: e.type,
        kind: MILESTONE_EVENT_TYPES.has(e.type) ? 'milestone' : 'fact',
        actor: { id: e.metadata.actorId, role: e.metadata.actorRole, organisation: e.metadata.organisation },
        recordedAt: e.recordedAt.toISOString(),
        correlationId: e.metadata.correlationId,
        data: e.data as unknown as Record<string, unknown>,
      })),
      reads,
    );
    return {
      caseId,
      reference: summary.reference,
      ...shown,
      chain: { ok: chain.ok, events: chain.events, breaks: chain.breaks },
    };
  }
}
