import type {
  CaseSummary,
  DisclosureCase,
  Milestone,
  MilestoneStatus,
  ShownMilestoneStatus,
  Organisation,
  Pregnancy,
  Stage,
} from '@app/pathway';
import type { DataSource } from 'typeorm';

export interface CaseSummaryRecord {
  summary: CaseSummary;
  encryptedCpr: string | null;
}

export interface CaseListFilter {
  organisations: readonly string[];
  stage?: Stage;
  municipality?: string;
  coordinator?: string;
  limit: number;
  /** Keyset position: the last (detectedAt, caseId) of the previous page. */
  after?: { detectedAt: string; caseId: string };
}

export interface CaseListPage {
  items: CaseSummaryRecord[];
  last: { detectedAt: string; caseId: string } | null;
}

/** A row of the milestones read model. */
export interface MilestoneRecord {
  caseId: string;
  reference: string;
  milestone: Milestone;
}

/** A work-queue row: the milestone and what its case's gestational age depends on. */
export interface WorkQueueRecord extends MilestoneRecord {
  pregnancy: Pregnancy;
  /** What the disclosure of its case depends on (disclosureFor). */
  parties: DisclosureCase;
}

export interface WorkQueueFilter {
  owners: readonly string[];
  /** `scheduled`: open but its clock starts after `now`; `open` and the default leave those out. */
  status?: ShownMilestoneStatus;
  /** The moment the queue is read at: what decides whether a clock has started. */
  now: string;
  rule?: string;
  dueBefore?: string;
  breached?: boolean;
  limit: number;
}

interface SummaryRow {
  summary: CaseSummary;
  encrypted_cpr: string | null;
  detected_at: Date;
  case_id: string;
}

/** The case's CPR envelope, from the one table that keeps it (case_identities), beside a case_summaries row. */
export const ENCRYPTED_CPR =
  '(SELECT i.encrypted_cpr FROM case_identities i WHERE i.case_id = case_summaries.case_id) AS encrypted_cpr';

/** Queries on the case summaries. Every query is scoped to the caller's organisations. */
export class CaseReadModel {
  constructor(private readonly dataSource: DataSource) {}

  async findById(caseId: string, organisations: readonly string[]): Promise<CaseSummaryRecord | null> {
    const rows: SummaryRow[] = await this.dataSource.query(
      `SELECT summary, ${ENCRYPTED_CPR} FROM case_summaries WHERE case_id = $1 AND organisations && $2::text[]`,
      [caseId, organisations],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(filter: CaseListFilter): Promise<CaseListPage> {
    const where = ['organisations && $1::text[]'];
    const params: unknown[] = [filter.organisations];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.stage) add('stage = ?', filter.stage);
    if (filter.municipality) add('municipality = ?', filter.municipality);
    if (filter.coordinator) add('coordinator_id = ?', filter.coordinator);
    if (filter.after) {
      params.push(filter.after.detectedAt, filter.after.caseId);
      where.push(`(detected_at, case_id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(filter.limit);
    const rows: SummaryRow[] = await this.dataSource.query(
      `SELECT summary, ${ENCRYPTED_CPR}, detected_at, case_id FROM case_summaries
       WHERE ${where.join(' AND ')} ORDER BY detected_at DESC, case_id DESC LIMIT $${params.length}`,
      params,
    );
    const tail = rows[rows.length - 1];
    return {
      items: rows.map(toRecord),
      last:
        rows.length === filter.limit && tail
          ? { detectedAt: tail.detected_at.toISOString(), caseId: tail.case_id }
          : null,
    };
  }

  /** The case's milestones in the order they opened. Unscoped: the caller has opened the case (CaseReadLog). */
  async milestonesOf(caseId: string): Promise<MilestoneRecord[]> {
    const rows = await this.dataSource.query(
      `SELECT case_id, reference, detail FROM milestones WHERE case_id = $1 ORDER BY opened_at, milestone`,
      [caseId],
    );
    return rows.map(toMilestoneRecord);
  }

  /** Milestones owned by these organisations, soonest due first. Without a status: the active ones. */
  async workQueue(filter: WorkQueueFilter): Promise<WorkQueueRecord[]> {
    const where = ['m.owner = ANY($1::text[])'];
    const params: unknown[] = [filter.owners];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    // An open milestone whose clock starts later (its anchor lies ahead) is scheduled, in no queue.
    const started = (sql: string) =>
      add(`(m.status <> 'open' OR (m.detail->'anchor'->>'at')::timestamptz ${sql} ?::timestamptz)`, filter.now);
    if (filter.breached) add('m.status = ?', 'breached');
    else if (filter.status === 'scheduled') {
      add('m.status = ?', 'open');
      started('>');
    } else if (filter.status) {
      add('m.status = ?', filter.status);
      started('<=');
    } else {
      add('m.status = ANY(?::text[])', ACTIVE);
      started('<=');
    }
    if (filter.rule) add('m.rule = ?', filter.rule);
    if (filter.dueBefore) add('m.due_at < ?::timestamptz', filter.dueBefore);
    params.push(filter.limit);
    const rows: {
      case_id: string;
      reference: string;
      detail: Milestone;
      pregnancy: Pregnancy;
      parties: DisclosureCase;
    }[] = await this.dataSource.query(
      `SELECT m.case_id, m.reference, m.detail,
              json_build_object('estimatedDueDate', s.summary->'estimatedDueDate', 'birthAt', s.summary->'birthAt', 'pregnancyEnded', s.summary->'pregnancyEnded', 'status', s.status, 'policy', s.summary->'policy') AS pregnancy,
              json_build_object('registeredBy', s.summary->'registeredBy', 'municipality', s.summary->'municipality', 'clinic', s.summary->'clinic', 'parties', s.summary->'parties', 'consent', s.summary->'consent') AS parties
       FROM milestones m JOIN case_summaries s USING (case_id)
       WHERE ${where.join(' AND ')} ORDER BY m.due_at, m.case_id, m.milestone LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({ ...toMilestoneRecord(r), pregnancy: r.pregnancy, parties: r.parties }));
  }

  /**
   * The cases these organisations registered (their referrals), newest first, with the milestones
   * of the given rules: what a referrer may follow of her referral.
   */
  async referralsOf(
    organisations: readonly string[],
    rules: readonly string[],
    limit: number,
  ): Promise<{ summary: CaseSummary; milestones: Milestone[] }[]> {
    const cases: { case_id: string; summary: CaseSummary }[] = await this.dataSource.query(
      `SELECT case_id, summary FROM case_summaries WHERE summary->>'registeredBy' = ANY($1::text[]) ORDER BY detected_at DESC, case_id DESC LIMIT $2`,
      [organisations, limit],
    );
    if (cases.length === 0) return [];
    const rows: { case_id: string; detail: Milestone }[] = await this.dataSource.query(
      `SELECT case_id, detail FROM milestones WHERE case_id = ANY($1::uuid[]) AND rule = ANY($2::text[]) ORDER BY opened_at, milestone`,
      [cases.map((c) => c.case_id), rules],
    );
    return cases.map((c) => ({
      summary: c.summary,
      milestones: rows.filter((r) => r.case_id === c.case_id).map((r) => r.detail),
    }));
  }

  async listOrganisations(): Promise<Organisation[]> {
    const rows: {
      id: string;
      kind: Organisation['kind'];
      name: string;
      region: Organisation['region'];
      municipality_code: string | null;
      places: number | null;
      retention_places: number | null;
    }[] = await this.dataSource.query(
      `SELECT id, kind, name, region, municipality_code, places, retention_places FROM organisations ORDER BY kind, id`,
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      region: r.region,
      municipalityCode: r.municipality_code,
      places: r.places,
      retentionPlaces: r.retention_places,
    }));
  }
}

