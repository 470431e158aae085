import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';

export interface HistoryEntry {
  position: number;
  version: number;
  type: string;
  data: Record<string, unknown>;
  recordedAt: string;
  actor: { id: string; role: string; organisation: string };
  correlationId: string;
  causationId: string;
}

/** The events of a case, oldest first, with who recorded each. CPR envelopes are left out. */
export class GetCaseHistoryQuery extends Query<HistoryEntry[]> {
  constructor(
    readonly principal: Principal,
    readonly caseId: string,
  ) {
    super();
  }
}
