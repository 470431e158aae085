import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { Explanation, lostContactOf, Milestone, Person, ScheduledStep, ShownMilestoneStatus } from '@app/pathway';

/** A milestone as people see it: its clock, its ladder and why it is due when it is. */
export interface MilestoneView {
  caseId: string;
  reference: string;
  milestone: string;
  rule: string;
  title: { da: string; en: string } | null;
  /** `scheduled` while its clock has not started (see shownStatus). */
  status: ShownMilestoneStatus;
  owner: string;
  /** Who of the owner organisation does it (null: nobody); shown with the logistics only, like the coordinator. */
  assignee?: Person | null;
  dueAt: string;
  /** Milliseconds until the due time (negative when overdue); null once met or waived. */
  timeLeftMs: number | null;
  level: string | null;
  /** The commands whose events meet it (GET /v1/cases/{id}/actions says which the caller may send now). */
  meetsWith: string[];
  late: boolean;
  openedAt: string;
  closedAt: string | null;
  ladder: (ScheduledStep & { firedAt: string | null })[];
  pauses: Milestone['pauses'];
  explanation: Explanation;
  /** While contact with her is lost and the milestone is active: whether its clock runs on, and why. */
  lostContact: ReturnType<typeof lostContactOf>;
}

export class GetCaseMilestonesQuery extends Query<MilestoneView[]> {
  constructor(
    readonly principal: Principal,
    readonly caseId: string,
  ) {
    super();
  }
}
