import { fold, type CaseEvent, type CaseState } from '@app/pathway';
import type { EventStore } from '@app/persistence';

/** A case's state folded from its stream as stored now (no cache). */
export async function readCase(store: EventStore, caseId: string): Promise<CaseState> {
  return fold((await store.readStream(caseId)).map((e) => ({ type: e.type, data: e.data }) as CaseEvent));
}
