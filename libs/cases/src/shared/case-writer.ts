import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@app/auth';
import { alertOutboxMessages } from '@app/alerts';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import {
  DomainError,
  assertMayIssue,
  decide,
  fold,
  initialState,
  occupiedFacility,
  pendingTimers,
  policyOf,
  type Actor,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type OpenCase,
  type Person,
  type PolicyRegistry,
  type Timer,
} from '@app/pathway';
import {
  EventStore,
  FacilityOccupancyConflict,
  type AppendRequest,
  FacilityStore,
  IdempotencyKeyTaken,
  type OccupancyChange,
  type CaseIdentity,
  LivePolicyRegistry,
  PeopleStore,
  StreamVersionConflict,
  UniqueViolation,
  type VersionedFacilityFacts,
} from '@app/persistence';
import { timerOutboxMessages } from '@app/timers';
import { CaseStateCache } from './case-state-cache';
import { countAnswered, countAppended, countRefused } from './command-metrics';
import { readCase, stateOf } from './read-case';
import { CaseNotFoundError, IdempotencyKeyReusedError, VersionConflictError } from './errors';

/** The engine acting on its own (a timer fired): no token, no organisation scope. */
export const SYSTEM = 'system' as const;
const SYSTEM_ACTOR: Actor = { id: 'pathway-engine', role: 'system', organisation: 'pathway:engine' };

/** The commands that name or fill a residential facility: decided with the platform's facilities and their occupancy. */
const FACILITY_COMMANDS: ReadonlySet<CaseCommand['type']> = new Set([
  'decide-residential-placement',
  'admit-to-residential',
]);

/**
 * The commands that assign a person: decided with the directory's entries of the person they name
 * (the caller, for a claim), so that the decider can tell whether she is of the owning organisation.
 */
function personNamed(command: CaseCommand, actor: Actor): string | null {
  switch (command.type) {
    case 'assign-caseworker':
    case 'assign-milestone':
      return command.data.person;
    case 'claim-case':
    case 'claim-milestone':
      return actor.id;
    default:
      return null;
  }
}

export interface WriteRequest {
  caseId: string;
  /** register-concern: the stream must not exist yet. */
  isNew: boolean;
  command: CaseCommand;
  /**
   * register-concern: the CPR's envelope and her name; record-name: her name. Kept beside the
   * events (case_identities), never in them, written in the same statement.
   */
  identity?: CaseIdentity;
  /**
   * A check of the world outside the stream (register-concern: no open case of hers; record-name:
   * the caller is shown her identity), on the state the command is decided on, after the access
   * check and the Idempotency-Key replay (a retry is answered as the first time), before the
   * decision. Throws the refusal.
   */
  guard?: (state: CaseState) => Promise<void>;
  principal: Principal | typeof SYSTEM;
  /**
   * From If-Match: refuse with VERSION_CONFLICT unless the case is at this version (facts only,
   * `factVersion`). Checked on every attempt, in `decide`, so on the state the events are appended to.
   */
  expectedVersion?: number;
  idempotencyKey?: string;
  /** Fingerprint of the request, to tell a replay from a reuse of the key. */
  fingerprint?: string;
  /** Recorded with the events and passed on to the timers and alert deliveries they lead to; the causation id otherwise. */
  correlationId?: string;
  /** What caused the command (a job id for a fired timer); a fresh id otherwise. */
  causationId?: string;
  /** HTTP status of a success, stored with the response for replays. */
  status: 200 | 201;
  /** The response body, from the case after the command (`policies`: the versions this process knows). */
  respond(state: OpenCase, events: readonly CaseEvent[], now: Date, policies: PolicyRegistry): unknown;
}

export interface WriteResult {
  status: number;
  body: unknown;
  caseId: string;
  /** The case's version as people see it (facts only): the ETag. */
  version: number;
  /** True when the response is the stored one of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
  /** How many events were appended (0 for a timer with nothing left to do). */
  appended: number;
}

/** What an Idempotency-Key remembers: enough to answer a replay exactly as the first time. */
interface StoredResponse {
  caseId: string;
  version: number;
  body: unknown;
}

