import { createHash } from 'node:crypto';
import type { CaseEvent } from '@app/pathway';

/** What an event's hash covers: everything stored about it except its position in the global log. */
export interface HashedContent {
  streamId: string;
  version: number;
  type: CaseEvent['type'];
  data: CaseEvent['data'];
  /** The event's metadata (EventMetadata): who caused it and in which flow. */
  metadata: {
    actorId: string;
    actorRole: string;
    organisation: string;
    correlationId: string;
    causationId: string;
    idempotencyKey: string | null;
  };
  recordedAt: Date;
}

/** Names the canonical form, so that a future change of it can be told from tampering. */
const FORM = 'pathway-event-v1';

/**
 * JSON with object keys sorted at every depth (and undefined members left out, as JSON does): the
 * same document gives the same text whatever order its keys were built or stored in (jsonb
 * reorders them).
 */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const members = Object.keys(value)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${members.join(',')}}`;
}

/** SHA-256 of the event's canonical content. */
export function contentHash(e: HashedContent): Buffer {
  const m = e.metadata;
  const content = canonicalJson({
    form: FORM,
    streamId: e.streamId,
    version: e.version,
    type: e.type,
    data: e.data,
    metadata: {
      actorId: m.actorId,
      actorRole: m.actorRole,
      organisation: m.organisation,
      correlationId: m.correlationId,
      causationId: m.causationId,
      idempotencyKey: m.idempotencyKey,
    },
    recordedAt: e.recordedAt.toISOString(),
  });
  return createHash('sha256').update(content).digest();
}

/**
 * The link: SHA-256 of the predecessor's hash followed by the event's content hash (the first event
 * of a stream has no predecessor). PostgreSQL computes the same in the append statement, as
 * `sha256(coalesce(prev_hash, '') || content_hash)`.
 */
export function chainHash(prevHash: Buffer | null, content: Buffer): Buffer {
  return createHash('sha256')
    .update(prevHash ?? Buffer.alloc(0))
    .update(content)
    .digest();
}
