import { randomUUID } from 'node:crypto';
import { pendingTimers, policyOf, type Actor, type CaseCommand, shippedPolicyRegistry } from '@app/pathway';
import { EventStore, allProjections, createDataSource, rebuildProjections } from '@app/persistence';
import { DecidedCourse } from '@test/support/decided-course';
import { Client, Stack } from '@test/support/stack';
import type { DataSource } from 'typeorm';

const POLICIES = shippedPolicyRegistry();
const AALBORG = 'municipality:851';
const AARHUS = 'municipality:751';
const gp: Actor = { id: 'dr-hansen', role: 'referrer', organisation: 'gp:hansen' };
const aalborg: Actor = { id: 'mia', role: 'municipality', organisation: AALBORG };
const engine: Actor = { id: 'engine', role: 'system', organisation: 'pathway:engine' };

/**
 * issue 15 §1 over HTTP. The course is decided by the real decider at instants the test chooses
 * (DecidedCourse: events, projections and hash chain as the CaseWriter writes them), with the
 * ladder timers fired at their times as the worker would; what people see and may do is asked of
 * the API. Registered by the GP for a woman in Aalborg on Monday 23 November 2026 10:00 Copenhagen
 * (09:00Z), due 31 May 2027: 13+0 then, so no gestational scaling (factor 1.0 before week 14).
 * Aalborg assigns its own Alice; the case moves to Aarhus 25 hours later, Aalborg having done
 * nothing, and Aalborg stays silent for two more days.
 */
const T0 = '2026-11-23T09:00:00.000Z';
const MOVE = '2026-11-24T10:00:00.000Z';
const SILENT_UNTIL = '2026-11-26T12:00:00.000Z';

