import {
  decide,
  fold,
  type Actor,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type OpenCase,
  type PolicyRegistry,
} from '@app/pathway';
import type { EventStore } from '@app/persistence';

/**
 * A case driven through the real decider and appended as the CaseWriter would (events, projections,
 * hash chain), at instants the test chooses: courses whose figures can be worked out by hand.
 */
export class DecidedCourse {
  private history: CaseEvent[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly policies: PolicyRegistry,
    readonly caseId: string,
  ) {}

  get state(): OpenCase {
    return fold(this.history) as OpenCase;
  }

  async run(at: string | Date, actor: Actor, command: CaseCommand): Promise<CaseEvent[]> {
    const now = new Date(at);
    const before: CaseState = fold(this.history);
    const decision = decide(before, command, { actor, now, policies: this.policies });
    if (!decision.ok) throw new Error(`${command.type} refused: ${decision.error.code} ${decision.error.message}`);
    await this.store.append({
      streamId: this.caseId,
      expectedVersion: before.version,
      events: decision.events,
      recordedAt: now,
      before,
      state: fold(decision.events, before) as OpenCase,
      outbox: [],
      metadata: {
        actorId: actor.id,
        actorRole: actor.role,
        organisation: actor.organisation,
        correlationId: 'test',
        causationId: 'test',
        idempotencyKey: null,
      },
    });
    this.history = [...this.history, ...decision.events];
    return decision.events;
  }
}
