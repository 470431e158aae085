import { createHash } from 'node:crypto';
import type { CaseEvent, CaseState, OpenCase } from '@app/pathway';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import { chainHash, contentHash } from './hash-chain';
import type { Projection } from './projection';

/** Who caused an append and in which flow: stored with every event. */
export interface EventMetadata {
  actorId: string;
  actorRole: string;
  organisation: string;
  correlationId: string;
  causationId: string;
  idempotencyKey: string | null;
}

export interface StoredEvent {
  position: number;
  streamId: string;
  version: number;
  type: CaseEvent['type'];
  data: CaseEvent['data'];
  metadata: EventMetadata;
  recordedAt: Date;
}

/** A message for the worker, written in the same transaction as the events that caused it. */
export interface OutboxMessage {
  topic: string;
  /** Deterministic: the consumer's de-duplication key (a BullMQ job id). */
  key: string;
  payload: unknown;
}

/** An event of a stream written whole by an import (synthetic data), not decided by the engine. */
export interface ImportedEvent {
  type: CaseEvent['type'];
  data: CaseEvent['data'];
  metadata: EventMetadata;
  recordedAt: Date;
}

export interface ImportedStream {
  streamId: string;
  events: readonly ImportedEvent[];
  /** The CPR number's envelope, kept in case_identities (never in the events). */
  encryptedCpr?: string | null;
  /** Its blind index (CprIndex), with the envelope. */
  cprIndex?: string | null;
}

/**
 * What identifies the woman of a case, kept beside its events (case_identities), never in them:
 * written in the same statement as the events that say it was recorded.
 */
export interface CaseIdentity {
  /** A new case's CPR number: its envelope (CprCipher), re-encrypted in place by a key rotation. */
  encryptedCpr?: string;
  /** The CPR's keyed blind index (CprIndex), which links a woman's cases; recomputed by `npm run reindex-cpr`. */
  cprIndex?: string;
  /**
   * Her name (given at registration or recorded later): its envelope (CprCipher.encryptName) and
   * the keyed blind indexes of its words (NameIndex), which replace those of the name before.
   */
  name?: { encrypted: string; tokens: readonly string[] };
}

/**
 * The response to replay when the same Idempotency-Key comes again. A key belongs to a subject acting
 * for one organisation: the same subject for another organisation uses a new key.
 */
export interface IdempotencyRecord {
  /** The organisation the subject acted for (the events' `organisation`). */
  organisation: string;
  principal: string;
  key: string;
  requestHash: string;
  status: number;
  response: unknown;
}

export interface AppendRequest {
  streamId: string;
  /** The version the events were decided against; the first new event gets expectedVersion + 1. */
  expectedVersion: number;
  events: readonly CaseEvent[];
  metadata: EventMetadata;
  recordedAt: Date;
  /** The state after the events: projections are written from it in the same statement. */
  state: OpenCase;
  /** The state the events were decided on: lets a projection write only what changed, or what held when. */
  before: CaseState;
  outbox: readonly OutboxMessage[];
  idempotency?: IdempotencyRecord;
  /** A new case's identity: written in the same statement as its first events. */
  identity?: CaseIdentity;
  /**
   * The facilities whose occupancy the events change or were decided on: each gets its next
   * occupancy version in the same statement (FacilityOccupancyConflict if another append took it).
   */
  occupancy?: readonly OccupancyChange[];
}

/**
 * One facility's next occupancy version. `expectedVersion`: the version the decision read with the
 * occupancy (`FacilityStore.facts`), so that any change since conflicts; null when the decision did
 * not read it (a discharge, a close): the version after the latest stored.
 */
export interface OccupancyChange {
  facilityId: string;
  expectedVersion: number | null;
}

/** The stream is not at the expected version: another writer appended first (or, after a crash, it is behind). */
export class StreamVersionConflict extends Error {
  override readonly name = 'StreamVersionConflict';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
  ) {
    super(`stream ${streamId} is past version ${expectedVersion}`);
  }
}

/**
 * Another append changed the occupancy of a facility since this command's decision read it (or in
 * the same instant): like a stream version conflict, the writer decides again on fresh facts.
 */
export class FacilityOccupancyConflict extends Error {
  override readonly name = 'FacilityOccupancyConflict';
  constructor() {
    super('the occupancy of a facility changed since it was read');
  }
}

