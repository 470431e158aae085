import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { AlertView } from '../list-alerts/alert-view';
import type {
  Alert,
  ContactTier,
  Explanation,
  lostContactOf,
  Milestone,
  Person,
  ScheduledStep,
  ShownMilestoneStatus,
} from '@app/pathway';

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
  /**
   * For a pausable milestone: the pause allowance (ISO 8601), the time paused so far and what is
   * left at the time of reading; null when its clock cannot be paused.
   */
  pauseAllowance: { total: string; usedMs: number; leftMs: number } | null;
  /** The highest escalation level its ladder has (0: none), to say "level 1 of 2". */
  escalationLevels: number;
  /** Who its ladder has alerted, step by step, oldest first: the tiers reached and who took it. */
  alerted: MilestoneAlerted[];
  /** While contact with her is lost and the milestone is active: whether its clock runs on, and why. */
  lostContact: ReturnType<typeof lostContactOf>;
}

/** One ladder step's alert as the milestone shows it (the acknowledgement's note stays in the events). */
export interface MilestoneAlerted {
  step: string;
  kind: Alert['kind'];
  level: Alert['level'];
  raisedAt: string;
  status: Alert['status'];
  audience: ContactTier[];
  /** Who took it: shown with the logistics only (ALERT_FIELD_CLASSES). */
  acknowledged?: AlertView['acknowledged'];
}

export class GetCaseMilestonesQuery extends Query<MilestoneView[]> {
  constructor(
    readonly principal: Principal,
    readonly caseId: string,
  ) {
    super();
  }
}
