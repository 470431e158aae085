import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { CaseListSort } from '@app/persistence';

export { CASE_LIST_SORTS } from '@app/persistence';
import type { CaseView, Stage } from '@app/pathway';

/** The largest page of GET /v1/cases and POST /v1/cases/search; a larger `limit` is refused, never cut. */
export const MAX_CASE_PAGE = 200;

export interface CaseListRequest {
  /**
   * One search: a case reference (exact, in any case) or, given `allowIdentity`, her CPR number
   * (exact, by its keyed blind index) or, when it is no reference of the caller's cases, her name
   * (every word of it a word of her name, by their keyed blind indexes). A CPR or name search
   * answers every case found on one page.
   */
  query?: string;
  /**
   * Whether `query` may be her CPR number or her name: only where it does not travel in a URL
   * (POST /v1/cases/search); elsewhere a CPR number is CPR_IN_URL and a name finds nothing.
   */
  allowIdentity?: boolean;
  stage?: Stage;
  municipality?: string;
  coordinator?: string;
  /** The person id of the case's caseworker (assign-caseworker, claim-case). */
  caseworker?: string;
  /** Only cases with an open milestone past due. */
  overdue?: boolean;
  /** Only cases in the birth-imminent weeks (37+ by the active policy). */
  birthImminent?: boolean;
  sort?: CaseListSort;
  limit: number;
  /** Opaque cursor from the previous page's `nextCursor` (of the same sort). */
  cursor?: string;
}

/** A case of the list: what the caller's part in it discloses (CaseDisclosure), never a CPR number or a name. */
export type CaseListItem = Partial<CaseView>;

export interface CaseListAnswer {
  items: CaseListItem[];
  /** How many cases match over all pages. */
  total: number;
  nextCursor: string | null;
}

/** The caller's organisations' cases, newest detection first unless sorted; CPR numbers and names are never listed. */
export class ListCasesQuery extends Query<CaseListAnswer> {
  constructor(
    readonly principal: Principal,
    readonly request: CaseListRequest,
  ) {
    super();
  }
}