/** The same principal, for the same organisation, used the same Idempotency-Key first, concurrently. */
export class IdempotencyKeyTaken extends Error {
  override readonly name = 'IdempotencyKeyTaken';
}

/**
 * The unique key of `case_identities.open_cpr_index`: a woman's CPR index while her case is open.
 * Violated (UniqueViolation) by registering a second open case of hers (docs/adr/0011).
 */
export const OPEN_CASE_OF_WOMAN_KEY = 'case_identities_open_cpr_index_key';

/** A unique constraint other than the stream version was violated (e.g. a case reference). */
export class UniqueViolation extends Error {
  override readonly name = 'UniqueViolation';
  constructor(readonly constraint: string) {
    super(`unique constraint ${constraint} violated`);
  }
}

interface EventRow {
  position: string;
  stream_id: string;
  version: number;
  type: CaseEvent['type'];
  data: CaseEvent['data'];
  actor_id: string;
  actor_role: string;
  organisation: string;
  correlation_id: string;
  causation_id: string;
  idempotency_key: string | null;
  recorded_at: Date;
}

const EVENT_COLUMNS =
  'position, stream_id, version, type, data, actor_id, actor_role, organisation, correlation_id, causation_id, idempotency_key, recorded_at';

/**
 * The append-only store of case events. An append is one SQL statement (one round trip): the
 * events, their outbox messages, the projections and the idempotency record commit together or not
 * at all, and the unique (stream, version) key turns a concurrent append into a conflict.
 */