describe('moving municipality: the work and the alerts go to the new municipality (issue 15 §1)', () => {
  let stack: Stack;
  let ds: DataSource;
  let store: EventStore;
  let course: DecidedCourse;
  let aalborgApi: Client;
  let aarhusApi: Client;

  /** Fires the case's ladder timers due by `until` at their times (after the last event), earliest first. */
  async function fireTimersUntil(until: string): Promise<void> {
    for (;;) {
      const state = course.state;
      const last = Math.max(...Object.values(state.milestones).map((m) => Date.parse(m.openedAt)), Date.parse(T0));
      const next = pendingTimers(state, policyOf(state, POLICIES))
        .filter((t) => t.kind === 'ladder' && Date.parse(t.fireAt) <= Date.parse(until))
        .sort((a, b) => Date.parse(a.fireAt) - Date.parse(b.fireAt))[0];
      if (!next) return;
      const at = new Date(Math.max(Date.parse(next.fireAt), last));
      await course.run(at, engine, { type: 'fire-timer', data: { timer: next.id } });
    }
  }

  /** The caller's work queue (open milestones), or its scheduled ones (a clock not started yet). */
  const queue = async (client: Client, status?: 'scheduled') => {
    const res = await client.get(`/v1/milestones${status ? `?status=${status}` : ''}`);
    expect(res.status).toBe(200);
    return (res.body.milestones as { caseId: string; milestone: string; owner: string; dueAt: string }[])
      .filter((m) => m.caseId === course.caseId)
      .map((m) => [m.milestone, m.dueAt])
      .sort();
  };
  const alerts = async (client: Client) => {
    const res = await client.get(`/v1/alerts?caseId=${course.caseId}&limit=100`);
    expect(res.status).toBe(200);
    return res.body.items as { milestone: string; step: string; owner: string; raisedAt: string; status: string }[];
  };
  const run = (at: string, actor: Actor, command: CaseCommand) => course.run(at, actor, command);

  beforeAll(async () => {
    stack = await Stack.start();
    ds = await createDataSource({ url: stack.db.url, poolSize: 2 }).initialize();
    store = new EventStore(ds, allProjections(POLICIES));
    course = new DecidedCourse(store, POLICIES, randomUUID());
    aalborgApi = await stack.as('municipality', AALBORG, 'mia');
    aarhusApi = await stack.as('municipality', AARHUS, 'ole');
    await run(T0, gp, {
      type: 'register-concern',
      data: {
        caseId: course.caseId,
        reference: 'MOVE15',
        cprRecorded: false,
        estimatedDueDate: '2027-05-31',
        municipality: '851',
        referrer: { kind: 'gp' },
        substances: ['alcohol'],
      },
    });
    await run(T0, gp, { type: 'notify-municipality', data: {} });
    await run(T0, aalborg, {
      type: 'assign-coordinator',
      data: { coordinator: { id: 'alice', name: 'Alice Holm', organisation: AALBORG } },
    });
    await fireTimersUntil(MOVE);
  });
  afterAll(async () => {
    await ds?.destroy();
    await stack?.stop();
  });

  it('before the move: Aalborg has the work and the alerts, Aarhus has nothing', async () => {
    // Hand-computed from domain.md: the 24-hour assessment (Tuesday 09:00Z), the 6-weekday receipt
    // (Tuesday 1 December 10:00 Copenhagen), the hand-off of the notification (1 working day: Tuesday
    // 10:00 Copenhagen), the first network meeting within 14 days (Monday 7 December 10:00 Copenhagen),
    // the post-birth plan 7 days after its opening 28 days before the due date (3 May 2027 00:00
    // Copenhagen + 7 days: 10 May 2027 00:00 CEST = 9 May 22:00Z).
    expect(await queue(aalborgApi)).toEqual(
      [
        ['handoff-acceptance-1', '2026-11-24T09:00:00.000Z'],
        ['network-meeting-1', '2026-12-07T09:00:00.000Z'],
        ['notification-assessment-1', '2026-11-24T09:00:00.000Z'],
        ['notification-receipt-1', '2026-12-01T09:00:00.000Z'],
      ].sort(),
    );
    // Its clock has not started: scheduled, in no work queue until it opens.
    expect(await queue(aalborgApi, 'scheduled')).toEqual([['post-birth-plan-1', '2027-05-09T22:00:00.000Z']]);
    expect(await queue(aarhusApi)).toEqual([]);
    expect((await alerts(aalborgApi)).map((a) => `${a.milestone}.${a.step}`).sort()).toEqual([
      'handoff-acceptance-1.breach',
      'handoff-acceptance-1.warning',
      'notification-assessment-1.breach',
      'notification-assessment-1.warning',
    ]);
    expect(await alerts(aarhusApi)).toEqual([]);
  });

  it('the move: the work goes to Aarhus with its due times, the open alerts too; Aalborg keeps only the handover', async () => {
    await run(MOVE, aalborg, { type: 'transfer-municipality', data: { toMunicipality: '751' } });
    // Aalborg: the move-handover, 1 working day from Tuesday 11:00 Copenhagen: Wednesday 11:00 (10:00Z).
    expect(await queue(aalborgApi)).toEqual([['move-handover-1', '2026-11-25T10:00:00.000Z']]);
    // Aarhus: the same due times, plus the hand-off of the move (1 working day) and, since Alice works
    // for Aalborg, coordinator-assignment again (2 working days from Tuesday 11:00: Thursday 10:00Z).
    expect(await queue(aarhusApi)).toEqual(
      [
        ['coordinator-assignment-2', '2026-11-26T10:00:00.000Z'],
        ['handoff-acceptance-1', '2026-11-24T09:00:00.000Z'],
        ['handoff-acceptance-2', '2026-11-25T10:00:00.000Z'],
        ['network-meeting-1', '2026-12-07T09:00:00.000Z'],
        ['notification-assessment-1', '2026-11-24T09:00:00.000Z'],
        ['notification-receipt-1', '2026-12-01T09:00:00.000Z'],
      ].sort(),
    );
    expect(await queue(aarhusApi, 'scheduled')).toEqual([['post-birth-plan-1', '2027-05-09T22:00:00.000Z']]);
    expect(await queue(aalborgApi, 'scheduled')).toEqual([]);
    const moved = (await aarhusApi.get(`/v1/cases/${course.caseId}/milestones`)).body;
    const assessment = (moved.milestones ?? moved).find(
      (m: { milestone: string }) => m.milestone === 'notification-assessment-1',
    );
    expect(assessment.explanation.ownerChanges).toEqual([
      { from: AALBORG, to: AARHUS, at: MOVE, reason: 'municipality-transferred' },
    ]);
    expect(await alerts(aalborgApi)).toEqual([]);
    expect((await alerts(aarhusApi)).map((a) => [`${a.milestone}.${a.step}`, a.owner, a.status]).sort()).toEqual([
      ['handoff-acceptance-1.breach', AARHUS, 'open'],
      ['handoff-acceptance-1.warning', AARHUS, 'open'],
      ['notification-assessment-1.breach', AARHUS, 'open'],
      ['notification-assessment-1.warning', AARHUS, 'open'],
    ]);
  });

  it('Aalborg silent: the escalations reach Aarhus; Aalborg is alerted only about its handover', async () => {
    await fireTimersUntil(SILENT_UNTIL);
    const toAalborg = await alerts(aalborgApi);
    expect(toAalborg.length).toBeGreaterThan(0);
    expect(new Set(toAalborg.map((a) => a.milestone))).toEqual(new Set(['move-handover-1']));
    expect(toAalborg.every((a) => Date.parse(a.raisedAt) > Date.parse(MOVE))).toBe(true);
    // The assessment's escalation 1 at deadline + 25 % of 24 h (6 h, at least 4 h): Tuesday 15:00Z;
    // escalation 2 at deadline + 100 % (24 h): Wednesday 25 November 09:00Z. Both to Aarhus.
    const toAarhus = await alerts(aarhusApi);
    expect(
      toAarhus
        .filter((a) => a.milestone === 'notification-assessment-1' && a.step.startsWith('escalation'))
        .map((a) => [a.step, a.raisedAt, a.owner])
        .sort(),
    ).toEqual([
      ['escalation-1', '2026-11-24T15:00:00.000Z', AARHUS],
      ['escalation-2', '2026-11-25T09:00:00.000Z', AARHUS],
    ]);
    expect(toAarhus.every((a) => a.owner === AARHUS)).toBe(true);
  });

  it('Aarhus can act on what moved; Aalborg is refused', async () => {
    const refused = await aalborgApi.post(`/v1/cases/${course.caseId}/assess-notification`, { outcome: 'support' });
    expect([refused.status, refused.body.code]).toEqual([403, 'NOT_RESPONSIBLE_MUNICIPALITY']);
    const assessed = await aarhusApi.post(`/v1/cases/${course.caseId}/assess-notification`, { outcome: 'support' });
    expect(assessed.status).toBe(200);
    const after = await queue(aarhusApi);
    expect(after.map(([m]) => m)).not.toContain('notification-assessment-1');
    expect(
      (await alerts(aarhusApi)).filter((a) => a.milestone === 'notification-assessment-1' && a.status !== 'resolved'),
    ).toEqual([]);
  });

  it("after the disclosure policy's 30 days Aalborg's access ends (its coordinator working for the clinic)", async () => {
    const other = new DecidedCourse(store, POLICIES, randomUUID());
    await other.run(T0, gp, {
      type: 'register-concern',
      data: {
        caseId: other.caseId,
        reference: 'MOVE30',
        cprRecorded: false,
        estimatedDueDate: '2027-05-31',
        municipality: '851',
        referrer: { kind: 'gp' },
        substances: ['alcohol'],
      },
    });
    await other.run(T0, aalborg, {
      type: 'assign-coordinator',
      data: { coordinator: { id: 'lis', name: 'Lis', organisation: 'clinic:1081' } },
    });
    await other.run(MOVE, aalborg, { type: 'transfer-municipality', data: { toMunicipality: '751' } });
    expect((await aalborgApi.get(`/v1/cases/${other.caseId}`)).status).toBe(200);
    // 30 days from Tuesday 24 November 11:00 Copenhagen: Thursday 24 December 11:00 (10:00Z).
    const until = '2026-12-24T10:00:00.000Z';
    const timer = pendingTimers(other.state, policyOf(other.state, POLICIES)).find((t) => t.kind === 'former-access');
    expect(timer?.fireAt).toBe(until);
    await other.run(until, engine, { type: 'fire-timer', data: { timer: timer?.id ?? '' } });
    expect((await aalborgApi.get(`/v1/cases/${other.caseId}`)).status).toBe(404);
    const [row] = await ds.query(`SELECT organisations FROM case_summaries WHERE case_id = $1`, [other.caseId]);
    expect(row.organisations).not.toContain(AALBORG);
    expect((await aarhusApi.get(`/v1/cases/${other.caseId}`)).status).toBe(200);
  });

  it('a rebuild of the projections gives the same owners', async () => {
    const snapshot = async () => ({
      milestones: await ds.query(
        `SELECT milestone, owner, status, due_at FROM milestones WHERE case_id = $1 ORDER BY milestone`,
        [course.caseId],
      ),
      alerts: await ds.query(`SELECT alert, owner, status FROM alerts WHERE case_id = $1 ORDER BY alert`, [
        course.caseId,
      ]),
      organisations: await ds.query(`SELECT case_id, organisations FROM case_summaries ORDER BY case_id`),
    });
    const before = await snapshot();
    expect(before.milestones.filter((m: { owner: string }) => m.owner === AARHUS).length).toBeGreaterThan(5);
    await rebuildProjections(ds, store, allProjections(POLICIES));
    expect(await snapshot()).toEqual(before);
    expect(await queue(aalborgApi)).toEqual([['move-handover-1', '2026-11-25T10:00:00.000Z']]);
  });
});
