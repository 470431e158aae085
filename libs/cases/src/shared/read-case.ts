import { fold, type CaseEvent, type CaseState } from '@app/pathway';
import type { EventStore, StoredEvent } from '@app/persistence';

/** A case's state folded from its stream as stored now (no cache). */
export async function readCase(store: EventStore, caseId: string): Promise<CaseState> {
  return stateOf(await store.readStream(caseId));
}

/** The state a stream's events fold to. */
export function stateOf(stream: readonly StoredEvent[]): CaseState {
  return fold(stream.map((e) => ({ type: e.type, data: e.data }) as CaseEvent));
}