export class EventStore {
  /** The append statement of each set of non-empty parts (AppendParts), built on first use. */
  private readonly appendSql = new Map<number, AppendSql>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly projections: readonly Projection[],
  ) {}

  /**
   * The hot statements run on TypeORM's own pg pool as named (prepared) statements: PostgreSQL
   * parses and plans the append once per connection instead of once per command.
   */
  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  async readStream(streamId: string): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<EventRow>({
      name: 'read-stream',
      text: `SELECT ${EVENT_COLUMNS} FROM case_events WHERE stream_id = $1 ORDER BY version`,
      values: [streamId],
    });
    return rows.map(toStoredEvent);
  }

  /** Several streams in one query: each stream's events in order (a stream with none is absent). */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    const { rows } = await this.pool.query<EventRow>({
      name: 'read-streams',
      text: `SELECT ${EVENT_COLUMNS} FROM case_events WHERE stream_id = ANY($1::uuid[]) ORDER BY stream_id, version`,
      values: [streamIds],
    });
    const streams = new Map<string, StoredEvent[]>();
    for (const row of rows) {
      const event = toStoredEvent(row);
      const stream = streams.get(event.streamId);
      if (stream) stream.push(event);
      else streams.set(event.streamId, [event]);
    }
    return streams;
  }

  async append(request: AppendRequest): Promise<StoredEvent[]> {
    const { name, text, values, eventRows } = this.appendStatement(request);
    try {
      const { rows } = await this.pool.query<AppendedRow>({ name, text, values });
      return storedEvents(request, eventRows[0], rows);
    } catch (error) {
      throw translate(error, request.streamId, request.expectedVersion);
    }
  }

  /**
   * Appends to several distinct streams in one statement, one commit: their events, outbox messages
   * and projection rows go in as one set of arrays, so the batch pays for one statement's start, its
   * locks and its commit, not one per stream. All or nothing: a conflict on one stream writes none of
   * them and is thrown as `append` would throw it. Only what a batch of timer firings needs: a request
   * with an idempotency record, an identity, a closing case or occupancy is appended alone.
   */
  async appendAll(requests: readonly AppendRequest[]): Promise<StoredEvent[][]> {
    if (requests.length === 1) return [await this.append(requests[0])];
    if (new Set(requests.map((r) => r.streamId)).size < requests.length)
      throw new Error('appendAll appends to distinct streams');
    // In stream order, as the statement writes them: concurrent batches take their rows' locks in one order.
    const sorted = [...requests].sort((a, b) => (a.streamId < b.streamId ? -1 : 1));
    const { name, text, values, eventRows } = this.appendStatement(...sorted);
    try {
      const { rows } = await this.pool.query<AppendedRow>({ name, text, values });
      return requests.map((request) =>
        storedEvents(
          request,
          eventRows[sorted.indexOf(request)],
          rows.filter((r) => r.stream_id === request.streamId),
        ),
      );
    } catch (error) {
      // A taken key names its stream; any other failure is reported against the first (the caller
      // decides each again alone either way).
      const conflicted = sorted.find((r) => r.streamId === conflictedStream(error)) ?? sorted[0];
      throw translate(error, conflicted.streamId, conflicted.expectedVersion);
    }
  }

  /**
   * The append statement of one or more requests on distinct streams: its named (prepared) statement,
   * the parameters it takes, and each request's events as written. The statement holds only the parts
   * some request has rows for (an append without outbox messages, idempotency record or a projection's
   * rows leaves their CTEs out), so there is one statement per set of non-empty parts, each prepared
   * once per connection.
   */
  appendStatement(...requests: AppendRequest[]): AppendStatement {
    if (requests.length > 1 && requests.some((r) => singleStreamParts(r) !== 0))
      throw new Error('an idempotency record, an identity, a closing case or occupancy is appended alone');
    const eventRows = requests.map(({ streamId, expectedVersion, events, metadata, recordedAt }) =>
      events.map((e, i): EventRowIn => {
        const version = expectedVersion + i + 1;
        return {
          version,
          type: e.type,
          data: e.data,
          contentHash: contentHash({ streamId, version, type: e.type, data: e.data, metadata, recordedAt }),
        };
      }),
    );
    const events = requests.flatMap((r, i) => eventRows[i].map((e) => ({ stream: r.streamId, ...e })));
    const { streamId, expectedVersion, metadata, recordedAt, idempotency: idem, identity } = requests[0];
    const values: AppendValues = {
      versions: events.map((e) => e.version),
      types: events.map((e) => e.type),
      data: events.map((e) => JSON.stringify(e.data)),
      contentHashes: events.map((e) => e.contentHash),
      // One stream: its metadata as single parameters; several: an array each, and each event's stream.
      ...(requests.length === 1
        ? { ...metadata, stream: streamId, expectedVersion, recordedAt: recordedAt.toISOString() }
        : {
            streams: requests.map((r) => r.streamId),
            expectedVersions: requests.map((r) => r.expectedVersion),
            actorIds: requests.map((r) => r.metadata.actorId),
            actorRoles: requests.map((r) => r.metadata.actorRole),
            organisations: requests.map((r) => r.metadata.organisation),
            correlationIds: requests.map((r) => r.metadata.correlationId),
            causationIds: requests.map((r) => r.metadata.causationId),
            idempotencyKeys: requests.map((r) => r.metadata.idempotencyKey),
            recordedAts: requests.map((r) => r.recordedAt.toISOString()),
            eventStreams: events.map((e) => e.stream),
          }),
    };
    let parts = singleStreamParts(requests[0]) | (requests.length > 1 ? AppendParts.Streams : 0);
    const outbox = requests.flatMap((r) =>
      r.outbox.map((o) => ({ stream_id: r.streamId, topic: o.topic, message_key: o.key, payload: o.payload })),
    );
    if (outbox.length > 0) {
      parts |= AppendParts.Outbox;
      values.outbox = JSON.stringify(outbox);
    }
    if (idem)
      values.idempotency = JSON.stringify({
        organisation: idem.organisation,
        principal: idem.principal,
        key: idem.key,
        request_hash: idem.requestHash,
        status: idem.status,
        response: idem.response,
      });
    if (identity)
      values.identity = JSON.stringify({
        encrypted_cpr: identity.encryptedCpr ?? null,
        cpr_index: identity.cprIndex ?? null,
        encrypted_name: identity.name?.encrypted ?? null,
        name_tokens: identity.name ? [...new Set(identity.name.tokens)] : null,
      });
    if (requests[0].occupancy?.length)
      values.occupancy = JSON.stringify(
        requests[0].occupancy.map((o) => ({ facility_id: o.facilityId, expected: o.expectedVersion })),
      );
    this.projections.forEach((p, i) => {
      const rows = requests.flatMap((r) => p.rows(r.state, r.events, r.recordedAt, r.before));
      if (rows.length === 0) return;
      parts |= AppendParts.FirstProjection << i;
      values[`projection${i}`] = JSON.stringify(rows);
    });
    let sql = this.appendSql.get(parts);
    if (!sql) {
      sql = buildAppendSql(this.projections, parts);
      this.appendSql.set(parts, sql);
    }
    return { name: sql.name, text: sql.text, values: sql.params.map((p) => values[p]), eventRows };
  }

  /**
   * The response stored with an Idempotency-Key, if this principal used the key before for one of
   * these organisations; the one stored for this stream first, should there be several.
   */
  async findIdempotencyRecord(query: {
    principal: string;
    key: string;
    organisations: readonly string[];
    streamId: string;
  }): Promise<{ requestHash: string; status: number; response: unknown } | null> {
    const { rows } = await this.pool.query<{ request_hash: string; status: number; response: unknown }>({
      name: 'find-idempotency-record',
      text: `SELECT request_hash, status, response FROM idempotency_keys
             WHERE principal = $1 AND key = $2 AND organisation = ANY($3::text[])
             ORDER BY stream_id = $4::uuid DESC, created_at LIMIT 1`,
      values: [query.principal, query.key, query.organisations, query.streamId],
    });
    return rows[0] ? { requestHash: rows[0].request_hash, status: rows[0].status, response: rows[0].response } : null;
  }

  /**
   * Writes whole new streams (versions 1…n, hash-chained like any append) and their identities in
   * one statement, with no outbox rows and no projections: for bulk loads such as synthetic data,
   * followed by a rebuild of the read models.
   */
  async importStreams(streams: readonly ImportedStream[]): Promise<void> {
    const rows = streams.flatMap(({ streamId, events }) => {
      let prev: Buffer | null = null;
      return events.map((e, i) => {
        const version = i + 1;
        const hash = chainHash(prev, contentHash({ streamId, version, ...e }));
        const row = {
          stream_id: streamId,
          version,
          type: e.type,
          data: e.data,
          actor_id: e.metadata.actorId,
          actor_role: e.metadata.actorRole,
          organisation: e.metadata.organisation,
          correlation_id: e.metadata.correlationId,
          causation_id: e.metadata.causationId,
          idempotency_key: e.metadata.idempotencyKey,
          recorded_at: e.recordedAt.toISOString(),
          prev_hash: prev?.toString('hex') ?? null,
          hash: hash.toString('hex'),
        };
        prev = hash;
        return row;
      });
    });
    if (rows.length === 0) return;
    const identities = streams.flatMap((s) =>
      s.encryptedCpr ? [{ case_id: s.streamId, encrypted_cpr: s.encryptedCpr, cpr_index: s.cprIndex ?? null }] : [],
    );
    await this.dataSource.query(
      `WITH identified AS (
         INSERT INTO case_identities (case_id, encrypted_cpr, cpr_index)
         SELECT i.case_id, i.encrypted_cpr, i.cpr_index FROM json_to_recordset($2::json) AS i(case_id uuid, encrypted_cpr text, cpr_index text)
       )
       INSERT INTO case_events (stream_id, version, type, data, actor_id, actor_role, organisation, correlation_id, causation_id, idempotency_key, recorded_at, prev_hash, hash)
       SELECT r.stream_id, r.version, r.type, r.data, r.actor_id, r.actor_role, r.organisation, r.correlation_id, r.causation_id, r.idempotency_key, r.recorded_at,
              decode(r.prev_hash, 'hex'), decode(r.hash, 'hex')
       FROM json_to_recordset($1::json) AS r(stream_id uuid, version int, type text, data jsonb, actor_id text, actor_role text, organisation text,
            correlation_id text, causation_id text, idempotency_key text, recorded_at timestamptz, prev_hash text, hash text)`,
      [JSON.stringify(rows), JSON.stringify(identities)],
    );
  }

  /** Reads every event in stream order, a page at a time (for rebuilding read models). */
  async *readAll(pageSize = 5_000): AsyncGenerator<StoredEvent[]> {
    let after: { streamId: string; version: number } | null = null;
    for (;;) {
      const rows: EventRow[] = after
        ? await this.dataSource.query(
            `SELECT ${EVENT_COLUMNS} FROM case_events WHERE (stream_id, version) > ($1, $2) ORDER BY stream_id, version LIMIT $3`,
            [after.streamId, after.version, pageSize],
          )
        : await this.dataSource.query(`SELECT ${EVENT_COLUMNS} FROM case_events ORDER BY stream_id, version LIMIT $1`, [
            pageSize,
          ]);
      if (rows.length === 0) return;
      const page = rows.map(toStoredEvent);
      yield page;
      const last = page[page.length - 1];
      after = { streamId: last.streamId, version: last.version };
    }
  }

  async countEvents(): Promise<number> {
    const [{ count }] = await this.dataSource.query(`SELECT count(*)::bigint AS count FROM case_events`);
    return Number(count);
  }
}

