import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { register, send } from '@test/support/cases';
import Redis from 'ioredis';
import { ladderLedger } from '@test/support/ladder-ledger';
import { RedisServer } from '@test/support/redis-server';
import { Stack, type Client } from '@test/support/stack';

const SECONDS_POLICY = path.resolve(__dirname, '..', 'policies', 'seconds.json');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Real BullMQ timers with deadlines of seconds (test/policies/seconds.json). */
describe('timers fire on time, once', () => {
  let stack: Stack;
  let gp: Client;
  let municipality: Client;

  beforeAll(async () => {
    stack = await Stack.start({
      workers: 1,
      env: { PATHWAY_POLICY_FILE: SECONDS_POLICY, RECONCILE_INTERVAL_MS: '2000' },
    });
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
    process.stdout.write(
      `lateness ms: min=${lateness[0].toFixed(0)} p50=${lateness[Math.floor(lateness.length / 2)].toFixed(0)} max=${lateness[lateness.length - 1].toFixed(0)}\n`,
    );
    expect(lateness[0]).toBeGreaterThanOrEqual(-1_000);
    expect(lateness[lateness.length - 1]).toBeLessThan(1_500);
  }, 60_000);

  it('fires nothing for a milestone met before its first step, and shows breaches in the owner’s work queue', async () => {
    const id = await register(gp);
    await send(gp, id, 'notify-municipality'); // meets municipality-notification at once
    await sleep(7_000);
    const milestones = (await gp.get(`/v1/cases/${id}/milestones`)).body.milestones as {
      rule: string;
      status: string;
      level: string | null;
    }[];
    expect(milestones.find((m) => m.rule === 'municipality-notification')).toMatchObject({
      status: 'met',
      level: null,
    });
    // clinic-referral (6 s): breached, and escalated (level 1 at 7.5 s, level 2 at 9 s).
    expect(milestones.find((m) => m.rule === 'clinic-referral')).toMatchObject({
      status: 'breached',
      level: expect.stringMatching(/^escalation-[12]$/),
    });

    const queue = await municipality.get('/v1/milestones?breached=true');
    expect(queue.status).toBe(200);
    const mine = (queue.body.milestones as { caseId: string; rule: string; owner: string }[]).filter(
      (m) => m.caseId === id,
    );
    // The notification's 4 s assessment clock belongs to the municipality, and it has passed.
    expect(mine.map((m) => m.rule)).toContain('notification-assessment');
    expect(mine.every((m) => m.owner === 'municipality:851')).toBe(true);
  }, 30_000);

  it('pauses and resumes a clock over HTTP: nothing fires while paused, the steps move by the pause; a LAW clock refuses with 422', async () => {
    const id = await register(gp);
    await send(gp, id, 'notify-municipality');
    const law = await municipality.post(`/v1/cases/${id}/pause-milestone`, {
      milestone: 'notification-assessment-1',
      reason: 'Awaiting the hospital.',
    });
    expect([law.status, law.body.code]).toEqual([422, 'LEGAL_DEADLINE_NOT_PAUSABLE']);

    // coordinator-assignment (PROP, 8 s: warning at 6 s) belongs to the municipality.
    const before = (
      (await municipality.get(`/v1/cases/${id}/milestones`)).body.milestones as {
        milestone: string;
        ladder: { step: string; at: string }[];
      }[]
    ).find((m) => m.milestone === 'coordinator-assignment-1')!;
    await send(municipality, id, 'pause-milestone', {
      milestone: 'coordinator-assignment-1',
      reason: 'She is in hospital.',
    });
    await sleep(2_000);
    const paused = (
      (await municipality.get('/v1/milestones?status=paused')).body.milestones as {
        milestone: string;
        caseId: string;
      }[]
    ).filter((m) => m.caseId === id);
    expect(paused.map((m) => m.milestone)).toEqual(['coordinator-assignment-1']);
    await send(municipality, id, 'resume-milestone', { milestone: 'coordinator-assignment-1' });
    await sleep(9_000);

    const after = (
      (await municipality.get(`/v1/cases/${id}/milestones`)).body.milestones as {
        milestone: string;
        ladder: { step: string; at: string; firedAt: string | null }[];
        explanation: { pausedMs: number; pauses: unknown[] };
      }[]
    ).find((m) => m.milestone === 'coordinator-assignment-1')!;
    const shift = Date.parse(after.ladder[0].at) - Date.parse(before.ladder[0].at);
    expect(shift).toBeGreaterThan(1_800);
    expect(shift).toBeLessThan(4_000);
    expect(after.explanation.pauses).toHaveLength(1);
    expect(after.explanation.pausedMs).toBe(shift);
    // Every step due a second ago or more has fired (timers fire within tens of milliseconds).
    for (const step of after.ladder.filter((l) => Date.parse(l.at) < Date.now() - 1_000)) {
      expect(step.firedAt).not.toBeNull();
      expect(Date.parse(step.firedAt as string)).toBeGreaterThanOrEqual(Date.parse(step.at) - 100);
    }
  }, 40_000);

  it('documents the policy: GET /v1/pathway returns the active one', async () => {
    const res = await gp.get('/v1/pathway');
    expect(res.status).toBe(200);
    expect(res.body.active).toMatchObject({ name: 'pregnancy-substance-use-seconds', version: 1 });
    expect(res.body.versions).toContainEqual({ name: 'pregnancy-substance-use-seconds', version: 1 });
  });
});

