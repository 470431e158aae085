import { concern } from '@test/support/cases';
import { query, TIMERS_STACK_ENV } from '@test/support/durable-timers';
import { freePort } from '@test/support/ports';
import { explainLost, ladderLedger, type LadderLedger } from '@test/support/ladder-ledger';
import { PostgresServer } from '@test/support/postgres-server';
import { RedisServer } from '@test/support/redis-server';
import { Stack, type AppProcess, type Client } from '@test/support/stack';
import { scaled, sleep, waitFor } from '@test/support/time';

/**
 * PostgreSQL goes away under load (stopped fast: clients are told 57P01; then the postmaster killed
 * with kill -9) and comes back. The API and the worker must stay alive, answer 503
 * SERVICE_UNAVAILABLE with Retry-After while it is away (never 500), log one line when it goes and
 * one when it is back (not one per request or attempt), report it in /health/ready while /health/live
 * stays 200, fire every due ladder step once as soon as it is back (lost 0, twice 0), and LISTEN
 * again without leaking pool connections. Last, Redis killed: the API stays ready (Redis degraded),
 * the worker does not.
 *
 * A PostgreSQL and a Redis of this file's own (the shared test cluster must never go down). Reconcile
 * every ten minutes (as in the chaos tests): the steps that fire do so by the mechanism under test,
 * not by the safety net.
 */
const count = (p: AppProcess, pattern: RegExp) => p.logs.match(new RegExp(pattern, 'g'))?.length ?? 0;
const UNAVAILABLE = /PostgreSQL unavailable: /;
const BACK = /PostgreSQL available again after [\d.]+ s/;