/**
 * The parts of an append statement present only when the request has rows for them; projection i
 * is bit FirstProjection << i.
 */
enum AppendParts {
  Outbox = 1 << 0,
  Idempotency = 1 << 1,
  Identity = 1 << 2,
  Released = 1 << 3,
  Occupancy = 1 << 4,
  /** Several streams: the events' stream and metadata go in as arrays (appendAll). */
  Streams = 1 << 5,
  FirstProjection = 1 << 6,
}

/** An append statement's named parameters, by name (`projection<i>`: projection i's rows). */
type AppendValues = Record<string, unknown>;

/** An append statement for one set of parts: its text, its name, and its parameters' names in order. */
interface AppendSql {
  name: string;
  text: string;
  params: string[];
}

/** What `EventStore.appendStatement` returns: a pg query config, and each request's events as written. */
export interface AppendStatement {
  name: string;
  text: string;
  values: unknown[];
  eventRows: EventRowIn[][];
}

/** The parts of a request that only an append of its stream alone may hold. */
function singleStreamParts(request: AppendRequest): number {
  let parts = 0;
  if (request.idempotency) parts |= AppendParts.Idempotency;
  if (request.identity) parts |= AppendParts.Identity;
  // The case closes: her claim to an open case (case_identities.open_cpr_index) is released.
  if (request.before.status === 'open' && request.state.status === 'closed') parts |= AppendParts.Released;
  if (request.occupancy?.length) parts |= AppendParts.Occupancy;
  return parts;
}

