import type { OpenCase } from '@app/pathway';

/**
 * Recently used case states, so that a command usually costs one round trip (the append). Safe
 * with several API instances: a stale entry makes the append conflict on (stream, version), and
 * the writer then drops it and reloads the stream.
 */
export class CaseStateCache {
  private readonly entries = new Map<string, OpenCase>();

  constructor(private readonly limit = 10_000) {}

  get(caseId: string): OpenCase | undefined {
    const state = this.entries.get(caseId);
    if (state) {
      this.entries.delete(caseId);
      this.entries.set(caseId, state);
    }
    return state;
  }

  /** Keeps the newer of the cached and the given state (a slow writer must not roll it back). */
  set(state: OpenCase): void {
    const cached = this.entries.get(state.id);
    if (cached && cached.version > state.version) return;
    this.entries.delete(state.id);
    this.entries.set(state.id, state);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(caseId: string): void {
    this.entries.delete(caseId);
  }
}
