import { Client as PgClient } from 'pg';
import { concern, register } from '@test/support/cases';
import { freePort } from '@test/support/ports';
import { AppProcess, Client, Stack, type Response } from '@test/support/stack';
import { waitFor } from '@test/support/time';

/** Commands per organisation; the same keys in both. */
const PER_ORGANISATION = 40;
/** Commands whose clients stop waiting for the answer once sent: they commit, and the clients never learn it. */
const GIVEN_UP = 6;
/** Answers from the first instance before it is killed. */
const KILL_AFTER = 20;
const CONCURRENCY = 4;

interface Request {
  organisation: string;
  caseId: string;
  key: string;
  body: { note: string };
  /** The same token on the first and on the second instance. */
  first: Client;
  second: Client;
}

describe('Idempotency-Key across API instances: one killed mid-flight, its clients retrying on another', () => {
  let stack: Stack;
  let second: AppProcess;
  let secondUrl: string;

  beforeAll(async () => {
    stack = await Stack.start();
    const port = await freePort();
    secondUrl = `http://127.0.0.1:${port}`;
    second = AppProcess.start('api', { ...stack.env, PORT: String(port) });
    await waitFor(
      () => `the second API to answer on /health:\n${second.logs}`,
      async () => {
        if (!second.running) throw new Error(`the second API exited:\n${second.logs}`);
        return (await new Client(secondUrl).get('/health').catch(() => null))?.status === 200;
      },
    );
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
  });

  it('no command lost or applied twice, per organisation: one subject, the same keys for two municipalities', async () => {
    const pg = new PgClient({ connectionString: stack.db.url });
    await pg.connect();
    try {
      await commandsAcrossAKill(pg);
    } finally {
      await pg.end();
    }
  });

  async function commandsAcrossAKill(pg: PgClient) {
    const gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    const cases: Record<string, string> = {
      'municipality:851': await register(gp),
      'municipality:101': await register(gp, concern({ municipality: '101' })),
    };
    const requests: Request[] = [];
    for (const [organisation, caseId] of Object.entries(cases)) {
      const token = await stack.token('municipality', organisation, 'mia-retries');
      const [first, other] = [new Client(stack.baseUrl, token), new Client(secondUrl, token)];
      for (let i = 0; i < PER_ORGANISATION; i++)
        requests.push({
          organisation,
          caseId,
          key: `retry-${i}`,
          body: { note: `Meeting ${i}.` },
          first,
          second: other,
        });
    }
    // The two organisations' commands with one key go out side by side.
    requests.sort((a, b) => a.key.localeCompare(b.key) || a.organisation.localeCompare(b.organisation));
    const send = (client: Client, r: Request) =>
      client.post(`/v1/cases/${r.caseId}/record-network-meeting`, r.body, { 'idempotency-key': r.key });

    const givenUp = requests.slice(0, GIVEN_UP);
    for (const r of givenUp) void send(r.first, r).catch(() => null);
    await waitFor('the commands given up on to commit on the first API', async () => {
      const { rows } = await pg.query(
        `SELECT count(*)::int AS n FROM idempotency_keys WHERE principal = 'mia-retries'`,
      );
      return rows[0].n === GIVEN_UP;
    });

    // The first instance is killed (SIGKILL) while commands are in flight; what comes after gets no answer.
    const answered = new Map<Request, Response>();
    let answers = 0;
    let killed: Promise<unknown> | undefined;
    const queue = requests.slice(GIVEN_UP);
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let r = queue.shift(); r; r = queue.shift()) {
          const res = await send(r.first, r).catch(() => null);
          if (res?.status === 200) answered.set(r, res);
          if (res && ++answers === KILL_AFTER) killed = stack.api.stop('SIGKILL');
        }
      }),
    );
    await killed;
    expect(answered.size).toBeGreaterThanOrEqual(KILL_AFTER - CONCURRENCY);
    expect(answered.size).toBeLessThan(requests.length - GIVEN_UP);

    // Every client retries on the second instance with its key until answered: the first answer again where there was one.
    for (const r of requests) {
      const res = await waitFor(
        () => `${r.key} for ${r.organisation} answered by the second API:\n${second.logs}`,
        async () => {
          const attempt = await send(r.second, r).catch(() => null);
          return attempt && attempt.status < 500 ? attempt : null;
        },
      );
      expect([r.key, r.organisation, res.status]).toEqual([r.key, r.organisation, 200]);
      if (givenUp.includes(r)) expect(res.headers.get('idempotent-replayed')).toBe('true');
      const first = answered.get(r);
      if (first) {
        expect(res.body).toEqual(first.body);
        expect(res.headers.get('idempotent-replayed')).toBe('true');
      }
    }

    for (const [organisation, caseId] of Object.entries(cases)) {
      const { rows } = await pg.query(
        `SELECT idempotency_key AS key, organisation, count(*)::int AS appended FROM case_events
           WHERE stream_id = $1 AND type = 'NetworkMeetingRecorded' GROUP BY 1, 2`,
        [caseId],
      );
      const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
      expect(rows.sort(byKey)).toEqual(
        Array.from({ length: PER_ORGANISATION }, (_, i) => ({ key: `retry-${i}`, organisation, appended: 1 })).sort(
          byKey,
        ),
      );
    }
    const { rows } = await pg.query(
      `SELECT organisation, count(*)::int AS keys FROM idempotency_keys WHERE principal = 'mia-retries' GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual([
      { organisation: 'municipality:101', keys: PER_ORGANISATION },
      { organisation: 'municipality:851', keys: PER_ORGANISATION },
    ]);
  }
});