const ACTIVE: MilestoneStatus[] = ['open', 'paused', 'breached'];

/** An open case of the woman a new concern is about: its reference, and whether the caller may see it. */
export interface OpenCaseOfWoman {
  reference: string;
  visible: boolean;
}

/**
 * The cases of one woman, linked by her CPR's blind index (case_identities.cpr_index). Same
 * access rule as a case read: a case is the caller's when one of her organisations has a part in it.
 */
export class WomanCases {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Her open case, if any: one she may see first. One query whatever the answer, so that the
   * caller's answer takes the same work whether she may see the case or not.
   */
  async openCase(cprIndex: string, organisations: readonly string[]): Promise<OpenCaseOfWoman | null> {
    const rows: { reference: string; visible: boolean }[] = await this.dataSource.query(
      `SELECT s.reference, s.organisations && $2::text[] AS visible
       FROM case_identities i JOIN case_summaries s ON s.case_id = i.case_id
       WHERE i.cpr_index = $1 AND s.status = 'open'
       ORDER BY visible DESC, s.detected_at, s.case_id LIMIT 1`,
      [cprIndex, organisations],
    );
    return rows[0] ?? null;
  }

  /**
   * The summaries of her cases registered before this one (by the position of their first event:
   * the order of registration, whatever dates were given) that the caller's organisations have a
   * part in, oldest first.
   */
  async earlierCases(caseId: string, organisations: readonly string[]): Promise<CaseSummary[]> {
    const rows: { summary: CaseSummary }[] = await this.dataSource.query(
      `WITH registered AS (
         SELECT i.case_id, e.position, i.case_id = $1::uuid AS this
         FROM case_identities me
         JOIN case_identities i ON i.cpr_index = me.cpr_index
         JOIN case_events e ON e.stream_id = i.case_id AND e.version = 1
         WHERE me.case_id = $1::uuid AND me.cpr_index IS NOT NULL)
       SELECT s.summary
       FROM registered r JOIN case_summaries s ON s.case_id = r.case_id
       WHERE NOT r.this AND r.position < (SELECT position FROM registered WHERE this)
         AND s.organisations && $2::text[]
       ORDER BY r.position`,
      [caseId, organisations],
    );
    return rows.map((r) => r.summary);
  }
}

function toMilestoneRecord(r: { case_id: string; reference: string; detail: Milestone }): MilestoneRecord {
  return { caseId: r.case_id, reference: r.reference, milestone: r.detail };
}

function toRecord(r: SummaryRow): CaseSummaryRecord {
  return { summary: r.summary, encryptedCpr: r.encrypted_cpr };
}
