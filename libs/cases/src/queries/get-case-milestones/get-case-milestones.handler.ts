import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Clock } from '@app/config';
import { AlertReadModel, CaseReadLog, CaseReadModel, LivePolicyRegistry } from '@app/persistence';
import { CaseDisclosure } from '../../shared/disclosure';
import { openCase } from '../../shared/open-case';
import { GetCaseMilestonesQuery, type MilestoneView } from './get-case-milestones.query';
import { milestoneView } from './milestone-view';

@QueryHandler(GetCaseMilestonesQuery)
export class GetCaseMilestonesHandler implements IQueryHandler<GetCaseMilestonesQuery> {
  constructor(
    @Inject(CaseReadModel) private readonly readModel: CaseReadModel,
    @Inject(CaseReadLog) private readonly reads: CaseReadLog,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(CaseDisclosure) private readonly disclosure: CaseDisclosure,
    @Inject(AlertReadModel) private readonly alerts: AlertReadModel,
  ) {}

  async execute({ principal, caseId }: GetCaseMilestonesQuery): Promise<MilestoneView[]> {
    const now = this.clock.now();
    const { summary } = await openCase(this.reads, principal, caseId, 'milestones', now);
    const [records, alerts] = await Promise.all([this.readModel.milestonesOf(caseId), this.alerts.ofCases([caseId])]);
    return this.disclosure.milestones(
      this.disclosure.of(principal, summary),
      records.map((r) => milestoneView(r, now, this.policies, alerts)),
    );
  }
}
