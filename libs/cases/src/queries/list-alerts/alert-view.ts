import { audienceOf, ruleOf, type Alert, type ContactTier, type PolicyRegistry } from '@app/pathway';
import type { AlertRecord } from '@app/persistence';

/** An alert as people see it: the case reference, never the CPR number or clinical detail. */
export interface AlertView extends Omit<Alert, 'id'> {
  /** `<caseId>.<milestone instance>.<step>`: the id in /v1/alerts/{id}. */
  id: string;
  caseId: string;
  caseReference: string;
  title: { da: string; en: string } | null;
  /** Who it goes to now: the coordinator, and the contact tier it has reached. */
  audience: ContactTier[];
  /** The case coordinator's user id, who sees the alert as theirs. */
  coordinator: string | null;
}

export function alertView(record: AlertRecord, policies: PolicyRegistry): AlertView {
  const { alert } = record;
  return {
    ...alert,
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
