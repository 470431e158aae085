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
  /** Her name's envelope (case_identities.encrypted_name), where the read asked for it (`CaseReadLog.open`). */
  encryptedName?: string | null;
}

/** The orders of the case list: registration (newest first), estimated due date (soonest first), reference. */
export const CASE_LIST_SORTS = ['registered', 'due-date', 'reference'] as const;
export type CaseListSort = (typeof CASE_LIST_SORTS)[number];

/** Where a page ends: the sort key and the case id of its last row (the next page starts after it). */
export interface CaseListPosition {
  key: string;
  caseId: string;
}

export interface CaseListFilter {
  organisations: readonly string[];
  /** Exact reference, in any case. */
  reference?: string;
  /** The keyed blind index of her CPR number (case_identities.cpr_index): her cases, never a decryption. */
  cprIndex?: string;
  /**
   * The keyed blind indexes of the words of a name (case_name_tokens): the cases whose name has
   * every one of them, never a decryption.
   */
  nameTokens?: readonly string[];
  stage?: Stage;
  municipality?: string;
  coordinator?: string;
  /** The person id of the case's caseworker. */
  caseworker?: string;
  /** Cases with an open milestone past due at this moment (breached, or open and due before it). */
  overdueAt?: string;
  /** Open cases, pregnant, whose estimated due date is on or before this date: the birth-imminent weeks. */
  birthImminentBy?: string;
  sort?: CaseListSort;
  limit: number;
  /** Keyset position: the last row of the previous page, in the same sort. */
  after?: CaseListPosition;
}

export interface CaseListPage {
  items: CaseSummaryRecord[];
  /** Every case the filter matches, over all pages. */
  total: number;
  last: CaseListPosition | null;
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
  /** Assigned to this person (her id); null: to nobody. */
  assignee?: string | null;
  /**
   * Her work (her id): the milestones assigned to her, and those assigned to nobody of the cases she
   * coordinates or is the caseworker of.
   */
  mine?: string;
  limit: number;
}

/** One person's load in an organisation: her open cases and her active milestones (GET /v1/organisations/{id}/caseloads). */
export interface CaseloadRow {
  /** Null: nobody (the cases without a caseworker, the milestones assigned to nobody). */
  person: string | null;
  casesAsCaseworker: number;
  casesAsCoordinator: number;
  openMilestones: number;
  overdueMilestones: number;
}

interface SummaryRow {
  summary: CaseSummary;
  open_alerts: number;
  encrypted_cpr: string | null;
  sort_key: string;
  case_id: string;
}

