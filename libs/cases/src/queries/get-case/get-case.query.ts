import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { CaseView, EarlierCase } from '@app/pathway';

/**
 * A case as one caller may see it (CaseDisclosure): the classes of fields the disclosure policy
 * grants her part in the case, the CPR number in full, masked, or left out, and her name where the
 * CPR number is shown.
 */
export type CaseForViewer = Partial<CaseView> & {
  cpr?: string | null;
  name?: string | null;
  earlierCases?: EarlierCase[];
};

export class GetCaseQuery extends Query<{ view: CaseForViewer; version: number }> {
  constructor(
    readonly principal: Principal,
    readonly caseId: string,
  ) {
    super();
  }
}
