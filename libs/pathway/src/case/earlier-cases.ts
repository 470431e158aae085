import type { CaseSummary } from './case-summary';
import type { CloseReason } from './case.commands';
import { stageOf, type Stage } from './case.state';

/**
 * One of her earlier cases (an earlier pregnancy, linked by the CPR's blind index), as a later
 * case shows it: the period and how far the path went, nothing of its content.
 */
export interface EarlierCase {
  reference: string;
  /** When the concern was registered: the start of the period. */
  detectedAt: string;
  /** When the case was closed (null: still open), and why. */
  closedAt: string | null;
  closeReason: CloseReason | null;
  /** The furthest stage the path reached (before it was closed). */
  stage: Stage;
}

/** What a summary tells of an earlier case; its stage is the one reached before the closing. */
export function earlierCaseOf(s: CaseSummary): EarlierCase {
  return {
    reference: s.reference,
    detectedAt: s.detectedAt,
    closedAt: s.closed?.closedAt ?? null,
    closeReason: s.closed?.reason ?? null,
    stage: stageOf({ ...s, status: 'open' }),
  };
}
