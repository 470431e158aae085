import type { CaseCommandData } from '../case.commands';
import { event, type CaseEvent } from '../case.events';
import type { OpenCase } from '../case.state';
import { refuse } from '../domain-error';
import { actingAsOwnerOrCoordinator, type CaseContext } from './guards';

/**
 * Someone takes an alert: the owning organisation (its duty inbox, team lead or management) or the
 * case's coordinator. Re-sending stops; the milestone's own ladder goes on.
 */
export function acknowledgeAlert(
  state: OpenCase,
  data: CaseCommandData['acknowledge-alert'],
  ctx: CaseContext,
): CaseEvent[] {
  const alert =
    state.alerts[data.alert] ?? refuse('ALERT_NOT_FOUND', `the case has no alert ${data.alert}`, 'not-found');
  if (!actingAsOwnerOrCoordinator(state, alert.owner, ctx)) {
    refuse(
      'NOT_ALERT_RECIPIENT',
      `only ${alert.owner} (or the case's coordinator) may acknowledge this alert`,
      'forbidden',
    );
  }
  if (alert.status === 'acknowledged')
    refuse(
      'ALERT_ALREADY_ACKNOWLEDGED',
      `the alert was acknowledged by ${alert.acknowledged?.by} at ${alert.acknowledged?.at}`,
    );
  if (alert.status === 'resolved')
    refuse('ALERT_RESOLVED', `the alert was resolved at ${alert.resolvedAt}: its milestone is met or waived`);
  return [
    event('AlertAcknowledged', {
      occurredAt: ctx.at,
      alert: alert.id,
      by: ctx.actor.id,
      organisation: ctx.actor.organisation,
      ...(data.note && { note: data.note }),
    }),
  ];
}