/** Each order's key as text (the cursor holds it) and its direction; the case id breaks ties. */
const ORDERS: Record<CaseListSort, { key: string; cast: string; descending: boolean }> = {
  registered: {
    key: `to_char(detected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    cast: 'timestamptz',
    descending: true,
  },
  'due-date': { key: `to_char(estimated_due_date, 'YYYY-MM-DD')`, cast: 'date', descending: false },
  reference: { key: 'reference', cast: 'text', descending: false },
};
const ORDER_COLUMNS: Record<CaseListSort, string> = {
  registered: 'detected_at',
  'due-date': 'estimated_due_date',
  reference: 'reference',
};

/** The case's CPR envelope, from the one table that keeps it (case_identities), beside a case_summaries row. */
export const ENCRYPTED_CPR =
  '(SELECT i.encrypted_cpr FROM case_identities i WHERE i.case_id = case_summaries.case_id) AS encrypted_cpr';

/**
 * The case's open alerts, counted from the alerts read model beside a case_summaries row (`s`: its
 * alias): the stored summary has none (caseSummaryProjection), so that an alert raised or
 * acknowledged rewrites no summary. `shownSummary` puts the count back.
 */
export const OPEN_ALERTS = (s = 'case_summaries') =>
  `(SELECT count(*)::int FROM alerts a WHERE a.case_id = ${s}.case_id AND a.status = 'open') AS open_alerts`;

/** The summary as the API shows it: the stored one with its open alerts (OPEN_ALERTS), last as summarise puts them. */
export function shownSummary(r: { summary: CaseSummary; open_alerts: number }): CaseSummary {
  return { ...r.summary, openAlerts: r.open_alerts };
}

/** Her name's envelope, from case_identities, beside a case_summaries row. */
export const ENCRYPTED_NAME =
  '(SELECT i.encrypted_name FROM case_identities i WHERE i.case_id = case_summaries.case_id) AS encrypted_name';

/** Queries on the case summaries. Every query is scoped to the caller's organisations. */
export class CaseReadModel {
  constructor(private readonly dataSource: DataSource) {}

  async findById(caseId: string, organisations: readonly string[]): Promise<CaseSummaryRecord | null> {
    const rows: SummaryRow[] = await this.dataSource.query(
      `SELECT summary, ${OPEN_ALERTS()}, ${ENCRYPTED_CPR} FROM case_summaries WHERE case_id = $1 AND organisations && $2::text[]`,
      [caseId, organisations],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(filter: CaseListFilter): Promise<CaseListPage> {
    const where = ['organisations && $1::text[]'];
    const params: unknown[] = [filter.organisations];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (filter.reference !== undefined) add('lower(reference) = lower(?)', filter.reference);
    if (filter.cprIndex !== undefined)
      add('case_id IN (SELECT i.case_id FROM case_identities i WHERE i.cpr_index = ?)', filter.cprIndex);
    if (filter.nameTokens !== undefined)
      add(
        `case_id IN (SELECT n.case_id FROM case_name_tokens n WHERE n.token_hmac = ANY (?::text[])
           GROUP BY n.case_id HAVING count(*) = cardinality(?::text[]))`,
        [...new Set(filter.nameTokens)],
      );
    if (filter.stage) add('stage = ?', filter.stage);
    if (filter.municipality) add('municipality = ?', filter.municipality);
    if (filter.coordinator) add('coordinator_id = ?', filter.coordinator);
    if (filter.caseworker) add('caseworker_id = ?', filter.caseworker);
    if (filter.overdueAt)
      add(
        `EXISTS (SELECT 1 FROM milestones m WHERE m.case_id = case_summaries.case_id
           AND (m.status = 'breached' OR (m.status = 'open' AND m.due_at < ?::timestamptz)))`,
        filter.overdueAt,
      );
    if (filter.birthImminentBy)
      add(
        `status = 'open' AND summary->>'birthAt' IS NULL AND summary->>'pregnancyEnded' IS NULL
         AND estimated_due_date <= ?::date`,
        filter.birthImminentBy,
      );
    const matching = [...where];
    const totalParams = [...params];
    const sort = filter.sort ?? 'registered';
    const order = ORDERS[sort];
    const column = ORDER_COLUMNS[sort];
    const direction = order.descending ? 'DESC' : 'ASC';
    if (filter.after) {
      params.push(filter.after.key, filter.after.caseId);
      where.push(
        `(${column}, case_id) ${order.descending ? '<' : '>'} ($${params.length - 1}::${order.cast}, $${params.length}::uuid)`,
      );
    }
    params.push(filter.limit);
    const [rows, counted]: [SummaryRow[], { total: number }[]] = await Promise.all([
      this.dataSource.query(
        `SELECT summary, ${OPEN_ALERTS()}, ${ENCRYPTED_CPR}, ${order.key} AS sort_key, case_id FROM case_summaries
         WHERE ${where.join(' AND ')} ORDER BY ${column} ${direction}, case_id ${direction} LIMIT $${params.length}`,
        params,
      ),
      this.dataSource.query(
        `SELECT count(*)::int AS total FROM case_summaries WHERE ${matching.join(' AND ')}`,
        totalParams,
      ),
    ]);
    const tail = rows[rows.length - 1];
    return {
      items: rows.map(toRecord),
      total: counted[0]?.total ?? 0,
      last: rows.length === filter.limit && tail ? { key: tail.sort_key, caseId: tail.case_id } : null,
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
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    // An open milestone whose clock starts later (its anchor lies ahead) is scheduled, in no queue.
    const started = (sql: string) =>
      add(`(m.status <> 'open' OR (m.detail->'anchor'->>'at')::timestamptz ${sql} ?::timestamptz)`, filter.now);
    // `m.active` (status open, paused or breached) lets the work queue's index serve the query.
    if (filter.breached) add('m.active AND m.status = ?', 'breached');
    else if (filter.status === 'scheduled') {
      add('m.active AND m.status = ?', 'open');
      started('>');
    } else if (filter.status) {
      add(`${ACTIVE.includes(filter.status) ? 'm.active AND ' : ''}m.status = ?`, filter.status);
      started('<=');
    } else {
      add('m.active AND m.status = ANY(?::text[])', ACTIVE);
      started('<=');
    }
    if (filter.rule) add('m.rule = ?', filter.rule);
    if (filter.dueBefore) add('m.due_at < ?::timestamptz', filter.dueBefore);
    if (filter.assignee === null) where.push(`m.detail->'assignee' IS NULL`);
    else if (filter.assignee !== undefined) add('m.assignee_id = ?', filter.assignee);
    if (filter.mine !== undefined)
      add(
        `(m.assignee_id = ? OR (m.detail->'assignee' IS NULL
           AND (s.coordinator_id = ? OR s.caseworker_id = ?)))`,
        filter.mine,
      );
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
   * The load of each person of an organisation: its open cases she is the caseworker or the
   * coordinator of (as a person of it), and its active milestones (clock started) assigned to her,
   * with how many of them are overdue at `now`. One row for nobody (person null). Counts only.
   */
  async caseloads(organisation: string, now: string): Promise<CaseloadRow[]> {
    const rows: {
      person: string | null;
      caseworker: string;
      coordinator: string;
      open: string;
      overdue: string;
    }[] = await this.dataSource.query(
      `WITH cases AS (
         SELECT summary->'caseworker'->>'id' AS person, 1 AS caseworker, 0 AS coordinator
           FROM case_summaries
          WHERE status = 'open' AND (summary->'caseworker'->>'organisation' = $1
             OR ('municipality:' || municipality = $1 AND summary->'caseworker'->>'id' IS NULL))
         UNION ALL
         SELECT summary->'coordinator'->>'id', 0, 1
           FROM case_summaries WHERE status = 'open' AND summary->'coordinator'->>'organisation' = $1
       ), work AS (
         SELECT assignee_id AS person, 1 AS open,
                CASE WHEN status = 'breached' OR (status = 'open' AND due_at < $2::timestamptz) THEN 1 ELSE 0 END AS overdue
           FROM milestones
          WHERE owner = $1 AND active AND status = ANY($3::text[])
            AND (status <> 'open' OR (detail->'anchor'->>'at')::timestamptz <= $2::timestamptz)
       )
       SELECT person, sum(caseworker) AS caseworker, sum(coordinator) AS coordinator, sum(open) AS open, sum(overdue) AS overdue
         FROM (SELECT person, caseworker, coordinator, 0 AS open, 0 AS overdue FROM cases
               UNION ALL SELECT person, 0, 0, open, overdue FROM work) AS loads
        GROUP BY person`,
      [organisation, now, ACTIVE],
    );
    return rows.map((r) => ({
      person: r.person,
      casesAsCaseworker: Number(r.caseworker),
      casesAsCoordinator: Number(r.coordinator),
      openMilestones: Number(r.open),
      overdueMilestones: Number(r.overdue),
    }));
  }

  /**
   * The cases these organisations registered (their referrals), newest first, with the milestones
   * of the given rules: what a referrer may follow of her referral.
   */
  async referralsOf(
    organisations: readonly string[],
    rules: readonly string[],
    limit: number,
    /** The last referral of the page before (newest first): those after it. */
    after?: { detectedAt: string; caseId: string },
  ): Promise<{ summary: CaseSummary; milestones: Milestone[] }[]> {
    const cases: { case_id: string; summary: CaseSummary; open_alerts: number }[] = await this.dataSource.query(
      `SELECT case_id, summary, ${OPEN_ALERTS()} FROM case_summaries WHERE summary->>'registeredBy' = ANY($1::text[])` +
        (after ? ` AND (detected_at, case_id) < ($3::timestamptz, $4::uuid)` : '') +
        ` ORDER BY detected_at DESC, case_id DESC LIMIT $2`,
      after ? [organisations, limit, after.detectedAt, after.caseId] : [organisations, limit],
    );
    if (cases.length === 0) return [];
    const rows: { case_id: string; detail: Milestone }[] = await this.dataSource.query(
      `SELECT case_id, detail FROM milestones WHERE case_id = ANY($1::uuid[]) AND rule = ANY($2::text[]) ORDER BY opened_at, milestone`,
      [cases.map((c) => c.case_id), rules],
    );
    return cases.map((c) => ({
      summary: shownSummary(c),
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
    const rows: { summary: CaseSummary; open_alerts: number }[] = await this.dataSource.query(
      `WITH registered AS (
         SELECT i.case_id, e.position, i.case_id = $1::uuid AS this
         FROM case_identities me
         JOIN case_identities i ON i.cpr_index = me.cpr_index
         JOIN case_events e ON e.stream_id = i.case_id AND e.version = 1
         WHERE me.case_id = $1::uuid AND me.cpr_index IS NOT NULL)
       SELECT s.summary, ${OPEN_ALERTS('s')}
       FROM registered r JOIN case_summaries s ON s.case_id = r.case_id
       WHERE NOT r.this AND r.position < (SELECT position FROM registered WHERE this)
         AND s.organisations && $2::text[]
       ORDER BY r.position`,
      [caseId, organisations],
    );
    return rows.map(shownSummary);
  }
}

function toMilestoneRecord(r: { case_id: string; reference: string; detail: Milestone }): MilestoneRecord {
  return { caseId: r.case_id, reference: r.reference, milestone: r.detail };
}

function toRecord(r: SummaryRow): CaseSummaryRecord {
  return { summary: shownSummary(r), encryptedCpr: r.encrypted_cpr };
}
