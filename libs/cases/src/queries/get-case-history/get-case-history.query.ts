import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';

export interface HistoryEntry {
  position: number;
  /** Place in the case's stream (every event). */
  sequence: number;
  /** The case's version people see (facts only) at this event. */
  version: number;
  /** A fact of the path, or an event of the milestone engine (opened, met, warned, …). */
  kind: 'fact' | 'milestone';
  type: string;
  data: Record<string, unknown>;
  recordedAt: string;
  /** The person only with the logistics (discloseActor). */
  actor: { id?: string; role: string; organisation: string };
  correlationId: string;
  causationId: string;
}

/** The events of a case, facts and milestone events, oldest first, with who recorded each. CPR envelopes are left out. */
export class GetCaseHistoryQuery extends Query<HistoryEntry[]> {
  constructor(
    readonly principal: Principal,
    readonly caseId: string,
  ) {
    super();
  }
}
