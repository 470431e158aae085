import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { CaseRead, ChainReport } from '@app/persistence';

/** One write to the case: an event, who caused it, when. */
export interface CaseWrite {
  sequence: number;
  type: string;
  kind: 'fact' | 'milestone';
  /** The person only with the logistics (discloseActor). */
  actor: { id?: string; role: string; organisation: string };
  recordedAt: string;
  correlationId: string;
}

export interface CaseAudit {
  caseId: string;
  reference: string;
  writes: CaseWrite[];
  /** Every recorded look at the case, this one included. */
  reads: CaseRead[];
  /** The case's hash chain, checked now. */
  chain: Pick<ChainReport, 'ok' | 'events' | 'breaks'>;
}

/** Who wrote what to a case and who looked at it, with its hash chain checked. Reading it is itself recorded. */
export class GetCaseAuditQuery extends Query<CaseAudit> {
  constructor(
    readonly principal: Principal,
    readonly caseId: string,
  ) {
    super();
  }
}
