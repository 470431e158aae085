import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Clock } from '@app/config';
import { AlertReadModel, CaseReadModel, LivePolicyRegistry } from '@app/persistence';
import { pregnancyAt } from '@app/pathway';
import { CaseDisclosure } from '../../shared/disclosure';
import { milestoneView } from '../get-case-milestones/milestone-view';
import { ListMilestonesQuery, type WorkQueueItem } from './list-milestones.query';

@QueryHandler(ListMilestonesQuery)
export class ListMilestonesHandler implements IQueryHandler<ListMilestonesQuery> {
  constructor(
    @Inject(CaseReadModel) private readonly readModel: CaseReadModel,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(CaseDisclosure) private readonly disclosure: CaseDisclosure,
    @Inject(AlertReadModel) private readonly alerts: AlertReadModel,
  ) {}

  async execute({ principal, request }: ListMilestonesQuery): Promise<WorkQueueItem[]> {
    // Who does a milestone is logistics (as the coordinator): only a role shown them in all its cases filters by it.
    this.disclosure.requireFiltersShown(principal, 'logistics', {
      assignee: request.assignee !== undefined,
      mine: request.mine !== undefined,
    });
    const now = this.clock.now();
    const records = await this.readModel.workQueue({
      owners: principal.organisations,
      ...request,
      rule: request.milestone,
      now: now.toISOString(),
    });
    const alerts = await this.alerts.ofCases(records.map((r) => r.caseId));
    return records.flatMap((r) =>
      this.disclosure.milestones(this.disclosure.of(principal, r.parties), [
        {
          ...milestoneView(r, now, this.policies, alerts),
          birthImminent: pregnancyAt(r.pregnancy, now, this.policies)?.birthImminent ?? false,
        },
      ]),
    );
  }
}
