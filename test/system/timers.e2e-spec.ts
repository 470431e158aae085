import path from 'node:path';
import { Client as PgClient } from 'pg';
import { register, send } from '@test/support/cases';
import { ladderLedger } from '@test/support/ladder-ledger';
import { Stack, type Client } from '@test/support/stack';

const SECONDS_POLICY = path.resolve(__dirname, '..', 'policies', 'seconds.json');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Real BullMQ timers with deadlines of seconds (test/policies/seconds.json). */
describe('timers fire on time, once', () => {
  let stack: Stack;
  let gp: Client;
  let municipality: Client;

  beforeAll(async () => {
    stack = await Stack.start({ workers: 1, env: { PATHWAY_POLICY_FILE: SECONDS_POLICY, RECONCILE_INTERVAL_MS: '2000' } });
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    municipality = await stack.as('municipality', 'municipality:851', 'mia');
  }, 60_000);
  afterAll(() => stack?.stop());

  it('fires every ladder step of every open milestone exactly once, within a second of its time', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => register(gp)));
    // municipality-notification (4 s), clinic-referral (6 s), coordinator-assignment (8 s): escalation-2 at 150 % = 12 s.
    await sleep(14_000);
    const ledger = await ladderLedger(stack.db.url);
    process.stdout.write(`real timers: ${ledger.line}\n`);
    expect(ledger.expected).toBe(20 * 3 * 4);
    expect(ledger).toMatchObject({ lost: 0, duplicated: 0, early: 0 });

    const db = new PgClient({ connectionString: stack.db.url });
    await db.connect();
    const { rows } = await db.query<{ late_ms: number }>(
      `SELECT extract(epoch FROM e.recorded_at - (step->>'at')::timestamptz) * 1000 AS late_ms
       FROM case_events e JOIN milestones m ON m.case_id = e.stream_id AND m.milestone = e.data->>'milestone',
            json_array_elements(m.detail->'ladder') AS step
       WHERE e.type IN ('MilestoneWarned', 'MilestoneBreached', 'MilestoneEscalated') AND step->>'step' = e.data->>'step' AND e.stream_id = ANY($1::uuid[])`,
      [ids],
    );
    await db.end();
    const lateness = rows.map((r) => Number(r.late_ms)).sort((a, b) => a - b);
    process.stdout.write(`lateness ms: min=${lateness[0].toFixed(0)} p50=${lateness[Math.floor(lateness.length / 2)].toFixed(0)} max=${lateness[lateness.length - 1].toFixed(0)}\n`);
    expect(lateness[0]).toBeGreaterThanOrEqual(-1_000);
    expect(lateness[lateness.length - 1]).toBeLessThan(1_500);
  }, 60_000);

  it('fires nothing for a milestone met before its first step, and shows breaches in the owner’s work queue', async () => {
    const id = await register(gp);
    await send(gp, id, 'notify-municipality'); // meets municipality-notification at once
    await sleep(7_000);
    const milestones = (await gp.get(`/v1/cases/${id}/milestones`)).body.milestones as { rule: string; status: string; level: string | null }[];
    expect(milestones.find((m) => m.rule === 'municipality-notification')).toMatchObject({ status: 'met', level: null });
    // clinic-referral (6 s): breached, and escalated (level 1 at 7.5 s, level 2 at 9 s).
    expect(milestones.find((m) => m.rule === 'clinic-referral')).toMatchObject({ status: 'breached', level: expect.stringMatching(/^escalation-[12]$/) });

    const queue = await municipality.get('/v1/milestones?breached=true');
    expect(queue.status).toBe(200);
    const mine = (queue.body.milestones as { caseId: string; rule: string; owner: string }[]).filter((m) => m.caseId === id);
    // The notification's 4 s assessment clock belongs to the municipality, and it has passed.
    expect(mine.map((m) => m.rule)).toContain('notification-assessment');
    expect(mine.every((m) => m.owner === 'municipality:851')).toBe(true);
  }, 30_000);

  it('documents the policy: GET /v1/pathway returns the active one', async () => {
    const res = await gp.get('/v1/pathway');
    expect(res.status).toBe(200);
    expect(res.body.active).toMatchObject({ name: 'pregnancy-substance-use-seconds', version: 1 });
    expect(res.body.versions).toContainEqual({ name: 'pregnancy-substance-use-seconds', version: 1 });
  });
});
