import { randomBytes } from 'node:crypto';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { keyRingOf, type AppConfig } from '@app/config';
import type { Principal } from '@app/auth';
import { DomainError, MILESTONE_EVENT_TYPES, defaultPolicy } from '@app/pathway';
import { CPR_ENDING_1234 } from '@test/support/cpr';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { casesContext } from '../testing/cases-context';
import { ExecuteCaseCommand } from '../commands/execute-case-command/execute-case-command.command';
import { FireTimerCommand, FireTimersCommand } from '../commands/fire-timer/fire-timer.command';
import {
  RegisterConcernCommand,
  type RegisterConcernBody,
} from '../commands/register-concern/register-concern.command';
import { GetCaseQuery } from '../queries/get-case/get-case.query';
import { CaseNotFoundError, IdempotencyKeyReusedError, VersionConflictError } from './errors';

const gp: Principal = { sub: 'dr-hansen', role: 'referrer', organisations: ['gp:hansen'] };
const coordinator: Principal = { sub: 'alice', role: 'coordinator', organisations: ['municipality:851'] };
const stranger: Principal = { sub: 'ole', role: 'municipality', organisations: ['municipality:751'] };
const NOW = new Date('2026-11-23T09:00:00Z');
const body: RegisterConcernBody = {
  estimatedDueDate: '2027-03-01',
  municipality: '851',
  referrer: { kind: 'gp' },
  substances: ['alcohol'],
};
/** One woman has one open case at a time (CASE_ALREADY_OPEN): the other tests' cases have no CPR number. */
const withCpr: RegisterConcernBody = { ...body, cpr: '010190-1234' };
const meeting = { type: 'record-network-meeting' as const, data: {} };

