import type { Alert, AlertSeverity, AlertStatus } from '@app/pathway';
import type { DataSource } from 'typeorm';

/** A row of the alerts read model. */
export interface AlertRecord {
  caseId: string;
  reference: string;
  /** The case coordinator's user id, who sees the alert as theirs. */
  coordinator: string | null;
  /** The responsible municipality's code: its region's contact is reached at escalation 2. */
  municipality: string;
  alert: Alert;
}

export interface AlertListFilter {
  /** Alerts owned by these organisations (their duty inboxes)… */
  organisations: readonly string[];
  /** …and those of the cases this user coordinates. */
  coordinator: string | null;
  status?: AlertStatus;
  severity?: AlertSeverity;
  rule?: string;
  caseId?: string;
  limit: number;
  /** Keyset position: the last (raisedAt, caseId, alert) of the previous page. */
  after?: AlertCursor;
}

export interface AlertCursor {
  raisedAt: string;
  caseId: string;
  alert: string;
}

interface AlertRow {
  case_id: string;
  alert: string;
  reference: string;
  coordinator: string | null;
  municipality: string;
  raised_at: Date;
  detail: Alert;
}

/** Queries on the alerts read model, newest first. */
export class AlertReadModel {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: AlertListFilter): Promise<{ items: AlertRecord[]; last: AlertCursor | null }> {
    const params: unknown[] = [filter.organisations, filter.coordinator];
    const where = ['(owner = ANY($1::text[]) OR coordinator = $2)'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.severity) add('severity = ?', filter.severity);
    if (filter.rule) add('rule = ?', filter.rule);
    if (filter.caseId) add('case_id = ?::uuid', filter.caseId);
    if (filter.after) {
      params.push(filter.after.raisedAt, filter.after.caseId, filter.after.alert);
      where.push(
        `(raised_at, case_id, alert) < ($${params.length - 2}::timestamptz, $${params.length - 1}::uuid, $${params.length})`,
      );
    }
    params.push(filter.limit);
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT case_id, alert, reference, coordinator, municipality, raised_at, detail FROM alerts
       WHERE ${where.join(' AND ')} ORDER BY raised_at DESC, case_id DESC, alert DESC LIMIT $${params.length}`,
      params,
    );
    const tail = rows[rows.length - 1];
    return {
      items: rows.map(toRecord),
      last:
        rows.length === filter.limit && tail
          ? { raisedAt: tail.raised_at.toISOString(), caseId: tail.case_id, alert: tail.alert }
          : null,
    };
  }

  /**
   * Every alert of these cases, unscoped, oldest first: who a milestone's ladder has reached, shown
   * with the milestone to whoever may see it (after the caller's scope was checked).
   */
  async ofCases(caseIds: readonly string[]): Promise<AlertRecord[]> {
    if (caseIds.length === 0) return [];
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT case_id, alert, reference, coordinator, municipality, raised_at, detail FROM alerts
       WHERE case_id = ANY($1::uuid[]) ORDER BY raised_at, alert`,
      [[...new Set(caseIds)]],
    );
    return rows.map(toRecord);
  }

  /** These alerts, unscoped, in one query: for the delivery of a relayed batch. Missing ones are left out. */
  async findAll(keys: readonly { caseId: string; alert: string }[]): Promise<AlertRecord[]> {
    if (keys.length === 0) return [];
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT a.case_id, a.alert, a.reference, a.coordinator, a.municipality, a.raised_at, a.detail
       FROM alerts a JOIN unnest($1::uuid[], $2::text[]) AS k(case_id, alert) ON a.case_id = k.case_id AND a.alert = k.alert`,
      [keys.map((k) => k.caseId), keys.map((k) => k.alert)],
    );
    return rows.map(toRecord);
  }

  /** One alert, unscoped: after the caller's scope was checked. */
  async find(caseId: string, alert: string): Promise<AlertRecord | null> {
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT case_id, alert, reference, coordinator, municipality, raised_at, detail FROM alerts WHERE case_id = $1 AND alert = $2`,
      [caseId, alert],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }
}

function toRecord(r: AlertRow): AlertRecord {
  return {
    caseId: r.case_id,
    reference: r.reference,
    coordinator: r.coordinator,
    municipality: r.municipality,
    alert: r.detail,
  };
}
