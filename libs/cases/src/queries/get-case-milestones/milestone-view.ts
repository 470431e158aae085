import {
  commandsMeeting,
  isActive,
  ladderLevel,
  lostContactOf,
  pausedMsUntil,
  remainingPauseMs,
  ruleOf,
  shownStatus,
  type PolicyRegistry,
} from '@app/pathway';
import type { AlertRecord, MilestoneRecord } from '@app/persistence';
import { alertView, type AlertView } from '../list-alerts/alert-view';
import type { MilestoneAlerted, MilestoneView } from './get-case-milestones.query';

/**
 * A milestone record as people see it at `now`: its title, time left, ladder level, pause allowance,
 * the commands that meet it and who its alerts (`alerts`: those of its case, or more) have reached.
 */
export function milestoneView(
  record: MilestoneRecord,
  now: Date,
  policies: PolicyRegistry,
  alerts: readonly AlertRecord[] = [],
): MilestoneView {
  const m = record.milestone;
  const policy = policies.get(m.policy);
  const rule = policy && ruleOf(policy, m.rule);
  const alerted = alerts
    .filter((a) => a.caseId === record.caseId && a.alert.milestone === m.id)
    .map((a) => alertedOf(alertView(a, policies)));
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
    pauseAllowance:
      policy && rule?.pausable && m.explanation.maxPause
        ? {
            total: m.explanation.maxPause,
            usedMs: pausedMsUntil(m.pauses, now),
            leftMs: remainingPauseMs(policy, rule, m.pauses, now),
          }
        : null,
    escalationLevels: Math.max(0, ...m.ladder.map((s) => (s.kind === 'escalation' ? (s.level ?? 1) : 0))),
    alerted,
    lostContact: lostContactOf(m, rule),
  };
}

/** One alert of the milestone: the alert view's projection (ALERT_FIELD_CLASSES), the fields the milestone shows. */
function alertedOf({ step, kind, level, raisedAt, status, audience, acknowledged }: AlertView): MilestoneAlerted {
  return { step, kind, level, raisedAt, status, audience, acknowledged };
}
