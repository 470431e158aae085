import path from 'node:path';
import { Client as PgClient } from 'pg';
import { explainLost, ladderLedger, type LadderLedger, type LedgerScope } from './ladder-ledger';
import type { AppProcess, Stack } from './stack';
import { sleep, testNow, TIMEOUT, waitFor } from './time';

/**
 * For the system tests of the durable timers under faults (chaos, many instances): a policy whose
 * deadlines fall due within seconds, workers started and awaited, and the ladder ledger settled
 * and reported.
 *
 * The seconds policy (test/policies/seconds.json): a GP registration opens municipality-notification,
 * clinic-referral and coordinator-assignment, four ladder steps each, all due within ~12 s.
 */
export const SECONDS_POLICY = path.resolve(__dirname, '..', 'policies', 'seconds.json');
export const STEPS_PER_CASE = 3 * 4;

/**
 * The periodic reconcile is set to ten minutes, longer than any test (however slow the machine),
 * so that a pass proves the mechanism under test and not the safety net that would otherwise hide
 * a lost deadline as a late one: a step not fired by then is lost, however long the test waits.
 * Redis holds the timers due within this horizon (three reconcile intervals, the least the service
 * allows); post-birth-plan's steps, weeks away, stay in PostgreSQL.
 */
export const RECONCILE_INTERVAL_MS = 600_000;
export const HORIZON_MS = 3 * RECONCILE_INTERVAL_MS;
export const TIMERS_STACK_ENV = {
  PATHWAY_POLICY_FILE: SECONDS_POLICY,
  RECONCILE_INTERVAL_MS: String(RECONCILE_INTERVAL_MS),
  TIMER_HORIZON_MS: String(HORIZON_MS),
};
/** A worker logs "ready" at this level. */
export const WORKER_ENV = { LOG_LEVEL: 'log' };

export const tail = (text: string, chars = 4_000) => (text.length > chars ? `…${text.slice(-chars)}` : text);

/** A worker logs "ready" (at LOG_LEVEL log) once its relay, processor and first reconcile run. */
export async function started(worker: AppProcess): Promise<AppProcess> {
  await waitFor(
    `worker ${worker.child.pid} to be ready`,
    () => {
      if (!worker.running) throw new Error(`the worker exited during start-up:\n${worker.logs}`);
      return worker.entries.some((e) => e.context === 'Worker' && e.msg === 'ready');
    },
    { everyMs: 50 },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; its logs:\n${tail(worker.logs)}`);
  });
  return worker;
}

export async function query<R extends Record<string, unknown>>(
  databaseUrl: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const db = new PgClient({ connectionString: databaseUrl });
  await db.connect();
  try {
    return (await db.query<R>(sql, params)).rows;
  } finally {
    await db.end();
  }
}

/** Outbox rows not relayed yet, once the relay had a moment (it polls every 500 ms) to catch up with the last commits. */
export async function unrelayed(databaseUrl: string, withinMs = TIMEOUT.condition): Promise<number> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const [row] = await query<{ n: string }>(databaseUrl, `SELECT count(*) AS n FROM outbox`);
    if (Number(row.n) === 0 || Date.now() > deadline) return Number(row.n);
    await sleep(100);
  }
}

/** The time of the last ladder step within the next minute of a milestone that is (or was) open then (of these cases only, if given). */
async function lastStepAt(databaseUrl: string, caseIds?: string[]): Promise<number> {
  const [row] = await query<{ at: Date | null }>(
    databaseUrl,
    `SELECT max((step->>'at')::timestamptz) AS at FROM milestones m, json_array_elements(m.detail->'ladder') AS step
     WHERE (step->>'at')::timestamptz < now() + interval '1 minute' AND (m.detail->>'closedAt' IS NULL OR (m.detail->>'closedAt')::timestamptz > (step->>'at')::timestamptz)
       AND ($1::uuid[] IS NULL OR m.case_id = ANY($1::uuid[]))`,
    [caseIds ?? null],
  );
  return row?.at ? row.at.getTime() : Date.now();
}

/**
 * Polls the ledger until every step has come due and none is missing, or until `graceMs` after the
 * last step's time (then the missing ones are lost: nothing but the ten-minute reconcile would fire
 * them): as short as the service allows, and as patient as a slow machine needs.
 */
export async function settle(
  databaseUrl: string,
  graceMs = TIMEOUT.condition,
  scope: Pick<LedgerScope, 'caseIds'> = {},
): Promise<LadderLedger> {
  for (;;) {
    const last = await lastStepAt(databaseUrl, scope.caseIds);
    // The ledger counts the steps due by this instant; it is the one judged against the last step's
    // time (a later reading could pass with the last step due after the ledger's, left uncounted).
    const now = testNow();
    const ledger = await ladderLedger(databaseUrl, now, scope);
    if (now.getTime() > last + 50 && ledger.lost === 0) return ledger;
    if (now.getTime() > last + graceMs) return ledger;
    await sleep(250);
  }
}

/** How late each fired ladder step was (ms after its time), sorted. */
export async function lateness(databaseUrl: string, caseIds?: string[]): Promise<number[]> {
  const rows = await query<{ late_ms: string }>(
    databaseUrl,
    `SELECT extract(epoch FROM e.recorded_at - (step->>'at')::timestamptz) * 1000 AS late_ms
     FROM case_events e JOIN milestones m ON m.case_id = e.stream_id AND m.milestone = e.data->>'milestone',
          json_array_elements(m.detail->'ladder') AS step
     WHERE e.type IN ('MilestoneWarned', 'MilestoneBreached', 'MilestoneEscalated') AND step->>'step' = e.data->>'step'
       AND ($1::uuid[] IS NULL OR e.stream_id = ANY($1::uuid[]))`,
    [caseIds ?? null],
  );
  return rows.map((r) => Number(r.late_ms)).sort((a, b) => a - b);
}

/** Prints `<name>: expected=… fired=… lost=… duplicated=…` and, when something is off, the workers' logs. */
export async function report(
  name: string,
  stack: Stack,
  ledger: LadderLedger,
  startedAt: number,
  extra = '',
  caseIds?: string[],
): Promise<void> {
  const late = await lateness(stack.db.url, caseIds);
  const p50 = late[Math.floor(late.length / 2)] ?? 0;
  const max = late[late.length - 1] ?? 0;
  process.stdout.write(
    `${name}: ${ledger.line} | lateness p50=${p50.toFixed(0)} ms max=${max.toFixed(0)} ms | ${((Date.now() - startedAt) / 1000).toFixed(1)} s${extra ? ` | ${extra}` : ''}\n`,
  );
  if (ledger.lost) process.stdout.write(await explainLost(stack.db.url, stack.env.REDIS_URL));
  if (ledger.lost || ledger.duplicated) {
    stack.workers.forEach((w, i) =>
      process.stdout.write(
        `--- worker ${i} (pid ${w.child.pid}, ${w.running ? 'running' : 'exited'}) ---\n${tail(w.logs)}\n`,
      ),
    );
  }
}
