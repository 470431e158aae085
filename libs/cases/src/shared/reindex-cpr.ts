import { EncryptionKeyUnknownError, type KeyRing } from '@app/config';
import type { DataSource } from 'typeorm';
import { CprCipher } from './cpr-cipher';
import { CprIndex } from './cpr-index';
import { NameIndex } from './name-index';

export interface ReindexReport {
  /** CPR numbers looked at. */
  total: number;
  /** Given an index (none yet, or one under another index key) and stored. */
  indexed: number;
  /** Already indexed under the current CPR_INDEX_KEY: left alone. */
  current: number;
  /** Could not be read (their encryption key is not in the ring, or the envelope is invalid), by the reason. */
  failures: Record<string, number>;
}

/**
 * Computes the blind index of every stored CPR number (case_identities.cpr_index) from the
 * decrypted number, under the current CPR_INDEX_KEY: the backfill of the cases stored before the
 * index, and the re-indexing after a change of the index key. In batches in key order, each
 * committed on its own; a row is updated only if its envelope is unchanged since it was read and
 * its index differs, so a run is resumed by running it again and a second run changes nothing.
 */
export async function reindexCpr(
  ds: DataSource,
  ring: KeyRing,
  indexKey: Buffer,
  onProgress: (report: ReindexReport) => void = () => undefined,
  batchSize = 500,
): Promise<ReindexReport> {
  const cipher = new CprCipher(ring);
  const index = new CprIndex(indexKey);
  const report = await inBatches<{ cpr_index: string | null }, string>(batchSize, onProgress, {
    // A case with her name and no CPR number has no CPR to index.
    read: (after, limit) =>
      ds.query(
        `SELECT case_id::text AS id, encrypted_cpr AS envelope, cpr_index FROM case_identities
         WHERE encrypted_cpr IS NOT NULL AND ($1::uuid IS NULL OR case_id > $1::uuid) ORDER BY case_id LIMIT $2`,
        [after, limit],
      ),
    compute: (row) => index.of(cipher.decrypt(row.envelope)),
    same: (row, computed) => computed === row.cpr_index,
    write: async (changed) => {
      const [, updated] = (await ds.query(
        // A changed index gives up the claim to her open case (open_cpr_index, docs/adr/0011); the
        // claims are given back at the end, one per woman.
        `UPDATE case_identities t SET cpr_index = r.cpr_index, open_cpr_index = NULL
         FROM json_to_recordset($1::json) AS r(id uuid, envelope text, cpr_index text)
         WHERE t.case_id = r.id AND t.encrypted_cpr = r.envelope`,
        [JSON.stringify(changed.map(({ id, envelope, computed }) => ({ id, envelope, cpr_index: computed })))],
      )) as [unknown, number];
      return updated;
    },
  });
  await claimOpenCases(ds);
  return report;
}

/**
 * Each indexed woman with an open case and no claim (her index changed, or she was indexed only
 * now) gets one: her open case registered first. Her other open cases, if any, stay without one,
 * as migration 18 leaves them.
 */
async function claimOpenCases(ds: DataSource): Promise<void> {
  await ds.query(
    `UPDATE case_identities t SET open_cpr_index = t.cpr_index
     FROM (
       SELECT DISTINCT ON (i.cpr_index) i.case_id
       FROM case_identities i
       JOIN case_events e ON e.stream_id = i.case_id AND e.version = 1
       WHERE i.cpr_index IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM case_identities c WHERE c.open_cpr_index = i.cpr_index)
         AND NOT EXISTS (SELECT 1 FROM case_events c WHERE c.stream_id = i.case_id AND c.type = 'CaseClosed')
       ORDER BY i.cpr_index, e.position
     ) first
     WHERE t.case_id = first.case_id`,
  );
}

function countFailure(failures: Record<string, number>, error: unknown): void {
  const reason =
    error instanceof EncryptionKeyUnknownError
      ? `key ${error.keyId} is not in the key ring`
      : ((error as { code?: string }).code ?? 'UNEXPECTED_ERROR');
  failures[reason] = (failures[reason] ?? 0) + 1;
}