describe('CaseWriter through the command bus, on PostgreSQL', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let commands: CommandBus;
  let queries: QueryBus;
  let ds: DataSource;
  /** Facts in the case's stream (milestone events left out). */
  const eventCount = async (caseId: string) =>
    Number(
      (
        await ds.query(`SELECT count(*) AS n FROM case_events WHERE stream_id = $1 AND type <> ALL($2::text[])`, [
          caseId,
          [...MILESTONE_EVENT_TYPES],
        ])
      )[0].n,
    );

  let config: AppConfig;
  /**
   * Another instance (an API or a worker) on the same database, configuration and keys, with its own
   * cache of case states, on the clock `now` reads.
   */
  const anotherInstance = (now: () => Date = () => NOW) =>
    casesContext({ ...config, dbPoolSize: 2, runMigrations: false }, now);

  beforeAll(async () => {
    db = await createTestDatabase();
    config = {
      databaseUrl: db.url,
      dbPoolSize: 10,
      runMigrations: true,
      cprKeys: keyRingOf(randomBytes(32)),
      cprIndexKey: randomBytes(32),
      policy: defaultPolicy(),
      timerHorizonMs: 600_000,
    } as AppConfig;
    app = await casesContext(config, () => NOW);
    commands = app.get(CommandBus);
    queries = app.get(QueryBus);
    ds = app.get(DataSource);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('registers a case with the injected clock and an encrypted CPR number', async () => {
    const result = await commands.execute(new RegisterConcernCommand(gp, withCpr));
    expect(result).toMatchObject({ status: 201, version: 1, replayed: false });
    const [row] = await ds.query('SELECT data, recorded_at FROM case_events WHERE stream_id = $1', [result.caseId]);
    expect(row.recorded_at.toISOString()).toBe(NOW.toISOString());
    expect(JSON.stringify(row.data)).not.toMatch(CPR_ENDING_1234);
    // The event says only that a CPR was recorded; its envelope, under the current key, is kept beside it.
    expect(row.data).toMatchObject({ cprRecorded: true });
    expect(row.data).not.toHaveProperty('encryptedCpr');
    const [identity] = await ds.query('SELECT encrypted_cpr FROM case_identities WHERE case_id = $1', [result.caseId]);
    expect(identity.encrypted_cpr).toMatch(/^v2\.k0\./);
    // In full to the responsible municipality's caseworkers; masked to the coordinator (disclosure policy).
    const caseworker: Principal = { sub: 'mia', role: 'municipality', organisations: ['municipality:851'] };
    expect((await queries.execute(new GetCaseQuery(caseworker, result.caseId))).view.cpr).toBe('010190-1234');
    expect((await queries.execute(new GetCaseQuery(coordinator, result.caseId))).view.cpr).toBe('010190-****');
  });

  it('replays an Idempotency-Key: the first response again, nothing appended; another body with the key is refused', async () => {
    const first = await commands.execute(new RegisterConcernCommand(gp, body, { idempotencyKey: 'reg-1' }));
    const again = await commands.execute(new RegisterConcernCommand(gp, body, { idempotencyKey: 'reg-1' }));
    expect(again).toEqual({ ...first, replayed: true, appended: 0 });
    expect(
      Number((await ds.query('SELECT count(*) AS n FROM case_summaries WHERE case_id = $1', [first.caseId]))[0].n),
    ).toBe(1);
    await expect(
      commands.execute(
        new RegisterConcernCommand(gp, { ...body, substances: ['cocaine'] }, { idempotencyKey: 'reg-1' }),
      ),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);

    const met = await commands.execute(
      new ExecuteCaseCommand(coordinator, first.caseId, meeting, { idempotencyKey: 'meet-1' }),
    );
    const replayed = await commands.execute(
      new ExecuteCaseCommand(coordinator, first.caseId, meeting, { idempotencyKey: 'meet-1' }),
    );
    expect(replayed.body).toEqual(met.body);
    expect(await eventCount(first.caseId)).toBe(2);
  });

  describe('an Idempotency-Key belongs to the subject acting for one organisation, and is looked up after the access check', () => {
    // One subject (one person, or one identity provider's id) with a token for each of two municipalities.
    const miaIn851: Principal = { sub: 'mia-two-places', role: 'municipality', organisations: ['municipality:851'] };
    const miaIn101: Principal = { sub: 'mia-two-places', role: 'municipality', organisations: ['municipality:101'] };
    const keyRows = async (key: string) =>
      ds.query(
        `SELECT organisation, stream_id FROM idempotency_keys WHERE principal = 'mia-two-places' AND key = $1 ORDER BY organisation`,
        [key],
      );

    it('another organisation’s case is not found, key or no key, and never answered from the stored response', async () => {
      const { caseId } = await commands.execute(new RegisterConcernCommand(gp, body));
      const first = await commands.execute(
        new ExecuteCaseCommand(miaIn851, caseId, meeting, { idempotencyKey: 'org-key' }),
      );
      expect(first).toMatchObject({ status: 200, replayed: false, caseId });

      // The same request, the same key: for 101 the case is one it has no part in.
      for (const command of [meeting, { type: 'record-network-meeting' as const, data: { note: 'other body' } }])
        await expect(
          commands.execute(new ExecuteCaseCommand(miaIn101, caseId, command, { idempotencyKey: 'org-key' })),
        ).rejects.toBeInstanceOf(CaseNotFoundError);
      // A role that may not send the command is refused as without the key, in her own organisation too.
      const auditor: Principal = { ...miaIn851, role: 'auditor' };
      await expect(
        commands.execute(new ExecuteCaseCommand(auditor, caseId, meeting, { idempotencyKey: 'org-key' })),
      ).rejects.toMatchObject({ code: 'ROLE_NOT_PERMITTED' });

      // In 101's own case the key is new: the command is decided afresh.
      const own = await commands.execute(new RegisterConcernCommand(gp, { ...body, municipality: '101' }));
      const fresh = await commands.execute(
        new ExecuteCaseCommand(miaIn101, own.caseId, meeting, { idempotencyKey: 'org-key' }),
      );
      expect(fresh).toMatchObject({ status: 200, replayed: false, caseId: own.caseId, version: 2 });
      expect(await eventCount(own.caseId)).toBe(2);

      // 851 replaying still gets its stored answer, and nothing was appended to its case.
      expect(
        await commands.execute(new ExecuteCaseCommand(miaIn851, caseId, meeting, { idempotencyKey: 'org-key' })),
      ).toEqual({ ...first, replayed: true, appended: 0 });
      expect(await eventCount(caseId)).toBe(2);
      expect(await keyRows('org-key')).toEqual([
        { organisation: 'municipality:101', stream_id: own.caseId },
        { organisation: 'municipality:851', stream_id: caseId },
      ]);
    });

    it('register-concern with one key in two organisations opens two cases; each replays its own', async () => {
      const in851 = await commands.execute(new RegisterConcernCommand(miaIn851, body, { idempotencyKey: 'reg-org' }));
      const in101 = await commands.execute(new RegisterConcernCommand(miaIn101, body, { idempotencyKey: 'reg-org' }));
      expect(in101.caseId).not.toBe(in851.caseId);
      expect(in101).toMatchObject({ status: 201, replayed: false, appended: expect.any(Number) });
      expect(await commands.execute(new RegisterConcernCommand(miaIn851, body, { idempotencyKey: 'reg-org' }))).toEqual(
        { ...in851, replayed: true, appended: 0 },
      );
      expect(await commands.execute(new RegisterConcernCommand(miaIn101, body, { idempotencyKey: 'reg-org' }))).toEqual(
        { ...in101, replayed: true, appended: 0 },
      );
      const registeredBy = async (caseId: string) =>
        (
          await ds.query(`SELECT data->>'registeredBy' AS by FROM case_events WHERE stream_id = $1 AND version = 1`, [
            caseId,
          ])
        )[0].by;
      expect([await registeredBy(in851.caseId), await registeredBy(in101.caseId)]).toEqual([
        'municipality:851',
        'municipality:101',
      ]);
      expect(await keyRows('reg-org')).toEqual([
        { organisation: 'municipality:101', stream_id: in101.caseId },
        { organisation: 'municipality:851', stream_id: in851.caseId },
      ]);
    });

    it('a subject of several organisations still finds her key when another of them has joined the case since', async () => {
      // Acting for 851 (751 has no part yet); then the case moves to 751, which is listed first, so acts from now on.
      const kim: Principal = {
        sub: 'kim',
        role: 'municipality',
        organisations: ['municipality:751', 'municipality:851'],
      };
      const { caseId } = await commands.execute(new RegisterConcernCommand(gp, body));
      const first = await commands.execute(new ExecuteCaseCommand(kim, caseId, meeting, { idempotencyKey: 'kim-1' }));
      await commands.execute(
        new ExecuteCaseCommand(miaIn851, caseId, { type: 'transfer-municipality', data: { toMunicipality: '751' } }),
      );
      const [{ organisation }] = await ds.query(
        `SELECT organisation FROM case_events WHERE stream_id = $1 AND type = 'NetworkMeetingRecorded'`,
        [caseId],
      );
      expect(organisation).toBe('municipality:851');
      expect(await commands.execute(new ExecuteCaseCommand(kim, caseId, meeting, { idempotencyKey: 'kim-1' }))).toEqual(
        { ...first, replayed: true, appended: 0 },
      );
      expect(await eventCount(caseId)).toBe(3);
    });

    it('a stale cached state that lacks the organisation holding the key: the refusal is confirmed on the stream, which replays', async () => {
      const other = await anotherInstance();
      const instanceB = other.get(CommandBus);
      try {
        const kim: Principal = {
          sub: 'kim-b',
          role: 'municipality',
          organisations: ['municipality:751', 'municipality:851'],
        };
        const { caseId } = await commands.execute(new RegisterConcernCommand(gp, body));
        await instanceB.execute(new ExecuteCaseCommand(coordinator, caseId, meeting)); // B caches the case without 751
        await commands.execute(
          new ExecuteCaseCommand(miaIn851, caseId, {
            type: 'transfer-municipality',
            data: { toMunicipality: '751' },
          }),
        );
        const acknowledge = new ExecuteCaseCommand(
          kim,
          caseId,
          { type: 'acknowledge-handoff', data: { handoffId: 'handoff-1' } },
          { idempotencyKey: 'kim-ack' },
        );
        const first = await commands.execute(acknowledge); // for 751, which has a part now
        // On B's cached state 751 has no part, the key is not found there and the hand-off does not exist;
        // on the stream the key is 751's, and the retry gets the first answer instead of a refusal.
        expect(await instanceB.execute(acknowledge)).toEqual({ ...first, replayed: true, appended: 0 });
        expect(await eventCount(caseId)).toBe(4);
      } finally {
        await other.close();
      }
    });
  });

  it('decides again after losing a race when no version was named, and reports the conflict when one was', async () => {
    const { caseId } = await commands.execute(new RegisterConcernCommand(gp, body));
    const results = await Promise.all(
      Array.from({ length: 8 }, () => commands.execute(new ExecuteCaseCommand(coordinator, caseId, meeting))),
    );
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    const meetings = await ds.query(
      `SELECT data->>'meetingNumber' AS n FROM case_events WHERE stream_id = $1 AND type = 'NetworkMeetingRecorded' ORDER BY version`,
      [caseId],
    );
    expect(meetings.map((m: { n: string }) => Number(m.n))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    const pinned = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        commands.execute(new ExecuteCaseCommand(coordinator, caseId, meeting, { expectedVersion: 9 })),
      ),
    );
    expect(pinned.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const conflicts = pinned.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    expect(conflicts).toHaveLength(4);
    for (const c of conflicts) expect(c).toBeInstanceOf(VersionConflictError);
    expect(conflicts[0].currentVersion).toBe(10);
  });

  it('confirms a refusal decided on a cached state against PostgreSQL: another instance may have written since', async () => {
    // A second application context: another API instance, with its own cache of case states.
    const other = await anotherInstance();
    const instanceB = other.get(CommandBus);
    try {
      const municipality = { sub: 'mia', role: 'municipality' as const, organisations: ['municipality:851'] };
      const aarhus = { sub: 'ole', role: 'municipality' as const, organisations: ['municipality:751'] };
      const { caseId } = await commands.execute(new RegisterConcernCommand(gp, body));
      await commands.execute(new ExecuteCaseCommand(coordinator, caseId, meeting)); // this instance caches version 2

      // A version mismatch: the client read version 3, written by the other instance.
      await instanceB.execute(new ExecuteCaseCommand(coordinator, caseId, meeting));
      expect(
        (await commands.execute(new ExecuteCaseCommand(coordinator, caseId, meeting, { expectedVersion: 3 }))).version,
      ).toBe(4);

      // Not a party: Aarhus became one on the other instance (transfer, version 5).
      await instanceB.execute(
        new ExecuteCaseCommand(municipality, caseId, {
          type: 'transfer-municipality',
          data: { toMunicipality: '751' },
        }),
      );
      expect(
        (
          await commands.execute(
            new ExecuteCaseCommand(aarhus, caseId, { type: 'acknowledge-handoff', data: { handoffId: 'handoff-1' } }),
          )
        ).version,
      ).toBe(6);

      // A domain rule: contact was lost on the other instance (version 7); restoring it here is allowed.
      await instanceB.execute(new ExecuteCaseCommand(coordinator, caseId, { type: 'record-lost-contact', data: {} }));
      expect(
        (
          await commands.execute(
            new ExecuteCaseCommand(coordinator, caseId, { type: 'record-contact-restored', data: {} }),
          )
        ).version,
      ).toBe(8);
    } finally {
      await other.close();
    }
  });

  it('confirms "nothing to do" decided on a cached state: the next ladder step, made pending by another worker, still fires', async () => {
    // Two workers, each with its own cache, on one clock the test moves.
    let now = NOW;
    const worker = () => anotherInstance(() => now);
    const [a, b] = await Promise.all([worker(), worker()]);
    try {
      const { caseId } = await a.get(CommandBus).execute(new RegisterConcernCommand(gp, body)); // a caches the registration
      const pending = async () =>
        (
          await ds.query(
            `SELECT timer, fire_at FROM pending_timers WHERE case_id = $1 AND timer LIKE 'coordinator-assignment-1.%'`,
            [caseId],
          )
        )[0] as { timer: string; fire_at: Date };
      const warning = await pending();
      now = new Date(warning.fire_at.getTime() + 1);
      expect((await b.get(CommandBus).execute(new FireTimerCommand(caseId, warning.timer, 'job-1'))).appended).toBe(1);

      // In a's cached state the warning is still the pending step: the breach's timer is not pending there.
      const breach = await pending();
      expect(breach.timer).not.toBe(warning.timer);
      now = new Date(breach.fire_at.getTime() + 1);
      expect((await a.get(CommandBus).execute(new FireTimerCommand(caseId, breach.timer, 'job-2'))).appended).toBe(1);
      const [fired] = await ds.query(
        `SELECT count(*) AS n FROM milestone_ladder_fired WHERE case_id = $1 AND milestone = 'coordinator-assignment-1'`,
        [caseId],
      );
      expect(Number(fired.n)).toBe(2);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('fires timers of several cases as one batch, and decides again alone the one another worker fired first', async () => {
    let now = NOW;
    const [a, b] = await Promise.all([anotherInstance(() => now), anotherInstance(() => now)]);
    try {
      const caseIds: string[] = [];
      for (let i = 0; i < 3; i++)
        caseIds.push((await a.get(CommandBus).execute(new RegisterConcernCommand(gp, body))).caseId); // cached in a
      const warningOf = async (caseId: string) =>
        (
          await ds.query(
            `SELECT timer, fire_at FROM pending_timers WHERE case_id = $1 AND timer LIKE 'coordinator-assignment-1.%'`,
            [caseId],
          )
        )[0] as { timer: string; fire_at: Date };
      const warnings = await Promise.all(caseIds.map(warningOf));
      now = new Date(Math.max(...warnings.map((w) => w.fire_at.getTime())) + 1);
      // b fires the third case's warning: a's cached state of it is stale, so the batch's append of it conflicts.
      expect(
        (await b.get(CommandBus).execute(new FireTimerCommand(caseIds[2], warnings[2].timer, 'job-b'))).appended,
      ).toBe(1);

      const batch = caseIds.map((caseId, i) => new FireTimerCommand(caseId, warnings[i].timer, `job-${i}`));
      const outcomes = await a.get(CommandBus).execute(new FireTimersCommand(batch));
      expect(outcomes.map((o) => o.status === 'fulfilled' && o.value.appended)).toEqual([1, 1, 0]);
      const fired = await ds.query(
        `SELECT case_id, count(*)::int AS n FROM milestone_ladder_fired WHERE case_id = ANY($1::uuid[]) GROUP BY case_id`,
        [caseIds],
      );
      expect(fired.map((r: { n: number }) => r.n)).toEqual([1, 1, 1]);
      const causes = await ds.query(
        `SELECT stream_id, causation_id FROM case_events WHERE stream_id = ANY($1::uuid[]) AND type = 'MilestoneWarned'`,
        [caseIds],
      );
      expect(
        Object.fromEntries(
          causes.map((r: { stream_id: string; causation_id: string }) => [r.stream_id, r.causation_id]),
        ),
      ).toEqual({
        [caseIds[0]]: 'job-0',
        [caseIds[1]]: 'job-1',
        [caseIds[2]]: 'job-b',
      });

      // A worker with nothing cached reads the streams in one query; firing again finds nothing left to do.
      const breaches = await Promise.all(caseIds.slice(0, 2).map(warningOf));
      now = new Date(Math.max(...breaches.map((w) => w.fire_at.getTime())) + 1);
      const c = await anotherInstance(() => now);
      try {
        const again = caseIds
          .slice(0, 2)
          .map((caseId, i) => new FireTimerCommand(caseId, breaches[i].timer, `job-c${i}`));
        const first = await c.get(CommandBus).execute(new FireTimersCommand(again));
        expect(first.map((o) => o.status === 'fulfilled' && o.value.appended)).toEqual([1, 1]);
        // Each case's fired timer left its pending timers, and only that one.
        const pending = async (caseId: string) =>
          (await ds.query(`SELECT timer FROM pending_timers WHERE case_id = $1 ORDER BY timer`, [caseId])).map(
            (r: { timer: string }) => r.timer,
          );
        for (const [i, caseId] of caseIds.slice(0, 2).entries()) {
          const left = await pending(caseId);
          expect(left).not.toContain(breaches[i].timer);
          expect(left.length).toBeGreaterThan(0);
        }
        const second = await c.get(CommandBus).execute(new FireTimersCommand(again));
        expect(second.map((o) => o.status === 'fulfilled' && o.value.appended)).toEqual([0, 0]);
      } finally {
        await c.close();
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  describe('If-Match names the facts’ version: milestone events appended meanwhile do not make it a conflict', () => {
    // Two instances (an API and a worker, or two APIs), each with its own cache of case states, on
    // one database and one clock the test moves.
    let now = NOW;
    let api: INestApplicationContext;
    let worker: INestApplicationContext;
    const instance = () => anotherInstance(() => now);
    beforeAll(async () => {
      [api, worker] = await Promise.all([instance(), instance()]);
    });
    afterAll(async () => {
      await Promise.all([api?.close(), worker?.close()]);
    });

    /** Registers a case on the API instance (which caches it at fact version 1) and fires its first warning on the worker. */
    const registeredThenWarned = async () => {
      now = NOW;
      const { caseId } = await api.get(CommandBus).execute(new RegisterConcernCommand(gp, body));
      const [warning] = await ds.query(
        `SELECT timer, fire_at FROM pending_timers WHERE case_id = $1 AND timer LIKE 'coordinator-assignment-1.%'`,
        [caseId],
      );
      now = new Date((warning.fire_at as Date).getTime() + 1);
      const fired = await worker.get(CommandBus).execute(new FireTimerCommand(caseId, warning.timer, 'job-warn'));
      expect(fired).toMatchObject({ appended: 1, version: 1 });
      return caseId as string;
    };
    const streamTypes = async (caseId: string) =>
      (await ds.query(`SELECT type FROM case_events WHERE stream_id = $1 ORDER BY version`, [caseId])).map(
        (r: { type: string }) => r.type,
      );

    it('decides again on the fresh stream when only a warning was appended since the state it decided on', async () => {
      const caseId = await registeredThenWarned();
      const command = new ExecuteCaseCommand(coordinator, caseId, meeting, {
        expectedVersion: 1,
        idempotencyKey: 'meet-after-warning',
      });
      const result = await api.get(CommandBus).execute(command);
      expect(result).toMatchObject({ status: 200, version: 2, replayed: false });
      const types = await streamTypes(caseId);
      expect(types.indexOf('MilestoneWarned')).toBeGreaterThan(-1);
      expect(types.indexOf('NetworkMeetingRecorded')).toBeGreaterThan(types.indexOf('MilestoneWarned'));
      expect(await eventCount(caseId)).toBe(2);

      // The Idempotency-Key remembers the answer of the attempt that was appended.
      const replayed = await api.get(CommandBus).execute(command);
      expect(replayed).toEqual({ ...result, replayed: true, appended: 0 });
      expect(await eventCount(caseId)).toBe(2);
    });

    it('still refuses a stale If-Match with VERSION_CONFLICT when a fact was recorded since, warning or not', async () => {
      const caseId = await registeredThenWarned();
      await worker.get(CommandBus).execute(new ExecuteCaseCommand(coordinator, caseId, meeting)); // fact version 2

      const stale = api
        .get(CommandBus)
        .execute(new ExecuteCaseCommand(coordinator, caseId, meeting, { expectedVersion: 1 }));
      await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
      await expect(stale).rejects.toMatchObject({
        code: 'VERSION_CONFLICT',
        message: 'the case is at version 2; re-read it and decide again',
        currentVersion: 2,
      });
      expect(await eventCount(caseId)).toBe(2);

      const current = await api
        .get(CommandBus)
        .execute(new ExecuteCaseCommand(coordinator, caseId, meeting, { expectedVersion: 2 }));
      expect(current.version).toBe(3);
    });
  });

  it('hides a case from organisations without a part in it, and refuses with domain codes', async () => {
    const { caseId } = await commands.execute(new RegisterConcernCommand(gp, body));
    await expect(commands.execute(new ExecuteCaseCommand(stranger, caseId, meeting))).rejects.toBeInstanceOf(
      CaseNotFoundError,
    );
    await expect(queries.execute(new GetCaseQuery(stranger, caseId))).rejects.toBeInstanceOf(CaseNotFoundError);
    const refusal = commands.execute(
      new ExecuteCaseCommand(coordinator, caseId, { type: 'record-contact-restored', data: {} }),
    );
    await expect(refusal).rejects.toBeInstanceOf(DomainError);
    await expect(refusal).rejects.toMatchObject({ code: 'CONTACT_NOT_LOST' });
    expect(await eventCount(caseId)).toBe(1);
  });
});
