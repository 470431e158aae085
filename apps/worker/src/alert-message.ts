import type { AlertMessage } from '@app/alerts';
import type { AlertView } from '@app/cases';

/** What a channel delivers about an alert: its view, one sending (round) to one receiver (delivery id). */
export function alertMessage(view: AlertView, round: number, deliveryId: string, publicBaseUrl: string): AlertMessage {
  return {
    alertId: view.id,
    deliveryId,
    caseId: view.caseId,
    caseReference: view.caseReference,
    milestone: view.milestone,
    milestoneTitle: view.title ?? { da: view.rule, en: view.rule },
    step: view.step,
    kind: view.kind,
    level: view.level,
    severity: view.severity,
    dueAt: view.dueAt,
    raisedAt: view.raisedAt,
    round,
    owner: view.owner,
    link: `${publicBaseUrl}/app/cases/${view.caseId}`,
  };
}
