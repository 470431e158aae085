import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { AlertReadModel, LivePolicyRegistry, type AlertCursor } from '@app/persistence';
import { decodeCursor, encodeCursor, isIsoInstant } from '../../shared/cursor';
import { alertView, parseAlertId, publicAlertId, type AlertView } from './alert-view';
import { ListAlertsQuery } from './list-alerts.query';

@QueryHandler(ListAlertsQuery)
export class ListAlertsHandler implements IQueryHandler<ListAlertsQuery> {
  constructor(
    @Inject(AlertReadModel) private readonly alerts: AlertReadModel,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
  ) {}

  async execute({ principal, request }: ListAlertsQuery): Promise<{ items: AlertView[]; nextCursor: string | null }> {
    const page = await this.alerts.list({
      organisations: principal.organisations,
      coordinator: principal.role === 'coordinator' ? principal.sub : null,
      status: request.status,
      severity: request.severity,
      rule: request.milestone,
      caseId: request.caseId,
      limit: request.limit,
      after: request.cursor === undefined ? undefined : decodeCursor(request.cursor, position),
    });
    return {
      items: page.items.map((r) => alertView(r, this.policies)),
      nextCursor: page.last && encodeCursor([page.last.raisedAt, publicAlertId(page.last.caseId, page.last.alert)]),
    };
  }
}

/** [raisedAt, public alert id], as `execute` writes it. */
function position([raisedAt, id]: unknown[]): AlertCursor | null {
  const parsed = typeof id === 'string' ? parseAlertId(id) : null;
  return isIsoInstant(raisedAt) && parsed ? { raisedAt, ...parsed } : null;
}
