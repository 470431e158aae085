import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { AlertSeverity, AlertStatus } from '@app/pathway';
import type { AlertView } from './alert-view';

export interface AlertListRequest {
  status?: AlertStatus;
  severity?: AlertSeverity;
  /** A rule id, e.g. notification-assessment. */
  milestone?: string;
  caseId?: string;
  limit: number;
  cursor?: string;
}

/**
 * The caller's alerts, newest first: those of the cases she coordinates and those owned by her
 * organisations (their duty inboxes).
 */
export class ListAlertsQuery extends Query<{ items: AlertView[]; nextCursor: string | null }> {
  constructor(
    readonly principal: Principal,
    readonly request: AlertListRequest,
  ) {
    super();
  }
}
