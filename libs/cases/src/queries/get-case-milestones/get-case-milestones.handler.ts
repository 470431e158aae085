import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Clock } from '@app/config';
import { CaseReadLog, CaseReadModel, LivePolicyRegistry } from '@app/persistence';
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
  ) {}

  async execute({ principal, caseId }: GetCaseMilestonesQuery): Promise<MilestoneView[]> {
    const now = this.clock.now();
    await openCase(this.reads, principal, caseId, 'milestones', now);
    const records = await this.readModel.milestonesOf(caseId);
    return records.map((r) => milestoneView(r, now, this.policies));
  }
}