function buildAppendSql(projections: readonly Projection[], parts: number): AppendSql {
  // Placeholders are numbered as they are first used: a statement declares only the parameters its
  // parts read (PostgreSQL refuses a parameter it cannot type, and a bind with more values).
  const params: string[] = [];
  const $ = (name: string): string => {
    const at = params.indexOf(name);
    return `$${at >= 0 ? at + 1 : params.push(name)}`;
  };
  const has = (part: number) => (parts & part) !== 0;
  // The stream and the time of an append of one stream, for the parts only such an append has.
  const stream = () => `${$('stream')}::uuid`;
  const recordedAt = () => `${$('recordedAt')}::timestamptz`;
  const ctes: string[] = [];
  // The hash chain is linked here, to the predecessor actually stored: each new event's hash is
  // sha256(predecessor's hash || its content hash), as in hash-chain.ts. A missing predecessor
  // leaves prev_hash NULL past version 1, which the table's check refuses.
  if (!has(AppendParts.Streams)) {
    // One stream: its metadata as single parameters (cheaper to plan and run than the arrays below).
    ctes.push(`incoming AS (
      SELECT e.version, e.type, e.data, e.content_hash
      FROM unnest(${$('versions')}::int[], ${$('types')}::text[], ${$('data')}::jsonb[], ${$('contentHashes')}::bytea[])
        AS e(version, type, data, content_hash)
    )`);
    ctes.push(`chain (version, prev_hash, hash) AS (
      SELECT ${$('expectedVersion')}::int, NULL::bytea, (SELECT h.hash FROM case_events h WHERE h.stream_id = ${stream()} AND h.version = ${$('expectedVersion')}::int)
      UNION ALL
      SELECT i.version, c.hash, sha256(coalesce(c.hash, ''::bytea) || i.content_hash) FROM chain c JOIN incoming i ON i.version = c.version + 1
    )`);
    ctes.push(`appended AS (
      INSERT INTO case_events (stream_id, version, type, data, actor_id, actor_role, organisation, correlation_id, causation_id, idempotency_key, recorded_at, prev_hash, hash)
      SELECT ${stream()}, i.version, i.type, i.data, ${$('actorId')}, ${$('actorRole')}, ${$('organisation')}, ${$('correlationId')}, ${$('causationId')}, ${$('idempotencyKey')}, ${recordedAt()}, c.prev_hash, c.hash
      FROM incoming i JOIN chain c ON c.version = i.version
      RETURNING stream_id, position, version
    )`);
  } else {
    ctes.push(`streams AS (
      SELECT * FROM unnest(${$('streams')}::uuid[], ${$('expectedVersions')}::int[], ${$('actorIds')}::text[],
        ${$('actorRoles')}::text[], ${$('organisations')}::text[], ${$('correlationIds')}::text[],
        ${$('causationIds')}::text[], ${$('idempotencyKeys')}::text[], ${$('recordedAts')}::timestamptz[])
        AS s(stream_id, expected_version, actor_id, actor_role, organisation, correlation_id, causation_id, idempotency_key, recorded_at)
    )`);
    ctes.push(`incoming AS (
      SELECT e.stream_id, e.version, e.type, e.data, e.content_hash
      FROM unnest(${$('eventStreams')}::uuid[], ${$('versions')}::int[], ${$('types')}::text[], ${$('data')}::jsonb[], ${$('contentHashes')}::bytea[])
        AS e(stream_id, version, type, data, content_hash)
    )`);
    ctes.push(`chain (stream_id, version, prev_hash, hash) AS (
      SELECT s.stream_id, s.expected_version, NULL::bytea,
        (SELECT h.hash FROM case_events h WHERE h.stream_id = s.stream_id AND h.version = s.expected_version)
      FROM streams s
      UNION ALL
      SELECT i.stream_id, i.version, c.hash, sha256(coalesce(c.hash, ''::bytea) || i.content_hash)
      FROM chain c JOIN incoming i ON i.stream_id = c.stream_id AND i.version = c.version + 1
    )`);
    // In stream and version order: positions follow versions, and concurrent batches lock their
    // streams' keys in one order.
    ctes.push(`appended AS (
      INSERT INTO case_events (stream_id, version, type, data, actor_id, actor_role, organisation, correlation_id, causation_id, idempotency_key, recorded_at, prev_hash, hash)
      SELECT i.stream_id, i.version, i.type, i.data, s.actor_id, s.actor_role, s.organisation, s.correlation_id, s.causation_id, s.idempotency_key, s.recorded_at, c.prev_hash, c.hash
      FROM incoming i JOIN streams s USING (stream_id) JOIN chain c USING (stream_id, version)
      ORDER BY i.stream_id, i.version
      RETURNING stream_id, position, version
    )`);
  }
  // The appended streams, for the parts that take their rows by case.
  const caseIds = () => (has(AppendParts.Streams) ? `${$('streams')}::uuid[]` : `ARRAY[${stream()}]`);
  if (has(AppendParts.Outbox))
    ctes.push(`outboxed AS (
      INSERT INTO outbox (stream_id, topic, message_key, payload)
      SELECT ${has(AppendParts.Streams) ? 'o.stream_id' : stream()}, o.topic, o.message_key, o.payload
      FROM jsonb_to_recordset(${$('outbox')}::jsonb) AS o(stream_id uuid, topic text, message_key text, payload jsonb)
    )`);
  if (has(AppendParts.Idempotency))
    ctes.push(`remembered AS (
      INSERT INTO idempotency_keys (organisation, principal, key, request_hash, stream_id, status, response, created_at)
      SELECT k.organisation, k.principal, k.key, k.request_hash, ${stream()}, k.status, k.response, ${recordedAt()}
      FROM jsonb_to_record(${$('idempotency')}::jsonb) AS k(organisation text, principal text, key text, request_hash text, status int, response jsonb)
    )`);
  if (has(AppendParts.Identity)) {
    const identity = `${$('identity')}::jsonb`;
    ctes.push(`identified AS (
      -- A new case's identity, or her name recorded on a case (which may have no row yet).
      INSERT INTO case_identities (case_id, encrypted_cpr, cpr_index, open_cpr_index, encrypted_name)
      SELECT ${stream()}, i.encrypted_cpr, i.cpr_index, i.cpr_index, i.encrypted_name
      FROM jsonb_to_record(${identity}) AS i(encrypted_cpr text, cpr_index text, encrypted_name text)
      ON CONFLICT (case_id) DO UPDATE SET encrypted_name = coalesce(EXCLUDED.encrypted_name, case_identities.encrypted_name)
    ), named AS (
      INSERT INTO case_name_tokens (case_id, token_hmac)
      SELECT ${stream()}, t.token FROM jsonb_to_record(${identity}) AS i(name_tokens jsonb)
      CROSS JOIN LATERAL jsonb_array_elements_text(i.name_tokens) AS t(token)
      WHERE jsonb_typeof(i.name_tokens) = 'array'
      ON CONFLICT DO NOTHING
    ), renamed AS (
      -- The words of the name before that the new one does not have.
      DELETE FROM case_name_tokens n USING jsonb_to_record(${identity}) AS i(name_tokens jsonb)
      WHERE n.case_id = ${stream()} AND jsonb_typeof(i.name_tokens) = 'array' AND NOT i.name_tokens ? n.token_hmac
    )`);
  }
  if (has(AppendParts.Released))
    ctes.push(`released AS (
      UPDATE case_identities SET open_cpr_index = NULL WHERE case_id = ${stream()} AND open_cpr_index IS NOT NULL
    )`);
  if (has(AppendParts.Occupancy))
    ctes.push(`occupancy AS (
      INSERT INTO facility_occupancy_versions (facility_id, version, case_id, recorded_at)
      SELECT f.facility_id,
             coalesce(f.expected, (SELECT max(v.version) FROM facility_occupancy_versions v WHERE v.facility_id = f.facility_id), 0) + 1,
             ${stream()}, ${recordedAt()}
      FROM jsonb_to_recordset(${$('occupancy')}::jsonb) AS f(facility_id text, expected int)
    )`);
  projections.forEach((p, i) => {
    if (!has(AppendParts.FirstProjection << i)) return;
    // json, not jsonb: the rows' documents go into json columns as they are, without a jsonb round trip.
    const rows = `${$(`projection${i}`)}::json`;
    ctes.push(`projected_${i} AS (${p.upsert(rows)})`);
    if (p.deleteStale) ctes.push(`stale_${i} AS (${p.deleteStale(rows, caseIds())})`);
  });
  const text = `
    WITH RECURSIVE ${ctes.join(', ')}
    SELECT stream_id, position, version FROM appended`;
  // Named by its text (PostgreSQL keeps 63 characters of a statement name): new SQL, new name.
  return { name: `append-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`, text, params };
}

