import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@app/auth';
import { decide, fold, initialState, type CaseCommand, type CaseEvent, type CaseState, type OpenCase } from '@app/pathway';
import { EventStore, IdempotencyKeyTaken, StreamVersionConflict, type OutboxMessage } from '@app/persistence';
import { CaseStateCache } from './case-state-cache';
import { Clock } from './clock';
import { CaseNotFoundError, IdempotencyKeyReusedError, VersionConflictError } from './errors';

export interface WriteRequest {
  caseId: string;
  /** register-concern: the stream must not exist yet. */
  isNew: boolean;
  command: CaseCommand;
  principal: Principal;
  /** From If-Match: refuse with VERSION_CONFLICT unless the case is at this version. */
  expectedVersion?: number;
  idempotencyKey?: string;
  /** Fingerprint of the request, to tell a replay from a reuse of the key. */
  fingerprint: string;
  correlationId?: string;
  /** HTTP status of a success, stored with the response for replays. */
  status: 200 | 201;
  respond(state: OpenCase, events: { version: number; type: CaseEvent['type'] }[], now: Date): unknown;
}

export interface WriteResult {
  status: number;
  body: unknown;
  caseId: string;
  version: number;
  /** True when the response is the stored one of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

/** What an Idempotency-Key remembers: enough to answer a replay exactly as the first time. */
interface StoredResponse {
  caseId: string;
  version: number;
  body: unknown;
}

/**
 * How often a command without If-Match is decided again after losing a race. Each lost race means
 * another writer's append came first, so with n writers on one case the last one needs n attempts.
 */
const MAX_ATTEMPTS = 10;

/** A short random pause before deciding again, so that writers that lost together do not race again in step. */
const pauseBeforeRetry = (attempt: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));

/**
 * Runs one command against one case: load the state, decide, append the events with their outbox
 * messages, projections and idempotency record in one statement. A concurrent writer makes the
 * append conflict; without If-Match the command is decided again on the fresh state.
 */
@Injectable()
export class CaseWriter {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(CaseStateCache) private readonly cache: CaseStateCache,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async write(request: WriteRequest): Promise<WriteResult> {
    const { principal, idempotencyKey } = request;
    if (idempotencyKey) {
      const prior = await this.replay(request);
      if (prior) return prior;
    }
    const commandId = randomUUID();
    let fresh = false;
    for (let attempt = 1; ; attempt++) {
      const { state, cached } = request.isNew ? { state: initialState, cached: false } : await this.load(request.caseId, fresh);
      const now = this.clock.now();
      const organisation = actingOrganisation(principal, state);
      let events: CaseEvent[];
      try {
        events = this.decide(request, state, now, organisation);
      } catch (refusal) {
        // The cache is a shortcut, not an authority: another instance may have written since.
        // A refusal decided on a cached state is confirmed on the stream before it is returned.
        if (!cached) throw refusal;
        this.cache.delete(request.caseId);
        fresh = true;
        continue;
      }
      fresh = false;

      const next = fold(events, state) as OpenCase;
      const appended = events.map((e, i) => ({ version: state.version + i + 1, type: e.type }));
      const body = request.respond(next, appended, now);
      try {
        await this.store.append({
          streamId: request.caseId,
          expectedVersion: state.version,
          events,
          metadata: {
            actorId: principal.sub, actorRole: principal.role, organisation,
            correlationId: request.correlationId ?? commandId, causationId: commandId, idempotencyKey: idempotencyKey ?? null,
          },
          recordedAt: now,
          state: next,
          outbox: outboxFor(request.caseId, appended),
          idempotency: idempotencyKey
            ? { principal: principal.sub, key: idempotencyKey, requestHash: request.fingerprint, status: request.status, response: { caseId: request.caseId, version: next.version, body } satisfies StoredResponse }
            : undefined,
        });
        this.cache.set(next);
        return { status: request.status, body, caseId: request.caseId, version: next.version, replayed: false };
      } catch (error) {
        if (error instanceof IdempotencyKeyTaken) {
          const prior = await this.replay(request);
          if (prior) return prior;
        }
        if (!(error instanceof StreamVersionConflict)) throw error;
        this.cache.delete(request.caseId);
        if (request.isNew) throw error;
        if (request.expectedVersion !== undefined || attempt >= MAX_ATTEMPTS) throw new VersionConflictError((await this.load(request.caseId, true)).state.version);
        await pauseBeforeRetry(attempt);
      }
    }
  }

  /** Checks scope and version, then decides: throws on any refusal, so that it can be confirmed. */
  private decide(request: WriteRequest, state: CaseState, now: Date, organisation: string): CaseEvent[] {
    const { principal } = request;
    if (!request.isNew && (state.status === 'none' || !state.parties.some((o) => principal.organisations.includes(o)))) {
      throw new CaseNotFoundError();
    }
    if (request.expectedVersion !== undefined && state.version !== request.expectedVersion) throw new VersionConflictError(state.version);
    const decision = decide(state, request.command, { now, actor: { id: principal.sub, role: principal.role, organisation } });
    if (!decision.ok) throw decision.error;
    return decision.events;
  }

  private async load(caseId: string, fresh: boolean): Promise<{ state: CaseState; cached: boolean }> {
    const cached = fresh ? undefined : this.cache.get(caseId);
    if (cached) return { state: cached, cached: true };
    const events = await this.store.readStream(caseId);
    const state = fold(events.map((e) => ({ type: e.type, data: e.data }) as CaseEvent));
    if (state.status !== 'none') this.cache.set(state);
    return { state, cached: false };
  }

  private async replay(request: WriteRequest): Promise<WriteResult | null> {
    const prior = await this.store.findIdempotencyRecord(request.principal.sub, request.idempotencyKey as string);
    if (!prior) return null;
    if (prior.requestHash !== request.fingerprint) throw new IdempotencyKeyReusedError();
    const stored = prior.response as StoredResponse;
    return { status: prior.status, body: stored.body, caseId: stored.caseId, version: stored.version, replayed: true };
  }
}

/** The caller's organisation that acts on this case: the first one with a part in it. */
function actingOrganisation(principal: Principal, state: CaseState): string {
  if (state.status === 'none') return principal.organisations[0];
  return principal.organisations.find((o) => state.parties.includes(o)) ?? principal.organisations[0];
}

/** The event feed for the worker: one message per event, keyed by case and version. */
function outboxFor(caseId: string, events: { version: number; type: string }[]): OutboxMessage[] {
  return events.map((e) => ({ topic: 'case-events', key: `case-${caseId}-v${e.version}`, payload: { caseId, version: e.version, type: e.type } }));
}