describe('a PostgreSQL outage: the service keeps running and resumes by itself', () => {
  let pg: PostgresServer;
  let redis: RedisServer;
  let stack: Stack;
  let worker: AppProcess;
  let workerUrl: string;
  let gp: Client;
  let outages = 0;

  beforeAll(async () => {
    [pg, redis] = await Promise.all([PostgresServer.start(), RedisServer.start()]);
    stack = await Stack.start({
      databaseUrl: pg.url(),
      redisUrl: redis.url,
      env: {
        ...TIMERS_STACK_ENV,
        RELAY_POLL_MS: '1000',
        LOG_LEVEL: 'log',
      },
    });
    const port = await freePort();
    worker = stack.startWorker({ WORKER_PORT: String(port) });
    workerUrl = `http://127.0.0.1:${port}`;
    await waitFor(
      () => `the worker to be ready:\n${worker.logs}`,
      async () => {
        if (!worker.running) throw new Error(`the worker exited:\n${worker.logs}`);
        return (await fetch(`${workerUrl}/health/ready`).catch(() => null))?.status === 200;
      },
    );
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all([pg?.destroy(), redis?.stop()]);
  });

  const status = async (url: string) => (await fetch(url).catch(() => null))?.status ?? 0;
  const listeners = async () =>
    Number(
      (
        await query<{ n: string }>(
          pg.url(),
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = 'pathway' AND query = 'LISTEN pathway_outbox'`,
        )
      )[0].n,
    );

  /**
   * Registers a case every 150 ms until `stop` resolves; returns the answers' statuses (with the
   * error codes and Retry-After of those that are not 201).
   */
  async function load(stop: Promise<unknown>): Promise<string[]> {
    const answers: string[] = [];
    let done = false;
    void stop.then(() => (done = true));
    while (!done) {
      const res = await gp.post('/v1/cases', concern());
      answers.push(
        res.status === 201 ? '201' : `${res.status} ${res.body?.code} retry-after=${res.headers.get('retry-after')}`,
      );
      await sleep(150);
    }
    return answers;
  }

  /** Every step due by now has fired once: the ledger, and how long after `since` that was. */
  async function allDueFired(since: number): Promise<{ ledger: LadderLedger; recoveryMs: number }> {
    let last: LadderLedger | null = null;
    const ledger = await waitFor(
      () => `every due ladder step to fire (last: ${last?.line})`,
      async () => {
        last = await ladderLedger(pg.url());
        return last.lost === 0 && last;
      },
      { everyMs: 200 },
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await explainLost(pg.url(), redis.url)}\n${worker.logs.slice(-4_000)}`);
    });
    return { ledger, recoveryMs: Date.now() - since };
  }

  it.each([
    ['stopped fast (57P01 to every client)', 'fast' as const],
    ['its postmaster killed with kill -9', 'kill' as const],
  ])('PostgreSQL %s for a few seconds under load', async (_name, mode) => {
    const pids = [stack.api.child.pid, worker.child.pid];
    // Timers due within seconds while PostgreSQL is away (steps at 4 s … 12 s after registration).
    let stopOutage!: () => void;
    const outageOver = new Promise<void>((r) => (stopOutage = r));
    const answers = load(outageOver);
    await sleep(1_500);

    await pg.stop(mode);
    outages++;
    const down = {
      apiReady: await status(`${stack.baseUrl}/health/ready`),
      apiLive: await status(`${stack.baseUrl}/health/live`),
      workerReady: await status(`${workerUrl}/health/ready`),
      workerLive: await status(`${workerUrl}/health/live`),
    };
    const caseworker = await stack.as('municipality', 'municipality:851', 'mia');
    const read = await caseworker.get('/v1/cases');
    await sleep(scaled(3_000));
    await pg.restart();
    const back = Date.now();
    await sleep(1_000);
    stopOutage();
    const statuses = await answers;

    // Alive throughout, the same processes.
    expect([stack.api.running, worker.running]).toEqual([true, true]);
    expect([stack.api.child.pid, worker.child.pid]).toEqual(pids);
    // While away: 503 with Retry-After (never 500), not ready, still live.
    expect([read.status, read.body.code, read.headers.get('retry-after')]).toEqual([503, 'SERVICE_UNAVAILABLE', '5']);
    expect(down).toMatchObject({ apiReady: 503, apiLive: 200, workerReady: 503, workerLive: 200 });
    const refused = statuses.filter((s) => s !== '201');
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused)).toEqual(new Set(['503 SERVICE_UNAVAILABLE retry-after=5']));

    // Back: every due step fires, once, within seconds.
    const { ledger, recoveryMs } = await allDueFired(back);
    process.stdout.write(
      `PostgreSQL ${mode}: ${statuses.length} registrations (${refused.length} answered 503) | ${ledger.line} | due steps fired ${(recoveryMs / 1000).toFixed(1)} s after the return\n`,
    );
    expect(ledger).toMatchObject({ lost: 0, duplicated: 0, early: 0 });
    expect(recoveryMs).toBeLessThan(scaled(15_000));

    // One line when it went, one when it came back, per outage and process.
    await waitFor(
      () => `the API and the worker to log PostgreSQL's return:\n${stack.api.logs.slice(-3_000)}`,
      () => count(stack.api, BACK) === outages && count(worker, BACK) === outages,
    );
    expect([count(stack.api, UNAVAILABLE), count(worker, UNAVAILABLE)]).toEqual([outages, outages]);
    expect(stack.api.logs).not.toMatch(/INTERNAL|Unhandled/);
    // Errors logged: the outage's one line (Availability), nothing per request.
    expect(stack.api.entries.filter((e) => e.level === 'error' && e.context !== 'Availability')).toEqual([]);
    expect(worker.logs).not.toMatch(/Unhandled|relay failed|reconcile .* failed/);
    // No job spent an attempt on the outage. (After kill -9, this test's PostgreSQL, which commits
    // asynchronously for speed, may lose the last acknowledged commits: a job of a registration that
    // was lost then rightly fails with CASE_NOT_FOUND.)
    if (mode === 'fast') expect(worker.logs).not.toMatch(/deadline job .* failed/);

    // The relay LISTENs again, on exactly one connection; the pool holds no connection it lost.
    await waitFor('the relay to LISTEN again', async () => (await listeners()) === 1);
    // Once the steps still due have fired, the pool holds the LISTEN connection and perhaps a relay
    // poll: a connection lost with an outage and never released would stay counted here for good.
    let held = '';
    await waitFor(
      () => `the worker ready, LISTENing, its pool holding at most 2 connections (last: ${held})`,
      async () => {
        const res = await fetch(`${workerUrl}/health/ready`);
        const body = (await res.json()) as {
          relay: { listening: boolean };
          postgres: { pool: { total: number; idle: number } };
        };
        held = JSON.stringify(body.postgres.pool);
        return res.status === 200 && body.relay.listening && body.postgres.pool.total - body.postgres.pool.idle <= 2;
      },
      { everyMs: 250 },
    );
    expect(await status(`${stack.baseUrl}/health/ready`)).toBe(200);
  });

  it('the relay LISTENs again after the outages, on exactly one connection (none leaked), and new cases are relayed', async () => {
    // Whether NOTIFY wakes it is a matter of PostgreSQL's session: after the outages exactly one
    // backend of the worker's has LISTEN pathway_outbox as its statement (a timed check would fail
    // on a busy machine; the speed of the relay is bench:timers' business).
    await waitFor('one LISTEN backend', async () => {
      const rows = await query<{ n: string }>(
        pg.url(),
        `SELECT count(*) AS n FROM pg_stat_activity WHERE query ILIKE 'LISTEN pathway_outbox%'`,
      );
      return Number(rows[0].n) === 1;
    });
    const res = await gp.post('/v1/cases', concern());
    expect(res.status).toBe(201);
    await waitFor(
      'the outbox to be relayed',
      async () => Number((await query<{ n: string }>(pg.url(), 'SELECT count(*) AS n FROM outbox'))[0].n) === 0,
    );
  });

  it('Redis killed: the API stays ready with Redis degraded, the worker is not ready, both stay alive', async () => {
    await redis.kill();
    try {
      const api = await waitFor('the API to see Redis gone', async () => {
        const res = await stack.anonymous().get('/health/ready');
        return res.body?.redis?.status === 'degraded' && res;
      });
      expect(api.status).toBe(200);
      expect(api.body).toMatchObject({ status: 'degraded', postgres: { status: 'up' }, redis: { status: 'degraded' } });
      expect(await status(`${workerUrl}/health/ready`)).toBe(503);
      expect(await status(`${workerUrl}/health/live`)).toBe(200);
      // Commands need PostgreSQL only.
      expect((await gp.post('/v1/cases', concern())).status).toBe(201);
      await sleep(2_000);
      expect([stack.api.running, worker.running]).toEqual([true, true]);
      // Lost once, not at every reconnect attempt.
      expect(count(worker, /Redis unavailable: /)).toBe(1);
      expect(count(stack.api, /Redis unavailable: /)).toBe(1);
      expect(worker.logs + stack.api.logs).not.toMatch(/Unhandled error event/);
    } finally {
      await redis.restart();
    }
    await waitFor(
      'the worker to be ready with Redis back',
      async () => (await status(`${workerUrl}/health/ready`)) === 200,
    );
    expect(count(worker, /Redis available again after/)).toBe(1);
  });
});
