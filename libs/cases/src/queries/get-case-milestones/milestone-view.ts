import {
  commandsMeeting,
  isActive,
  ladderLevel,
  lostContactOf,
  ruleOf,
  shownStatus,
  type PolicyRegistry,
} from '@app/pathway';
import type { MilestoneRecord } from '@app/persistence';
import type { MilestoneView } from './get-case-milestones.query';

/** A milestone record as people see it at `now`: its title, time left, ladder level and the commands that meet it. */
export function milestoneView(record: MilestoneRecord, now: Date, policies: PolicyRegistry): MilestoneView {
  const m = record.milestone;
  const policy = policies.get(m.policy);
  const rule = policy && ruleOf(policy, m.rule);
  return {
    caseId: record.caseId,
    reference: record.reference,
    milestone: m.id,
    rule: m.rule,
    title: rule?.title ?? null,
    status: shownStatus(m, now),
    owner: m.owner,
    assignee: m.assignee ?? null,
    dueAt: m.dueAt,
    timeLeftMs: isActive(m) && m.status !== 'paused' ? Date.parse(m.dueAt) - now.getTime() : null,
    level: ladderLevel(m),
    meetsWith: commandsMeeting(rule?.metBy ?? []),
    late: m.late,
    openedAt: m.openedAt,
    closedAt: m.closedAt,
    ladder: m.ladder,
    pauses: m.pauses,
    explanation: m.explanation,
    lostContact: lostContactOf(m, rule),
  };
}
