import Redis from 'ioredis';
import { Client } from 'pg';
import { DEADLINES_QUEUE } from '@app/timers';
import { testNow } from './time';

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
export interface LedgerScope {
  /** Only these cases (all by default). */
  caseIds?: string[];
  /** Count the events recorded until this instant (`now` by default): e.g. the steps due before an outage ended, fired since. */
  firedBy?: Date;
}

export async function ladderLedger(
  databaseUrl: string,
  now = testNow(),
  { caseIds, firedBy = now }: LedgerScope = {},
): Promise<LadderLedger> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: due } = await client.query<{ case_id: string; milestone: string; step: string; at: string }>(
      `SELECT m.case_id, m.milestone, step->>'step' AS step, step->>'at' AS at
       FROM milestones m, json_array_elements(m.detail->'ladder') AS step
       WHERE (step->>'at')::timestamptz <= $1
         AND (m.detail->>'closedAt' IS NULL OR (m.detail->>'closedAt')::timestamptz > (step->>'at')::timestamptz)
         AND ($2::uuid[] IS NULL OR m.case_id = ANY($2::uuid[]))`,
      [now, caseIds ?? null],
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
         AND ($2::uuid[] IS NULL OR stream_id = ANY($2::uuid[]))
       GROUP BY stream_id, data->>'milestone', data->>'step'`,
      // The same moment as the steps due (unless told otherwise): a step firing between the two queries is in neither.
      [firedBy, caseIds ?? null],
    );
    const key = (r: { case_id: string; milestone: string; step: string }) => `${r.case_id}/${r.milestone}/${r.step}`;
    const firedKeys = new Set(fired.map(key));
    const dueKeys = new Set(due.map(key));
    const lost = due.filter((r) => !firedKeys.has(key(r))).length;
    const duplicated = fired.reduce((sum, r) => sum + Number(r.n) - 1, 0);
    // Fired events counted beyond `now` are of steps due later, not early ones.
    const early = firedBy > now ? 0 : fired.filter((r) => !dueKeys.has(key(r))).length;
    const ledger = { expected: due.length, fired: firedKeys.size, lost, duplicated, early, line: '' };
    ledger.line = `expected=${ledger.expected} fired=${ledger.fired} lost=${ledger.lost} duplicated=${ledger.duplicated}`;
    return ledger;
  } finally {
    await client.end();
  }
}

/**
 * Why steps were lost, for the first few milestones with one: the case's events, its pending
 * timers, and the history of the milestone's jobs from BullMQ's event stream (added, delayed,
 * active, completed with what return value).
 */
export async function explainLost(databaseUrl: string, redisUrl: string, now = testNow()): Promise<string> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 1_000 });
  redis.on('error', () => undefined);
  try {
    const { rows: lost } = await db.query<{ case_id: string; milestone: string; step: string; at: Date }>(
      `SELECT m.case_id, m.milestone, ls->>'step' AS step, (ls->>'at')::timestamptz AS at
       FROM milestones m, json_array_elements(m.detail->'ladder') AS ls
       WHERE (ls->>'at')::timestamptz <= $1 AND (m.detail->>'closedAt' IS NULL OR (m.detail->>'closedAt')::timestamptz > (ls->>'at')::timestamptz)
         AND NOT EXISTS (SELECT 1 FROM milestone_ladder_fired f WHERE f.case_id = m.case_id AND f.milestone = m.milestone AND f.step = ls->>'step')
       ORDER BY m.case_id, m.milestone, at`,
      [now],
    );
    const stream = await redis
      .xrange(`bull:${DEADLINES_QUEUE}:events`, '-', '+')
      .catch(() => [] as [string, string[]][]);
    const time = (d: Date) => d.toISOString().slice(11, 23);
    const seen = new Set<string>();
    let text = '';
    for (const l of lost) {
      if (seen.has(`${l.case_id}/${l.milestone}`)) continue;
      if (seen.add(`${l.case_id}/${l.milestone}`).size > 3) break;
      const { rows: events } = await db.query<{
        version: number;
        type: string;
        data: { milestone?: string; step?: string; late?: boolean };
        causation_id: string;
        recorded_at: Date;
      }>(
        `SELECT version, type, data, causation_id, recorded_at FROM case_events WHERE stream_id = $1 ORDER BY version`,
        [l.case_id],
      );
      const { rows: timers } = await db.query<{ timer: string; fire_at: Date }>(
        `SELECT timer, fire_at FROM pending_timers WHERE case_id = $1 ORDER BY fire_at`,
        [l.case_id],
      );
      const failures: string[] = [];
      for (const t of timers.filter((t) => t.timer.startsWith(`${l.milestone}.`))) {
        const [attempts, reason, trace] = await redis
          .hmget(`bull:${DEADLINES_QUEUE}:t.${l.case_id}.${t.timer}`, 'attemptsMade', 'failedReason', 'stacktrace')
          .catch(() => [null, null, null]);
        if (reason)
          failures.push(
            `${t.timer}: ${attempts} attempts, last failed: ${reason}\n${JSON.parse(trace ?? '[]')[0] ?? ''}`,
          );
      }
      const jobs = stream
        .filter(([, f]) => f[f.indexOf('jobId') + 1]?.startsWith(`t.${l.case_id}.${l.milestone}.`))
        .map(([id, f]) => `${time(new Date(Number(id.split('-')[0])))} ${f.join(' ').replace(`t.${l.case_id}.`, '')}`);
      text +=
        `LOST: case ${l.case_id}, ${l.milestone} ${l.step} due ${time(l.at)}\n` +
        `  events:\n${events.map((e) => `    ${e.version} ${time(e.recorded_at)} ${e.type} ${e.data.milestone ?? ''} ${e.data.step ?? ''}${e.data.late !== undefined ? ` late=${e.data.late}` : ''} (caused by ${e.causation_id.replace(`t.${l.case_id}.`, '')})`).join('\n')}\n` +
        `  pending timers:\n${timers.map((t) => `    ${t.timer} at ${time(t.fire_at)}`).join('\n') || '    (none)'}\n` +
        `  its jobs:\n${jobs.map((j) => `    ${j}`).join('\n') || '    (none in the event stream)'}\n` +
        (failures.length ? `  failures:\n${failures.map((f) => `    ${f}`).join('\n')}\n` : '');
    }
    return text;
  } finally {
    await db.end();
    redis.disconnect();
  }
}