/**
 * Rebuilds the blind index of the words of every stored name (case_name_tokens) from the decrypted
 * name, under the key derived from the current CPR_INDEX_KEY (NameIndex): after a change of that
 * key, run with reindexCpr by `npm run reindex-cpr`. As reindexCpr: in batches in key order, each
 * committed on its own; a case's words are replaced only if its name's envelope is unchanged since
 * it was read and they differ, so a second run changes nothing.
 */
export async function reindexNames(
  ds: DataSource,
  ring: KeyRing,
  indexKey: Buffer,
  onProgress: (report: ReindexReport) => void = () => undefined,
  batchSize = 500,
): Promise<ReindexReport> {
  const cipher = new CprCipher(ring);
  const index = new NameIndex(indexKey);
  const report = await inBatches<{ tokens: string[] }, string[]>(batchSize, onProgress, {
    read: (after, limit) =>
      ds.query(
        `SELECT i.case_id::text AS id, i.encrypted_name AS envelope,
                coalesce((SELECT array_agg(n.token_hmac ORDER BY n.token_hmac) FROM case_name_tokens n WHERE n.case_id = i.case_id), '{}') AS tokens
         FROM case_identities i
         WHERE i.encrypted_name IS NOT NULL AND ($1::uuid IS NULL OR i.case_id > $1::uuid) ORDER BY i.case_id LIMIT $2`,
        [after, limit],
      ),
    compute: (row) => [...index.of(cipher.decryptName(row.envelope))].sort(),
    same: (row, computed) => computed.join(' ') === row.tokens.join(' '),
    write: async (changed) => {
      const [{ updated }] = (await ds.query(
        `WITH r AS (
           SELECT r.id, r.tokens FROM json_to_recordset($1::json) AS r(id uuid, envelope text, tokens jsonb)
           JOIN case_identities t ON t.case_id = r.id AND t.encrypted_name = r.envelope
         ), cleared AS (
           DELETE FROM case_name_tokens n USING r WHERE n.case_id = r.id AND NOT r.tokens ? n.token_hmac
         ), added AS (
           INSERT INTO case_name_tokens (case_id, token_hmac)
           SELECT r.id, t.token FROM r CROSS JOIN LATERAL jsonb_array_elements_text(r.tokens) AS t(token)
           ON CONFLICT DO NOTHING
         )
         SELECT count(*)::int AS updated FROM r`,
        [JSON.stringify(changed.map(({ id, envelope, computed }) => ({ id, envelope, tokens: computed })))],
      )) as { updated: number }[];
      return updated;
    },
  });
  return report;
}

/**
 * One pass over case_identities in key order, in batches of `batchSize`, each committed on its own:
 * `read` a batch after the last id, `compute` each row's index from its envelope (a row that cannot
 * be decrypted is counted by reason and left alone), and `write` the rows whose index is not the
 * `same` (guarded by the envelope read, so a concurrent change wins), reporting after each batch.
 */
async function inBatches<Stored, Index>(
  batchSize: number,
  onProgress: (report: ReindexReport) => void,
  pass: {
    read: (after: string | null, limit: number) => Promise<({ id: string; envelope: string } & Stored)[]>;
    compute: (row: { id: string; envelope: string } & Stored) => Index;
    same: (row: { id: string; envelope: string } & Stored, computed: Index) => boolean;
    write: (changed: { id: string; envelope: string; computed: Index }[]) => Promise<number>;
  },
): Promise<ReindexReport> {
  const report: ReindexReport = { total: 0, indexed: 0, current: 0, failures: {} };
  let after: string | null = null;
  for (;;) {
    const rows = await pass.read(after, batchSize);
    if (rows.length === 0) return report;
    const changed: { id: string; envelope: string; computed: Index }[] = [];
    for (const row of rows) {
      let computed: Index;
      try {
        computed = pass.compute(row);
      } catch (error) {
        countFailure(report.failures, error);
        continue;
      }
      if (pass.same(row, computed)) report.current += 1;
      else changed.push({ id: row.id, envelope: row.envelope, computed });
    }
    if (changed.length > 0) report.indexed += await pass.write(changed);
    report.total += rows.length;
    after = rows[rows.length - 1].id;
    onProgress({ ...report, failures: { ...report.failures } });
  }
}
