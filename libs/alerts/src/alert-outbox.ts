import type { Alert, CaseState, OpenCase } from '@app/pathway';
import type { OutboxMessage } from '@app/persistence';

/** The BullMQ queue the relay moves alert outbox rows to; the worker's delivery processor takes them. */
export const ALERT_DELIVERIES_QUEUE = 'alert-deliveries';

/** The outbox topic of alert deliveries. */
export const ALERT_TOPIC = 'alert-deliveries';

/**
 * What the delivery worker does about an alert: send it (round 0 when raised, n for the n-th
 * re-send), or tell the live stream that its status changed (acknowledged, resolved).
 */
export type AlertOp = (
  | { op: 'deliver'; jobId: string; caseId: string; alert: string; round: number }
  | { op: 'changed'; jobId: string; caseId: string; alert: string; status: Alert['status'] }
) & {
  /** The correlation id of the command (or timer firing) that raised or changed it; absent on older jobs. */
  correlationId?: string;
};

/** Deterministic job ids (no ':', never all digits): publishing twice sends once. */
function alertJobId(op: { op: AlertOp['op']; caseId: string; alert: string }, suffix: string): string {
  return `${op.op === 'deliver' ? 'a' : 'c'}.${op.caseId}.${op.alert}.${suffix}`;
}

/**
 * The outbox messages an append writes for its case's alerts, from the states before and after:
 * a new alert or a re-send is delivered, and so is an open alert re-addressed to a new owner; a new
 * status is announced. Alerts are immutable values
 * in the state, so an unchanged alert is the same object. Each carries the command's correlation id.
 */
export function alertOutboxMessages(before: CaseState, after: OpenCase, correlationId?: string): OutboxMessage[] {
  const was = before.status === 'none' ? {} : before.alerts;
  const messages: OutboxMessage[] = [];
  for (const alert of Object.values(after.alerts)) {
    const old = was[alert.id];
    if (old === alert) continue;
    const base = { caseId: after.id, alert: alert.id, ...(correlationId !== undefined && { correlationId }) };
    let op: AlertOp;
    if (!old || alert.resends > old.resends)
      op = {
        op: 'deliver',
        ...base,
        round: alert.resends,
        jobId: alertJobId({ op: 'deliver', ...base }, `r${alert.resends}`),
      };
    else if (alert.owner !== old.owner && alert.status === 'open')
      // Re-addressed (the case moved municipality): the new owner is sent it, at the round it has reached.
      op = {
        op: 'deliver',
        ...base,
        round: alert.resends,
        jobId: alertJobId({ op: 'deliver', ...base }, `r${alert.resends}.to.${alert.owner.replaceAll(':', '-')}`),
      };
    else if (alert.status !== old.status)
      op = {
        op: 'changed',
        ...base,
        status: alert.status,
        jobId: alertJobId({ op: 'changed', ...base }, alert.status),
      };
    else continue;
    messages.push({ topic: ALERT_TOPIC, key: op.jobId, payload: op });
  }
  return messages;
}

/** The Redis pub/sub channel the delivery worker publishes alert changes on; every API instance relays them to its SSE clients. */
export const ALERT_STREAM_CHANNEL = 'pathway:alerts';

/** The BullMQ queue of webhook deliveries: one job per (alert sending, endpoint), retried with backoff. */
export const WEBHOOK_DELIVERIES_QUEUE = 'webhook-deliveries';

/** What a webhook delivery job carries. Its job id is its delivery id. */
export interface WebhookJob {
  deliveryId: string;
  subscriptionId: string;
  caseId: string;
  alert: string;
  round: number;
  /** The correlation id of the command that raised the alert; sent as X-Correlation-Id (absent on older jobs). */
  correlationId?: string;
}

/** The BullMQ queue of alert emails: one job per (alert sending, recipient), retried with backoff. */
export const EMAIL_DELIVERIES_QUEUE = 'email-deliveries';

/** What an email delivery job carries. Its job id is its delivery id. */
export interface EmailJob {
  deliveryId: string;
  organisation: string;
  to: string;
  caseId: string;
  alert: string;
  round: number;
  /** The correlation id of the command that raised the alert (absent on older jobs). */
  correlationId?: string;
}

/** Deterministic per (alert, round, contact). */
export function emailDeliveryId(caseId: string, alert: string, round: number, contactId: string): string {
  return `e.${caseId}.${alert}.r${round}.${contactId}`;
}

/**
 * The options of an alert, webhook or email job: its deterministic id, retries with exponential
 * backoff, and kept a day once done (a week once failed), so that the same delivery queued again
 * (a row relayed twice, a job retried) finds its job and is sent once.
 */
export function deliveryJobOptions(jobId: string, attempts: number, backoffMs: number) {
  return {
    jobId,
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    removeOnComplete: { age: 86_400 },
    removeOnFail: { age: 7 * 86_400 },
  };
}

/** Deterministic per (alert, round, endpoint): a retry or a repeated job keeps the id receivers de-duplicate on. */
export function webhookDeliveryId(caseId: string, alert: string, round: number, subscriptionId: string): string {
  return `w.${caseId}.${alert}.r${round}.${subscriptionId}`;
}
