import type { Milestone } from '../milestones/milestone';
import type { AlertPolicy, LadderKind, Policy } from '../policy/policy';
import { addDuration, parseDuration } from '../time/duration';

/** How urgent an alert is: a warning is info, a breach high, an escalation critical. */
export type AlertSeverity = 'info' | 'high' | 'critical';
export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

/**
 * Who an alert reaches, in the order it climbs (domain.md, Escalation): the case coordinator (or
 * assignee), the owning organisation's duty inbox, its team lead, its management together with the
 * regional contact. The case coordinator is always alerted first.
 */
export const CONTACT_TIERS = ['coordinator', 'duty-inbox', 'team-lead', 'management'] as const;
export type ContactTier = (typeof CONTACT_TIERS)[number];

/**
 * One ladder step of one milestone, brought to people's attention. It stays open until someone
 * acknowledges it or the milestone is met or waived; an open one is re-sent and climbs.
 */
export interface Alert {
  /** `<milestone instance>.<step>`: unique in the case. */
  id: string;
  milestone: string;
  rule: string;
  step: string;
  kind: LadderKind;
  level: 0 | 1 | 2;
  severity: AlertSeverity;
  /** The organisation whose obligation the milestone is. */
  owner: string;
  dueAt: string;
  raisedAt: string;
  status: AlertStatus;
  /** The highest contact tier reached so far. */
  reach: ContactTier;
  /** How many times it has been re-sent unacknowledged. */
  resends: number;
  /** When it was last sent (raised or re-sent): the next re-send is one interval later. */
  lastSentAt: string;
  acknowledged: { by: string; organisation: string; at: string; note: string | null } | null;
  resolvedAt: string | null;
}

const SEVERITY_OF: Readonly<Record<LadderKind, AlertSeverity>> = {
  warning: 'info',
  breach: 'high',
  escalation: 'critical',
};

/** The tier a ladder step first reaches. */
function firstReach(kind: LadderKind, level: 0 | 1 | 2): ContactTier {
  if (kind === 'warning') return 'coordinator';
  if (kind === 'breach') return 'duty-inbox';
  return level === 2 ? 'management' : 'team-lead';
}

export function raiseAlert(m: Milestone, step: string, kind: LadderKind, level: 0 | 1 | 2, at: string): Alert {
  return {
    id: `${m.id}.${step}`,
    milestone: m.id,
    rule: m.rule,
    step,
    kind,
    level,
    severity: SEVERITY_OF[kind],
    owner: m.owner,
    dueAt: m.dueAt,
    raisedAt: at,
    status: 'open',
    reach: firstReach(kind, level),
    resends: 0,
    lastSentAt: at,
    acknowledged: null,
    resolvedAt: null,
  };
}

/** The tier after `reach` (management is the top). */
function nextTier(reach: ContactTier): ContactTier {
  return CONTACT_TIERS[Math.min(CONTACT_TIERS.indexOf(reach) + 1, CONTACT_TIERS.length - 1)];
}

/** The tiers an alert goes to now: the coordinator, and the tier it has reached. */
export function audienceOf(alert: Pick<Alert, 'reach'>): ContactTier[] {
  return alert.reach === 'coordinator' ? ['coordinator'] : ['coordinator', alert.reach];
}

const DEFAULT_ALERT_POLICY: AlertPolicy = {
  resendEvery: { high: 'PT4H', critical: 'PT30M' },
  climbAfterResends: 2,
};

function alertPolicyOf(policy: Policy): AlertPolicy {
  return policy.alerts ?? DEFAULT_ALERT_POLICY;
}

/**
 * When an open alert is next re-sent (one interval after it was last sent), or null if its
 * severity is never re-sent. Counting from the last sending, not from when it was raised, means a
 * re-send that comes late (a worker was down) is followed by the next one an interval later, not
 * by a burst of the rounds it missed.
 */
export function nextResendAt(alert: Alert, policy: Policy): string | null {
  if (alert.status !== 'open') return null;
  const every = alertPolicyOf(policy).resendEvery[alert.severity];
  const duration = every ? parseDuration(every) : null;
  return duration && addDuration(new Date(alert.lastSentAt), duration).toISOString();
}

/** The tier a re-send reaches: it climbs after every `climbAfterResends` re-sends. */
export function reachAfterResend(alert: Alert, round: number, policy: Policy): ContactTier {
  const every = alertPolicyOf(policy).climbAfterResends;
  return every > 0 && round % every === 0 ? nextTier(alert.reach) : alert.reach;
}
