import type { Principal } from '@app/auth';
import type { CaseReadLog, CaseReadView, CaseSummaryRecord } from '@app/persistence';
import { CaseNotFoundError } from './errors';

/**
 * Opens one of the caller's cases for a view, recording the read (and, in the same transaction, the
 * further reads `also` names for the case found); not the caller's case: CASE_NOT_FOUND.
 */
export async function openCase(
  log: CaseReadLog,
  principal: Principal,
  caseId: string,
  view: CaseReadView,
  at: Date,
  also?: (record: CaseSummaryRecord) => readonly CaseReadView[],
): Promise<CaseSummaryRecord> {
  const record = await log.open(
    caseId,
    { id: principal.sub, role: principal.role, organisations: principal.organisations },
    view,
    at,
    also,
  );
  if (!record) throw new CaseNotFoundError();
  return record;
}