/**
 * How often a command is decided again after losing a race. Each lost race means another writer's
 * append came first, so with n writers on one case the last one needs n attempts.
 */
const MAX_ATTEMPTS = 10;

/** A short random pause before deciding again, so that writers that lost together do not race again in step. */
const pauseBeforeRetry = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));

/**
 * Runs one command against one case: load the state, decide, append the events with their outbox
 * messages (the timers to schedule or cancel), projections and idempotency record in one
 * statement. A concurrent writer makes the append conflict, and the command is decided again on
 * the fresh state; If-Match is checked there, against the facts' version, so a command with
 * If-Match is refused only when a fact was recorded since the version it names.
 */
@Injectable()
export class CaseWriter {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(CaseStateCache) private readonly cache: CaseStateCache,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(FacilityStore) private readonly facilities: FacilityStore,
    @Inject(PeopleStore) private readonly people: PeopleStore,
  ) {}

  /** Runs the command and counts its outcome (pathway_commands_total). */
  async write(request: WriteRequest): Promise<WriteResult> {
    try {
      const result = await this.writeOnce(request);
      countAnswered(request.command.type, result);
      return result;
    } catch (error) {
      countRefused(request.command.type, error);
      throw error;
    }
  }

  /**
   * Commands on distinct cases that need nothing outside their streams (a batch of timer firings):
   * the streams not cached are read in one query, each command is decided, and the appends commit
   * together in one transaction. What the batch cannot settle on its own (a refusal, nothing to do
   * on a cached state, a lost race, a failed transaction) is written again alone by `write`, which
   * decides on the fresh stream: the batch is a shortcut, never a second set of rules.
   */
  async writeAll(requests: readonly WriteRequest[]): Promise<PromiseSettledResult<WriteResult>[]> {
    const states = await this.loadAll(requests.filter(batchable).map((r) => r.caseId));
    const now = this.clock.now();
    const results: (WriteResult | Promise<WriteResult>)[] = [];
    const alone = new Set<number>();
    const batch: {
      index: number;
      state: CaseState;
      next: OpenCase;
      events: CaseEvent[];
      append: AppendRequest;
      body: unknown;
    }[] = [];
    requests.forEach((request, index) => {
      const loaded = states.get(request.caseId);
      if (!loaded || !batchable(request)) return alone.add(index);
      const { state, cached } = loaded;
      const actor = actorOf(request.principal, state);
      let events: CaseEvent[];
      try {
        this.checkAccess(request, state, actor);
        events = this.decide(request, state, now, actor, undefined, undefined);
      } catch {
        return alone.add(index);
      }
      // Nothing to do on a cached state is confirmed on the stream, as `write` does.
      if (events.length === 0 && cached) return alone.add(index);
      if (events.length === 0) {
        results[index] = this.unchanged(request, state as OpenCase, now);
        return;
      }
      const next = fold(events, state) as OpenCase;
      const causationId = request.causationId ?? randomUUID();
      const { append, body } = this.appendOf(request, { state, next, events, now, actor, causationId });
      batch.push({ index, state, next, events, append, body });
    });
    if (batch.length > 0) {
      try {
        await this.store.appendAll(batch.map((b) => b.append));
        for (const { index, state, next, events, body } of batch) {
          this.cache.set(next);
          countAppended(events, state, next);
          results[index] = this.accepted(requests[index], next, events, body);
        }
      } catch {
        // Another writer came first on one of the cases, or the transaction failed: nothing of it
        // was written, and each is decided again alone.
        for (const { index } of batch) {
          this.cache.delete(requests[index].caseId);
          alone.add(index);
        }
      }
    }
    for (const [index, result] of results.entries())
      if (result && !alone.has(index)) countAnswered(requests[index].command.type, result as WriteResult);
    for (const index of alone) results[index] = this.write(requests[index]);
    return Promise.allSettled(requests.map((_, index) => results[index]));
  }

  private async writeOnce(request: WriteRequest): Promise<WriteResult> {
    const { principal, idempotencyKey } = request;
    const causationId = request.causationId ?? randomUUID();
    let fresh = false;
    let refreshedPolicies = false;
    for (let attempt = 1; ; attempt++) {
      const { state, cached } = request.isNew
        ? { state: initialState, cached: false }
        : await this.load(request.caseId, fresh);
      const now = this.clock.now();
      const actor = actorOf(principal, state);
      let events: CaseEvent[];
      let facilities: VersionedFacilityFacts[] | undefined;
      try {
        // A stored response is looked up after the access check, so that a caller who may not act on
        // the case gets what she would get without the key. On every attempt: a fresher state may
        // count one more of her organisations (parties only join a case, so a cached state never
        // grants an access that the stream refuses).
        this.checkAccess(request, state, actor);
        if (idempotencyKey && principal !== SYSTEM) {
          const prior = await this.replay(principal, idempotencyKey, request, state);
          if (prior) return prior;
        }
        if (request.guard) await request.guard(state);
        // Read on every attempt: another admission may have taken the last place meanwhile. The
        // append expects the occupancy version read here, so one decided on a place taken since
        // conflicts and is decided again (docs/adr/0011).
        facilities = FACILITY_COMMANDS.has(request.command.type) ? await this.facilities.facts() : undefined;
        const person = personNamed(request.command, actor);
        const people = person === null ? undefined : await this.people.entriesOf(person);
        events = this.decide(request, state, now, actor, facilities, people);
      } catch (refusal) {
        if (refusal instanceof DomainError && refusal.code === 'POLICY_VERSION_UNKNOWN' && !refreshedPolicies) {
          // Another process may have registered a newer policy version since this one started.
          await this.policies.refresh();
          refreshedPolicies = true;
          continue;
        }
        // The cache is a shortcut, not an authority: another instance may have written since.
        // A refusal decided on a cached state is confirmed on the stream before it is returned.
        if (!cached) throw refusal;
        this.cache.delete(request.caseId);
        fresh = true;
        continue;
      }
      // So is "nothing to do": a timer made pending by another worker or instance (the next ladder
      // step, a newly opened milestone) is not pending in a stale state, and its job would be spent.
      if (events.length === 0 && cached) {
        this.cache.delete(request.caseId);
        fresh = true;
        continue;
      }
      fresh = false;
      if (events.length === 0) return this.unchanged(request, state as OpenCase, now);

      const next = fold(events, state) as OpenCase;
      const { append, body } = this.appendOf(request, { state, next, events, now, actor, causationId, facilities });
      try {
        await this.store.append(append);
        this.cache.set(next);
        countAppended(events, state, next);
        return this.accepted(request, next, events, body);
      } catch (error) {
        if (error instanceof IdempotencyKeyTaken && principal !== SYSTEM && idempotencyKey) {
          const prior = await this.replay(principal, idempotencyKey, request, state);
          if (prior) return prior;
        }
        // Another writer got there first: a newer version of the stream, of a facility's occupancy,
        // or the same ladder step fired.
        const lostRace =
          error instanceof StreamVersionConflict ||
          error instanceof FacilityOccupancyConflict ||
          (error instanceof UniqueViolation && error.constraint === 'milestone_ladder_fired_pkey');
        if (!lostRace) throw error;
        this.cache.delete(request.caseId);
        if (request.isNew) throw error;
        // With If-Match too: the next attempt decides on the fresh stream, where `decide` answers
        // VERSION_CONFLICT if a fact was recorded meanwhile. Milestone events (a warning fired) do
        // not move the facts' version, so they leave the client's If-Match valid.
        if (attempt >= MAX_ATTEMPTS)
          throw new VersionConflictError(factVersionOf((await this.load(request.caseId, true)).state));
        await pauseBeforeRetry(attempt);
      }
    }
  }

  /** The answer to a command whose events were appended. */
  private accepted(request: WriteRequest, next: OpenCase, events: readonly CaseEvent[], body: unknown): WriteResult {
    return {
      status: request.status,
      body,
      caseId: request.caseId,
      version: next.factVersion,
      replayed: false,
      appended: events.length,
    };
  }

  /** The answer to a command that needed no event (a timer with nothing left to do). */
  private unchanged(request: WriteRequest, state: OpenCase, now: Date): WriteResult {
    return {
      status: request.status,
      body: request.respond(state, [], now, this.policies),
      caseId: request.caseId,
      version: state.factVersion,
      replayed: false,
      appended: 0,
    };
  }

  /**
   * The append of a decided command (events, outbox, identity, occupancy and idempotency record), and
   * the response it stores and answers.
   */
  private appendOf(
    request: WriteRequest,
    d: {
      state: CaseState;
      next: OpenCase;
      events: CaseEvent[];
      now: Date;
      actor: Actor;
      causationId: string;
      facilities?: VersionedFacilityFacts[];
    },
  ): { append: AppendRequest; body: unknown } {
    const { principal, idempotencyKey } = request;
    const { state, next, events, now, actor, causationId } = d;
    const correlationId = request.correlationId ?? causationId;
    const body = request.respond(next, events, now, this.policies);
    const append: AppendRequest = {
      streamId: request.caseId,
      expectedVersion: state.version,
      events,
      metadata: {
        actorId: actor.id,
        actorRole: actor.role,
        organisation: actor.organisation,
        correlationId,
        causationId,
        idempotencyKey: idempotencyKey ?? null,
      },
      recordedAt: now,
      state: next,
      before: state,
      identity: request.identity,
      occupancy: occupancyChanges(state, next, d.facilities),
      outbox: [
        ...timerOutboxMessages(
          request.caseId,
          this.timersOf(state),
          this.timersOf(next),
          now.getTime() + this.config.timerHorizonMs,
          {
            correlationId,
            ...(request.command.type === 'fire-timer' && { firing: request.command.data.timer }),
          },
        ),
        ...alertOutboxMessages(state, next, correlationId),
      ],
      idempotency:
        idempotencyKey && principal !== SYSTEM
          ? {
              organisation: actor.organisation,
              principal: principal.sub,
              key: idempotencyKey,
              requestHash: request.fingerprint ?? '',
              status: request.status,
              response: { caseId: request.caseId, version: next.factVersion, body } satisfies StoredResponse,
            }
          : undefined,
    };
    return { append, body };
  }

  /**
   * The access check, before anything is decided or replayed: the case exists and one of the
   * caller's organisations has a part in it (CASE_NOT_FOUND otherwise), and her role may send the
   * command. Throws, so that a refusal on a cached state can be confirmed.
   */
  private checkAccess(request: WriteRequest, state: CaseState, actor: Actor): void {
    const { principal } = request;
    if (
      !request.isNew &&
      (state.status === 'none' ||
        (principal !== SYSTEM && !state.parties.some((o) => principal.organisations.includes(o))))
    ) {
      throw new CaseNotFoundError();
    }
    assertMayIssue(actor.role, request.command.type);
  }

  /**
   * Checks the version, then decides (after `checkAccess`): throws on any refusal, so that it can be
   * confirmed. The one place If-Match is checked (the pure decider knows nothing of it).
   */
  private decide(
    request: WriteRequest,
    state: CaseState,
    now: Date,
    actor: Actor,
    facilities: VersionedFacilityFacts[] | undefined,
    people: Person[] | undefined,
  ): CaseEvent[] {
    if (request.expectedVersion !== undefined && factVersionOf(state) !== request.expectedVersion)
      throw new VersionConflictError(factVersionOf(state));
    const decision = decide(state, request.command, {
      now,
      actor,
      policies: this.policies,
      disclosure: this.config.disclosure,
      ...(facilities && { facilities }),
      ...(people && { people }),
    });
    if (!decision.ok) throw decision.error;
    return decision.events;
  }

  private timersOf(state: CaseState): Timer[] {
    return state.status === 'none' ? [] : pendingTimers(state, policyOf(state, this.policies));
  }

  /** The states of these cases: cached ones as cached, the others read in one query. */
  private async loadAll(caseIds: readonly string[]): Promise<Map<string, { state: CaseState; cached: boolean }>> {
    const states = new Map<string, { state: CaseState; cached: boolean }>();
    const missing: string[] = [];
    for (const caseId of caseIds) {
      const cached = this.cache.get(caseId);
      if (cached) states.set(caseId, { state: cached, cached: true });
      else missing.push(caseId);
    }
    for (const [caseId, stream] of missing.length ? await this.store.readStreams(missing) : []) {
      const state = stateOf(stream);
      if (state.status !== 'none') this.cache.set(state);
      states.set(caseId, { state, cached: false });
    }
    return states;
  }

  private async load(caseId: string, fresh: boolean): Promise<{ state: CaseState; cached: boolean }> {
    const cached = fresh ? undefined : this.cache.get(caseId);
    if (cached) return { state: cached, cached: true };
    const state = await readCase(this.store, caseId);
    if (state.status !== 'none') this.cache.set(state);
    return { state, cached: false };
  }

  /**
   * The stored answer to an earlier request with this key, by this subject, for an organisation she
   * acts for here (`keyOrganisations`); null when there is none, so the key is new. Called only
   * after `checkAccess` on the same state.
   */
  private async replay(
    principal: Principal,
    key: string,
    request: WriteRequest,
    state: CaseState,
  ): Promise<WriteResult | null> {
    const prior = await this.store.findIdempotencyRecord({
      principal: principal.sub,
      key,
      organisations: keyOrganisations(principal, state),
      streamId: request.caseId,
    });
    if (!prior) return null;
    if (prior.requestHash !== request.fingerprint) throw new IdempotencyKeyReusedError();
    const stored = prior.response as StoredResponse;
    return {
      status: prior.status,
      body: stored.body,
      caseId: stored.caseId,
      version: stored.version,
      replayed: true,
      appended: 0,
    };
  }
}

