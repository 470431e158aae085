import { metrics } from '@app/observability';
import { DomainError, type CaseEvent, type CaseState, type OpenCase } from '@app/pathway';
import { ApplicationError } from './errors';

/** An error code as the error contract has them; anything else is not put in a label. */
const CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

/** Counts a command that was answered: accepted (events appended), unchanged (none needed) or replayed. */
export function countAnswered(type: string, result: { replayed: boolean; appended: number }): void {
  const outcome = result.replayed ? 'replayed' : result.appended > 0 ? 'accepted' : 'unchanged';
  metrics.commands.inc({ type, outcome, code: '' });
}

/** Counts a command that was not: refused by a rule (with its code), lost to a conflict, or failed. */
export function countRefused(type: string, error: unknown): void {
  const code = error instanceof DomainError || error instanceof ApplicationError ? error.code : null;
  const outcome =
    code === null
      ? 'error'
      : (error instanceof ApplicationError && error.kind === 'conflict') || code === 'VERSION_CONFLICT'
        ? 'conflict'
        : 'refused';
  metrics.commands.inc({ type, outcome, code: code !== null && CODE.test(code) ? code : 'INTERNAL' });
}

/** The ladder level a milestone event records, if it is a ladder step. */
function ladderLevel(event: CaseEvent): string | null {
  switch (event.type) {
    case 'MilestoneWarned':
      return 'warning';
    case 'MilestoneBreached':
      return 'breach';
    case 'MilestoneEscalated':
      return `escalation-${event.data.level}`;
    default:
      return null;
  }
}

/** Counts what an append recorded: the ladder steps fired, by level, and the alerts raised, by severity and kind. */
export function countAppended(events: readonly CaseEvent[], before: CaseState, after: OpenCase): void {
  for (const event of events) {
    const level = ladderLevel(event);
    if (level) metrics.ladderSteps.inc({ level });
  }
  const was = before.status === 'none' ? {} : before.alerts;
  for (const alert of Object.values(after.alerts))
    if (!was[alert.id]) metrics.alertsRaised.inc({ severity: alert.severity, kind: alert.kind });
}
