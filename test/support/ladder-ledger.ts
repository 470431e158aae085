import { Client } from 'pg';

export interface LadderLedger {
  /** Ladder steps of active milestones whose time has come (at the moment of counting). */
  expected: number;
  /** Distinct steps with a fired event. */
  fired: number;
  /** Expected steps without a fired event. */
  lost: number;
  /** Fired events beyond one per step. */
  duplicated: number;
  /** Fired events of steps that were not due (fired early). */
  early: number;
  line: string;
}

/**
 * Counts, from the database alone, how the ladder steps fared: every step of a milestone that was
 * active when the step fell due should have exactly one fired event (MilestoneWarned, -Breached,
 * -Escalated). Prints `expected=… fired=… lost=… duplicated=…`.
 */
export async function ladderLedger(databaseUrl: string, now = new Date()): Promise<LadderLedger> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: due } = await client.query<{ case_id: string; milestone: string; step: string; at: string }>(
      `SELECT m.case_id, m.milestone, step->>'step' AS step, step->>'at' AS at
       FROM milestones m, json_array_elements(m.detail->'ladder') AS step
       WHERE (step->>'at')::timestamptz <= $1
         AND (m.detail->>'closedAt' IS NULL OR (m.detail->>'closedAt')::timestamptz > (step->>'at')::timestamptz)`,
      [now],
    );
    const { rows: fired } = await client.query<{
      case_id: string;
      milestone: string;
      step: string;
      n: string;
      fired_at: Date;
    }>(
      `SELECT stream_id AS case_id, data->>'milestone' AS milestone, data->>'step' AS step, count(*) AS n, min(recorded_at) AS fired_at
       FROM case_events WHERE type IN ('MilestoneWarned', 'MilestoneBreached', 'MilestoneEscalated') AND recorded_at <= $1
       GROUP BY stream_id, data->>'milestone', data->>'step'`,
      // The same moment as the steps due: a step firing between the two queries is in neither.
      [now],
    );
    const key = (r: { case_id: string; milestone: string; step: string }) => `${r.case_id}/${r.milestone}/${r.step}`;
    const firedKeys = new Set(fired.map(key));
    const dueKeys = new Set(due.map(key));
    const lost = due.filter((r) => !firedKeys.has(key(r))).length;
    const duplicated = fired.reduce((sum, r) => sum + Number(r.n) - 1, 0);
    const early = fired.filter((r) => !dueKeys.has(key(r))).length;
    const ledger = { expected: due.length, fired: firedKeys.size, lost, duplicated, early, line: '' };
    ledger.line = `expected=${ledger.expected} fired=${ledger.fired} lost=${ledger.lost} duplicated=${ledger.duplicated}`;
    return ledger;
  } finally {
    await client.end();
  }
}