/** An event as the append statement takes it. */
export interface EventRowIn {
  version: number;
  type: CaseEvent['type'];
  data: CaseEvent['data'];
  contentHash: Buffer;
}

/** The appended events as stored, with the positions the statement returned. */
function storedEvents(
  request: AppendRequest,
  eventRows: readonly EventRowIn[],
  returned: readonly AppendedRow[],
): StoredEvent[] {
  const positions = new Map(returned.map((r) => [r.version, Number(r.position)]));
  return eventRows.map((e) => ({
    position: positions.get(e.version) ?? 0,
    streamId: request.streamId,
    version: e.version,
    type: e.type,
    data: e.data,
    metadata: request.metadata,
    recordedAt: request.recordedAt,
  }));
}

/** What the append statement returns per event. */
type AppendedRow = { stream_id: string; position: string; version: number };

/** The stream whose (stream, version) key an append found taken, from the violation's detail. */
function conflictedStream(error: unknown): string | undefined {
  const detail = (error as { detail?: string } | null)?.detail;
  return detail?.match(/^Key \(stream_id, version\)=\(([0-9a-f-]{36}),/)?.[1];
}

function toStoredEvent(r: EventRow): StoredEvent {
  return {
    position: Number(r.position),
    streamId: r.stream_id,
    version: r.version,
    type: r.type,
    data: r.data,
    metadata: {
      actorId: r.actor_id,
      actorRole: r.actor_role,
      organisation: r.organisation,
      correlationId: r.correlation_id,
      causationId: r.causation_id,
      idempotencyKey: r.idempotency_key,
    },
    recordedAt: r.recorded_at,
  };
}

function translate(error: unknown, streamId: string, expectedVersion: number): unknown {
  const driver = (error instanceof QueryFailedError ? error.driverError : error) as {
    code?: string;
    constraint?: string;
  } | null;
  // No predecessor at the expected version (the table's chain check): the stream is behind what the
  // writer believed, e.g. a cached state whose last commit PostgreSQL lost in a crash. Like any
  // version conflict, the writer reloads the stream and decides again.
  if (driver?.code === '23514' && driver.constraint === 'case_events_chained')
    return new StreamVersionConflict(streamId, expectedVersion);
  if (driver?.code !== '23505') return error;
  if (driver.constraint === 'case_events_stream_version_key')
    return new StreamVersionConflict(streamId, expectedVersion);
  if (driver.constraint === 'facility_occupancy_versions_pkey') return new FacilityOccupancyConflict();
  if (driver.constraint === 'idempotency_keys_pkey')
    return new IdempotencyKeyTaken('the Idempotency-Key was used concurrently');
  return new UniqueViolation(driver.constraint ?? 'unknown');
}
