import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { CaseView } from '@app/pathway';

/** A case as one caller may see it: the CPR number in full for the responsible municipality and the clinic, masked for others. */
export type CaseForViewer = CaseView & { cpr: string | null };

export class GetCaseQuery extends Query<{ view: CaseForViewer; version: number }> {
  constructor(
    readonly principal: Principal,
    readonly caseId: string,
  ) {
    super();
  }
}
