import {
  audienceOf,
  ruleOf,
  type Alert,
  type ContactTier,
  type DisclosureClass,
  type PolicyRegistry,
} from '@app/pathway';
import type { AlertRecord } from '@app/persistence';

/**
 * An alert as people see it (the list, the live stream, webhooks and emails are made from it): the
 * case reference, never the CPR number or clinical detail. The acknowledgement's note is free text,
 * so clinical (disclosure policy): it is in the case's events, where the policy decides who sees it.
 */
export interface AlertView extends Omit<Alert, 'id' | 'acknowledged'> {
  /** `<caseId>.<milestone instance>.<step>`: the id in /v1/alerts/{id}. */
  id: string;
  caseId: string;
  caseReference: string;
  title: { da: string; en: string } | null;
  /** Who it goes to now: the coordinator, and the contact tier it has reached. */
  audience: ContactTier[];
  /** The case coordinator's user id, who sees the alert as theirs. */
  coordinator: string | null;
  acknowledged: Omit<NonNullable<Alert['acknowledged']>, 'note'> | null;
}

/**
 * The class of every field of an alert (disclosure policy): logistics only, so that an alert may go
 * to whoever owns the obligation or coordinates the case. A new field does not compile without a class,
 * and none may be another class than logistics (the referrer's alerts, about her own referral's
 * deadlines, are its status: REFERRAL_RULES).
 */
export const ALERT_FIELD_CLASSES: Readonly<Record<keyof AlertView, Extract<DisclosureClass, 'logistics'>>> = {
  id: 'logistics',
  caseId: 'logistics',
  caseReference: 'logistics',
  title: 'logistics',
  audience: 'logistics',
  coordinator: 'logistics',
  milestone: 'logistics',
  rule: 'logistics',
  step: 'logistics',
  kind: 'logistics',
  level: 'logistics',
  severity: 'logistics',
  owner: 'logistics',
  dueAt: 'logistics',
  raisedAt: 'logistics',
  status: 'logistics',
  reach: 'logistics',
  resends: 'logistics',
  lastSentAt: 'logistics',
  acknowledged: 'logistics',
  resolvedAt: 'logistics',
};

export function alertView(record: AlertRecord, policies: PolicyRegistry): AlertView {
  const { acknowledged, ...alert } = record.alert;
  return {
    ...alert,
    acknowledged: acknowledged && { by: acknowledged.by, organisation: acknowledged.organisation, at: acknowledged.at },
    id: publicAlertId(record.caseId, alert.id),
    caseId: record.caseId,
    caseReference: record.reference,
    title: ruleOf(policies.active, alert.rule)?.title ?? null,
    audience: audienceOf(alert),
    coordinator: record.coordinator,
  };
}

export function publicAlertId(caseId: string, alert: string): string {
  return `${caseId}.${alert}`;
}

const PUBLIC_ID =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([a-z0-9-]{1,80}\.[a-z0-9-]{1,40})$/;

/** The case and the alert within it, or null for an id that cannot be one. */
export function parseAlertId(id: string): { caseId: string; alert: string } | null {
  const m = PUBLIC_ID.exec(id);
  return m ? { caseId: m[1], alert: m[2] } : null;
}
