import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { CaseView, Stage } from '@app/pathway';

export interface CaseListRequest {
  stage?: Stage;
  municipality?: string;
  coordinator?: string;
  limit: number;
  /** Opaque cursor from the previous page's `nextCursor`. */
  cursor?: string;
}

/** A case of the list: what the caller's part in it discloses (CaseDisclosure), never a CPR number. */
export type CaseListItem = Partial<CaseView>;

/** The caller's organisations' cases, newest detection first; CPR numbers are never listed. */
export class ListCasesQuery extends Query<{ items: CaseListItem[]; nextCursor: string | null }> {
  constructor(
    readonly principal: Principal,
    readonly request: CaseListRequest,
  ) {
    super();
  }
}
