import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { ShownMilestoneStatus } from '@app/pathway';
import type { MilestoneView } from '../get-case-milestones/get-case-milestones.query';

export interface WorkQueueRequest {
  status?: ShownMilestoneStatus;
  /** A rule id, e.g. notification-assessment. */
  milestone?: string;
  dueBefore?: string;
  /** Only those whose breach step has fired. */
  breached?: boolean;
  /** Assigned to this person (her id); null: to nobody. */
  assignee?: string | null;
  /** Her work (her id): assigned to her, or to nobody in the cases she coordinates or is the caseworker of. */
  mine?: string;
  limit: number;
}

/** A milestone of the work queue, and whether its case is in the birth-imminent weeks (37+). */
export type WorkQueueItem = MilestoneView & { birthImminent: boolean };

/** The work queue: milestones owned by the caller's organisations, soonest due first. */
export class ListMilestonesQuery extends Query<WorkQueueItem[]> {
  constructor(
    readonly principal: Principal,
    readonly request: WorkQueueRequest,
  ) {
    super();
  }
}
