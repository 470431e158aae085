import type { DataSource, EntityManager } from 'typeorm';
import {
  ENCRYPTED_CPR,
  ENCRYPTED_NAME,
  OPEN_ALERTS,
  shownSummary,
  type CaseSummaryRecord,
} from '../read-models/case-read-model';
import type { CaseSummary } from '@app/pathway';

/**
 * A view of one case that is recorded when someone opens it. `cpr`: her CPR number was shown in
 * full (recorded beside the view that showed it); `name`: her name was shown (likewise).
 * `cpr-search`, `name-search`: the case was found by a search for her CPR number, her name (POST
 * /v1/cases/search).
 */
export type CaseReadView = 'case' | 'events' | 'milestones' | 'audit' | 'cpr' | 'name' | 'cpr-search' | 'name-search';

/** The reads a search records for each case it finds. */
export type CaseSearchView = Extract<CaseReadView, 'cpr-search' | 'name-search'>;

export interface CaseReader {
  id: string;
  role: string;
  /** The caller's organisations: the read is allowed when one of them has a part in the case. */
  organisations: readonly string[];
}

export interface CaseRead {
  reader: { id: string; role: string; organisation: string };
  view: CaseReadView;
  readAt: string;
}

/**
 * The read audit. `open` looks a case up within the reader's organisations and, in the same
 * statement, records the read: a view is never returned unrecorded, and a refused look (not the
 * reader's case) records nothing.
 */
export class CaseReadLog {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * `also`, given the case found, names further reads to record in the same transaction (the full
   * CPR number, her name, that the answer is about to show): the answer is never given unless all
   * are recorded.
   */
  async open(
    caseId: string,
    reader: CaseReader,
    view: CaseReadView,
    at: Date,
    also?: (record: CaseSummaryRecord) => readonly CaseReadView[],
  ): Promise<CaseSummaryRecord | null> {
    if (!also) return this.openIn(this.dataSource.manager, caseId, reader, view, at);
    return this.dataSource.transaction(async (manager) => {
      const record = await this.openIn(manager, caseId, reader, view, at);
      for (const more of record ? also(record) : []) await this.openIn(manager, caseId, reader, more, at);
      return record;
    });
  }

  private async openIn(
    manager: EntityManager,
    caseId: string,
    reader: CaseReader,
    view: CaseReadView,
    at: Date,
  ): Promise<CaseSummaryRecord | null> {
    const rows: {
      summary: CaseSummary;
      open_alerts: number;
      encrypted_cpr: string | null;
      encrypted_name: string | null;
    }[] = await manager.query(
      `WITH found AS (
         SELECT summary, ${OPEN_ALERTS()}, ${ENCRYPTED_CPR}, ${ENCRYPTED_NAME}, organisations FROM case_summaries
         WHERE case_id = $1 AND organisations && $2::text[]
       ), recorded AS (
         INSERT INTO case_reads (case_id, reader_id, reader_role, organisation, view, read_at)
         SELECT $1, $3, $4, (SELECT o FROM unnest($2::text[]) AS o WHERE o = ANY (f.organisations) LIMIT 1), $5, $6 FROM found f
       )
       SELECT summary, open_alerts, encrypted_cpr, encrypted_name FROM found`,
      [caseId, reader.organisations, reader.id, reader.role, view, at.toISOString()],
    );
    const [row] = rows;
    return row
      ? { summary: shownSummary(row), encryptedCpr: row.encrypted_cpr, encryptedName: row.encrypted_name }
      : null;
  }

  /**
   * Records that a search for her CPR number (`cpr-search`) or her name (`name-search`) found these
   * cases, each only when it is the reader's (as `open`), in one statement: the search answers none
   * of them unrecorded.
   */
  async recordSearch(
    caseIds: readonly string[],
    reader: CaseReader,
    at: Date,
    view: CaseSearchView = 'cpr-search',
  ): Promise<void> {
    if (caseIds.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO case_reads (case_id, reader_id, reader_role, organisation, view, read_at)
       SELECT s.case_id, $3, $4, (SELECT o FROM unnest($2::text[]) AS o WHERE o = ANY (s.organisations) LIMIT 1), $6, $5
       FROM case_summaries s WHERE s.case_id = ANY ($1::uuid[]) AND s.organisations && $2::text[]`,
      [caseIds, reader.organisations, reader.id, reader.role, at.toISOString(), view],
    );
  }

  /** Every recorded read of the case, oldest first. */
  async reads(caseId: string): Promise<CaseRead[]> {
    const rows: { reader_id: string; reader_role: string; organisation: string; view: CaseReadView; read_at: Date }[] =
      await this.dataSource.query(
        `SELECT reader_id, reader_role, organisation, view, read_at FROM case_reads WHERE case_id = $1 ORDER BY read_at, id`,
        [caseId],
      );
    return rows.map((r) => ({
      reader: { id: r.reader_id, role: r.reader_role, organisation: r.organisation },
      view: r.view,
      readAt: r.read_at.toISOString(),
    }));
  }
}
