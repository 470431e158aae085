import type { AlertSeverity, DisclosureClass } from '@app/pathway';

/**
 * What a channel (in-app, webhook, email) delivers about an alert. It names the case by its
 * reference and never carries the CPR number or clinical detail.
 */
export interface AlertMessage {
  /** `<caseId>.<milestone instance>.<step>`, e.g. `4b1e….notification-assessment-1.breach`. */
  alertId: string;
  /** Unique per (alert, round, recipient, channel) and the same on every retry: receivers de-duplicate on it. */
  deliveryId: string;
  caseId: string;
  /** The case reference people use, e.g. `7F3K2M`. */
  caseReference: string;
  /** The milestone instance, e.g. `notification-assessment-1`. */
  milestone: string;
  milestoneTitle: { da: string; en: string };
  /** The ladder step that fired: `warning`, `breach`, `escalation-1`, … */
  step: string;
  kind: 'warning' | 'breach' | 'escalation';
  /** 0 for warnings and breaches, 1 or 2 for escalations. */
  level: 0 | 1 | 2;
  severity: AlertSeverity;
  /** The milestone's due time (ISO 8601). */
  dueAt: string;
  /** When the ladder step fired (ISO 8601). */
  raisedAt: string;
  /** 0 for the first sending, n for the n-th re-send of an unacknowledged alert. */
  round: number;
  /** The organisation whose obligation the milestone is, e.g. `municipality:851`. */
  owner: string;
  /** Where to open the case, e.g. `http://localhost:3000/app/cases/<caseId>`. */
  link: string;
}

/**
 * The class of every field of a delivered alert (disclosure policy): logistics only, never identity,
 * clinical detail or decisions. A new field does not compile without a class here.
 */
export const ALERT_MESSAGE_FIELD_CLASSES: Readonly<Record<keyof AlertMessage, Extract<DisclosureClass, 'logistics'>>> =
  {
    alertId: 'logistics',
    deliveryId: 'logistics',
    caseId: 'logistics',
    caseReference: 'logistics',
    milestone: 'logistics',
    milestoneTitle: 'logistics',
    step: 'logistics',
    kind: 'logistics',
    level: 'logistics',
    severity: 'logistics',
    dueAt: 'logistics',
    raisedAt: 'logistics',
    round: 'logistics',
    owner: 'logistics',
    link: 'logistics',
  };
