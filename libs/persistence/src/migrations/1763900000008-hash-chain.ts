import type { MigrationInterface, QueryRunner } from 'typeorm';
import { chainHash, contentHash } from '../event-store/hash-chain';

const PAGE = 5_000;

interface Row {
  stream_id: string;
  version: number;
  type: never;
  data: never;
  actor_id: string;
  actor_role: string;
  organisation: string;
  correlation_id: string;
  causation_id: string;
  idempotency_key: string | null;
  recorded_at: Date;
}

/**
 * Each stream becomes a hash chain: every event stores its predecessor's hash and its own, which
 * covers its canonical content and that predecessor hash. Events already recorded are chained here,
 * in stream order, with the append-only trigger held off for this one rewrite of the new columns.
 */
export class HashChain1763900000008 implements MigrationInterface {
  name = 'HashChain1763900000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_events ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea`);
    await q.query(`ALTER TABLE case_events DISABLE TRIGGER case_events_no_update`);
    let after: [string, number] = ['00000000-0000-0000-0000-000000000000', 0];
    let prev: { stream: string; hash: Buffer } | null = null;
    for (;;) {
      const rows: Row[] = await q.query(
        `SELECT stream_id, version, type, data, actor_id, actor_role, organisation, correlation_id, causation_id, idempotency_key, recorded_at
         FROM case_events WHERE (stream_id, version) > ($1::uuid, $2::int) ORDER BY stream_id, version LIMIT ${PAGE}`,
        after,
      );
      if (rows.length === 0) break;
      const updates = rows.map((r) => {
        const predecessor: Buffer | null = prev?.stream === r.stream_id ? prev.hash : null;
        const hash = chainHash(
          predecessor,
          contentHash({
            streamId: r.stream_id,
            version: r.version,
            type: r.type,
            data: r.data,
            recordedAt: r.recorded_at,
            metadata: {
              actorId: r.actor_id,
              actorRole: r.actor_role,
              organisation: r.organisation,
              correlationId: r.correlation_id,
              causationId: r.causation_id,
              idempotencyKey: r.idempotency_key,
            },
          }),
        );
        prev = { stream: r.stream_id, hash };
        return {
          stream_id: r.stream_id,
          version: r.version,
          prev_hash: predecessor?.toString('hex') ?? null,
          hash: hash.toString('hex'),
        };
      });
      await q.query(
        `UPDATE case_events e SET prev_hash = decode(u.prev_hash, 'hex'), hash = decode(u.hash, 'hex')
         FROM jsonb_to_recordset($1::jsonb) AS u(stream_id uuid, version int, prev_hash text, hash text)
         WHERE e.stream_id = u.stream_id AND e.version = u.version`,
        [JSON.stringify(updates)],
      );
      const last = rows[rows.length - 1];
      after = [last.stream_id, last.version];
    }
    await q.query(`ALTER TABLE case_events ENABLE TRIGGER case_events_no_update`);
    await q.query(`ALTER TABLE case_events ALTER COLUMN hash SET NOT NULL`);
    // Only a stream's first event has no predecessor.
    await q.query(
      `ALTER TABLE case_events ADD CONSTRAINT case_events_chained CHECK ((version = 1) = (prev_hash IS NULL))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_events DROP CONSTRAINT case_events_chained`);
    await q.query(`ALTER TABLE case_events DROP COLUMN hash, DROP COLUMN prev_hash`);
  }
}
