import { randomUUID } from 'node:crypto';
import {
  decide,
  fold,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type OpenCase,
  shippedPolicyRegistry,
} from '@app/pathway';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { EventStore } from '../event-store/event-store';
import { allProjections } from '../persistence.module';
import { runRequestedRebuild } from './requested-rebuild';

const POLICIES = shippedPolicyRegistry();
const PROJECTIONS = allProjections(POLICIES);
const gp = { id: 'dr-hansen', role: 'referrer' as const, organisation: 'gp:hansen' };
const engine = { id: 'engine', role: 'system' as const, organisation: 'pathway:engine' };

describe('a rebuild a migration requested (alerts for cases already under way)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let store: EventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    store = new EventStore(ds, PROJECTIONS);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  /** Decides and appends a command, as the CaseWriter would. */
  async function run(
    caseId: string,
    history: CaseEvent[],
    command: CaseCommand,
    actor: typeof gp | typeof engine,
    now: Date,
  ): Promise<CaseEvent[]> {
    const state: CaseState = fold(history);
    const decision = decide(state, command, { actor, now, policies: POLICIES });
    if (!decision.ok) throw decision.error;
    await store.append({
      streamId: caseId,
      expectedVersion: state.version,
      events: decision.events,
      recordedAt: now,
      before: state,
      state: fold(decision.events, state) as OpenCase,
      outbox: [],
      metadata: {
        actorId: actor.id,
        actorRole: actor.role,
        organisation: actor.organisation,
        correlationId: 'c',
        causationId: 'c',
        idempotencyKey: null,
      },
    });
    return [...history, ...decision.events];
  }

  it('derives the alerts and their re-send timers of recorded ladder events, once, and forgets the request', async () => {
    const caseId = randomUUID();
    const registeredAt = new Date('2026-11-23T09:00:00.000Z');
    let history = await run(
      caseId,
      [],
      {
        type: 'register-concern',
        data: {
          caseId,
          reference: 'K7F3QX',
          cprRecorded: false,
          estimatedDueDate: '2027-03-01',
          municipality: '851',
          referrer: { kind: 'gp' },
          substances: ['alcohol'],
        },
      },
      gp,
      registeredAt,
    );
    // municipality-notification-1 (1 working day) warns at 03:00Z and breaches at 09:00Z on Tuesday 24 Nov.
    history = await run(
      caseId,
      history,
      { type: 'fire-timer', data: { timer: 'municipality-notification-1.warning.g1' } },
      engine,
      new Date('2026-11-24T03:00:00.000Z'),
    );
    history = await run(
      caseId,
      history,
      { type: 'fire-timer', data: { timer: 'municipality-notification-1.breach.g1' } },
      engine,
      new Date('2026-11-24T09:00:00.000Z'),
    );
    expect(history.map((e) => e.type)).toContain('MilestoneBreached');

    // As an installation before alerts existed: no alert rows, no re-send timers, and the migration's request.
    await ds.query(`DELETE FROM alerts`);
    await ds.query(`DELETE FROM pending_timers WHERE kind = 'alert-resend'`);
    await ds.query(`INSERT INTO projection_rebuild_requests (reason) VALUES ('alerts')`);

    const done = await runRequestedRebuild(ds, store, PROJECTIONS);
    expect(done).toMatchObject({ reasons: ['alerts'], progress: { cases: 1 } });
    const alerts = await ds.query(`SELECT alert, severity, status FROM alerts WHERE case_id = $1 ORDER BY alert`, [
      caseId,
    ]);
    expect(alerts).toEqual([
      { alert: 'municipality-notification-1.breach', severity: 'high', status: 'open' },
      { alert: 'municipality-notification-1.warning', severity: 'info', status: 'open' },
    ]);
    const resend = await ds.query(
      `SELECT timer, fire_at FROM pending_timers WHERE case_id = $1 AND kind = 'alert-resend'`,
      [caseId],
    );
    expect(resend).toEqual([
      { timer: 'alert.municipality-notification-1.breach.r1', fire_at: new Date('2026-11-24T13:00:00.000Z') },
    ]);
    expect(await ds.query(`SELECT * FROM projection_rebuild_requests`)).toEqual([]);

    expect(await runRequestedRebuild(ds, store, PROJECTIONS)).toBeNull();
  });
});