/**
 * The injected clock (PATHWAY_CLOCK_FILE): the API runs on a clock the test sets and jumps,
 * across Easter 2027 and the change to summer time on Sunday 28 March. The due times are those
 * documented in the README (and worked out in libs/pathway/src/milestones/schedule.spec.ts).
 */
describe('the injected clock across a public holiday and a daylight-saving change', () => {
  let stack: Stack;
  let clockFile: string;
  const setClock = async (instant: string) => {
    fs.writeFileSync(clockFile, instant);
    await sleep(250); // the processes poll the file every 50 ms
  };
  /**
   * The clock runs on from each jump, so instants here are a few seconds past the documented ones
   * (which libs/pathway/src/milestones/schedule.spec.ts checks to the millisecond): within 5 s is
   * exact enough to tell an hour of daylight saving or a day of a holiday.
   */
  const dueOf = (milestones: { rule: string; dueAt: string }[], rule: string) => {
    const due = Date.parse(milestones.find((m) => m.rule === rule)?.dueAt ?? '');
    return { toBeAbout: (expected: string) => expect(Math.abs(due - Date.parse(expected))).toBeLessThan(5_000) };
  };

  beforeAll(async () => {
    clockFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pathway-clock-')), 'now');
    fs.writeFileSync(clockFile, '2027-03-24T13:00:00.000Z'); // Wednesday before Easter, 14:00 CET
    stack = await Stack.start({ env: { PATHWAY_CLOCK_FILE: clockFile } });
  }, 60_000);
  afterAll(() => stack?.stop());

  it('gives the documented due times, and the clock jumps for the next command', async () => {
    const gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    const id = await register(gp, {
      estimatedDueDate: '2027-10-01',
      municipality: '851',
      referrer: { kind: 'gp' },
      substances: ['alcohol'],
    });
    let milestones = (await gp.get(`/v1/cases/${id}/milestones`)).body.milestones;
    // One working day: Maundy Thursday, Good Friday, the Easter weekend and Easter Monday are skipped; 14:00 is now CEST.
    dueOf(milestones, 'municipality-notification').toBeAbout('2027-03-30T12:00:00.000Z');
    // Two working days (PROP, week 12: factor 1): Tuesday 30, Wednesday 31 March, 14:00 CEST.
    dueOf(milestones, 'coordinator-assignment').toBeAbout('2027-03-31T12:00:00.000Z');
    expect(milestones.find((m: { rule: string }) => m.rule === 'coordinator-assignment').explanation).toMatchObject({
      policy: { name: 'pregnancy-substance-use', version: 1 },
      calendar: 'working-days',
      scaling: { week: 12, factor: 1 },
      anchor: { signal: 'concern-registered' },
    });

    await setClock('2027-03-27T09:00:00.000Z'); // Saturday, 10:00 CET
    await send(gp, id, 'notify-municipality');
    milestones = (await gp.get(`/v1/cases/${id}/milestones`)).body.milestones;
    expect(milestones.find((m: { rule: string }) => m.rule === 'municipality-notification')).toMatchObject({
      status: 'met',
      late: false,
    });
    // 24 hours in calendar time across the night the clocks go forward: Sunday 11:00 CEST.
    dueOf(milestones, 'notification-assessment').toBeAbout('2027-03-28T09:00:00.000Z');
    // The hand-off of the notification: one working day from Saturday is Tuesday (Monday is Easter Monday), 10:00 wall time.
    dueOf(milestones, 'handoff-acceptance').toBeAbout('2027-03-30T08:00:00.000Z');
  });
});

/**
 * The horizon: a timer due later than TIMER_HORIZON_MS is not sent to Redis at once; the reconciler
 * loads it as it comes within reach, and it still fires on time.
 */
describe('timers beyond the horizon', () => {
  let stack: Stack;
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await RedisServer.start();
    stack = await Stack.start({
      workers: 1,
      redisUrl: redis.url,
      env: { PATHWAY_POLICY_FILE: SECONDS_POLICY, TIMER_HORIZON_MS: '3000', RECONCILE_INTERVAL_MS: '1000' },
    });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await redis?.stop();
  });

  it('keeps a far timer out of Redis until it comes within the horizon, then fires it on time', async () => {
    const gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    const client = new Redis(redis.url);
    const id = await register(gp);
    // coordinator-assignment (8 s): its warning at 6 s is beyond the 3 s horizon at registration.
    const warningJob = `bull:deadlines:t.${id}.coordinator-assignment-1.warning.g1`;
    await sleep(500);
    expect(await client.exists(warningJob)).toBe(0);
    await sleep(3_500); // now within the horizon: the reconciler (every second) has loaded it
    expect(await client.exists(warningJob)).toBe(1);
    await sleep(9_000);
    client.disconnect();
    const ledger = await ladderLedger(stack.db.url);
    process.stdout.write(`beyond the horizon: ${ledger.line}\n`);
    expect(ledger.expected).toBe(3 * 4);
    expect(ledger).toMatchObject({ lost: 0, duplicated: 0, early: 0 });
  }, 40_000);
});
