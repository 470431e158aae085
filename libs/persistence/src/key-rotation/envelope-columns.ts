import type { DataSource } from 'typeorm';

/** A column of envelopes sealed with the service's key ring, in a table with a uuid key. */
export interface EnvelopeColumn {
  table: string;
  id: string;
  column: string;
}

/** The CPR numbers: the only place their envelopes are kept (docs/adr/0008). */
export const CPR_ENVELOPES: EnvelopeColumn = { table: 'case_identities', id: 'case_id', column: 'encrypted_cpr' };
/** Her names, under the CPR numbers' ring and envelope (docs/adr/0013); NULL where none was recorded. */
export const NAME_ENVELOPES: EnvelopeColumn = { table: 'case_identities', id: 'case_id', column: 'encrypted_name' };
/** The webhook signing secrets (SecretBox): their keys derive from the same ring. */
export const WEBHOOK_SECRET_ENVELOPES: EnvelopeColumn = { table: 'webhook_subscriptions', id: 'id', column: 'secret' };

export interface ReencryptionProgress {
  /** Envelopes not under the current key when the run started: the work to do. */
  total: number;
  /** Of those, looked at so far. */
  done: number;
  /** Re-encrypted under the current key and stored. */
  rotated: number;
  /** Already under the current key when the run started: left alone. */
  alreadyCurrent: number;
  /** Could not be re-encrypted (reencrypt threw): left as they were. */
  failed: number;
}

export interface ReencryptionOptions {
  /** What every envelope under the current key starts with: those rows are skipped. */
  currentPrefix: string;
  /** The envelope under the current key; throws when it cannot be opened. */
  reencrypt(envelope: string): string;
  /** Told of each envelope that could not be re-encrypted (the error only, never the envelope). */
  onFailure?(id: string, error: unknown): void;
  onProgress?(progress: ReencryptionProgress): void;
  batchSize?: number;
}

/**
 * Re-encrypts every envelope of a column that is not under the current key, a batch at a time in
 * key order. Each batch commits on its own, so a run stopped half way is resumed by running it
 * again: rows already under the current key are skipped, and a second run finds nothing to do.
 * Each row is replaced only if it still holds the envelope that was read (compare and set), so a
 * concurrent writer is never overwritten; the service may keep running meanwhile. A NULL is no
 * envelope (a case without a name): neither counted nor touched.
 */
export async function reencryptColumn(
  ds: DataSource,
  target: EnvelopeColumn,
  options: ReencryptionOptions,
): Promise<ReencryptionProgress> {
  const { table, id, column } = target;
  const prefix = options.currentPrefix;
  const notCurrent = `left(${column}, length($1)) <> $1`;
  const [{ stale, current }] = (await ds.query(
    `SELECT count(*) FILTER (WHERE ${notCurrent})::int AS stale, count(*) FILTER (WHERE NOT (${notCurrent}))::int AS current
     FROM ${table} WHERE ${column} IS NOT NULL`,
    [prefix],
  )) as { stale: number; current: number }[];
  const progress: ReencryptionProgress = { total: stale, done: 0, rotated: 0, alreadyCurrent: current, failed: 0 };
  options.onProgress?.({ ...progress });
  const batchSize = options.batchSize ?? 500;
  let after: string | null = null;
  for (;;) {
    const rows = (await ds.query(
      `SELECT ${id}::text AS id, ${column} AS envelope FROM ${table}
       WHERE ${notCurrent} AND ($2::uuid IS NULL OR ${id} > $2::uuid) ORDER BY ${id} LIMIT $3`,
      [prefix, after, batchSize],
    )) as { id: string; envelope: string }[];
    if (rows.length === 0) break;
    const replaced: { id: string; old: string; new: string }[] = [];
    for (const row of rows) {
      try {
        replaced.push({ id: row.id, old: row.envelope, new: options.reencrypt(row.envelope) });
      } catch (error) {
        progress.failed += 1;
        options.onFailure?.(row.id, error);
      }
    }
    if (replaced.length > 0) {
      const [, updated] = (await ds.query(
        `UPDATE ${table} t SET ${column} = r.new FROM json_to_recordset($1::json) AS r(id uuid, old text, new text)
         WHERE t.${id} = r.id AND t.${column} = r.old`,
        [JSON.stringify(replaced)],
      )) as [unknown, number];
      progress.rotated += updated;
    }
    progress.done += rows.length;
    after = rows[rows.length - 1].id;
    options.onProgress?.({ ...progress });
  }
  return progress;
}