/**
 * The facilities whose occupancy the command changes (she is admitted, discharged, or her case closes
 * while admitted), each with the occupancy version its decision read, if it read one: the append
 * writes their next versions, so that two changes of one facility's occupancy cannot both be decided
 * on the same count. A command that moves no one in or out writes none.
 */
function occupancyChanges(
  before: CaseState,
  next: CaseState,
  facilities: readonly VersionedFacilityFacts[] | undefined,
): OccupancyChange[] {
  const left = occupiedFacility(before);
  const taken = occupiedFacility(next);
  if (left === taken) return [];
  return [left, taken]
    .filter((id): id is string => id !== null)
    .map((facilityId) => ({
      facilityId,
      expectedVersion: facilities?.find((f) => f.id === facilityId)?.occupancyVersion ?? null,
    }));
}

const factVersionOf = (state: CaseState) => (state.status === 'none' ? 0 : state.factVersion);

/**
 * Whether a command can be decided in a batch: it needs nothing but its stream (no Idempotency-Key,
 * If-Match, guard, identity, facility or person) and its case exists.
 */
function batchable(request: WriteRequest): boolean {
  return (
    !request.isNew &&
    !request.idempotencyKey &&
    request.expectedVersion === undefined &&
    !request.guard &&
    !request.identity &&
    !FACILITY_COMMANDS.has(request.command.type) &&
    personNamed(request.command, SYSTEM_ACTOR) === null
  );
}

/** Who acts: the engine, or the caller for the organisation of hers with a part in the case. */
function actorOf(principal: Principal | typeof SYSTEM, state: CaseState): Actor {
  return principal === SYSTEM
    ? SYSTEM_ACTOR
    : { id: principal.sub, role: principal.role, organisation: actingOrganisation(principal, state) };
}

/** The caller's organisation that acts on this case: the first one with a part in it. */
export function actingOrganisation(principal: Principal, state: CaseState): string {
  if (state.status === 'none') return principal.organisations[0];
  return principal.organisations.find((o) => state.parties.includes(o)) ?? principal.organisations[0];
}

/**
 * The organisations whose Idempotency-Keys this caller may replay here. A key is stored for the
 * acting organisation; on an existing case every one of the caller's organisations with a part in it
 * counts, so that a retry still finds its key when another of her organisations has joined the case
 * since (and would now be the acting one). A new case: the registering organisation only.
 */
function keyOrganisations(principal: Principal, state: CaseState): string[] {
  if (state.status === 'none') return [actingOrganisation(principal, state)];
  return principal.organisations.filter((o) => state.parties.includes(o));
}
