import { Inject, Injectable } from '@nestjs/common';
import type { AlertMessage } from '@app/alerts';
import { alertView, type AlertView } from '@app/cases';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AlertReadModel, LivePolicyRegistry } from '@app/persistence';

/** What a channel delivers about an alert: its view, one sending (round) to one receiver (delivery id). */
function alertMessage(view: AlertView, round: number, deliveryId: string, publicBaseUrl: string): AlertMessage {
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

/** The message a channel delivers for one delivery job, from the alert as PostgreSQL holds it now. */
@Injectable()
export class AlertMessages {
  constructor(
    @Inject(AlertReadModel) private readonly alerts: AlertReadModel,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async of(d: { caseId: string; alert: string; round: number; deliveryId: string }): Promise<AlertMessage> {
    const record = await this.alerts.find(d.caseId, d.alert);
    if (!record) throw new Error(`alert ${d.alert} of case ${d.caseId} is not in the read model`);
    return alertMessage(alertView(record, this.policies), d.round, d.deliveryId, this.config.publicBaseUrl);
  }
}
