import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Clock } from '@app/config';
import { CaseReadModel, LivePolicyRegistry } from '@app/persistence';
import { CaseNotFoundError } from '../../shared/errors';
import { GetCaseMilestonesQuery, type MilestoneView } from './get-case-milestones.query';
import { milestoneView } from './milestone-view';

@QueryHandler(GetCaseMilestonesQuery)
export class GetCaseMilestonesHandler implements IQueryHandler<GetCaseMilestonesQuery> {
  constructor(
    @Inject(CaseReadModel) private readonly readModel: CaseReadModel,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ principal, caseId }: GetCaseMilestonesQuery): Promise<MilestoneView[]> {
    const records = await this.readModel.milestonesOf(caseId, principal.organisations);
    if (!records) throw new CaseNotFoundError();
    const now = this.clock.now();
    return records.map((r) => milestoneView(r, now, this.policies));
  }
}
