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

/** The caller's organisations' cases, newest detection first; CPR numbers are never listed. */
export class ListCasesQuery extends Query<{ items: CaseView[]; nextCursor: string | null }> {
  constructor(
    readonly principal: Principal,
    readonly request: CaseListRequest,
  ) {
    super();
  }
}
