import { randomBytes } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Clock, ConfigModule, type AppConfig } from '@app/config';
import type { Principal } from '@app/auth';
import { DomainError, MILESTONE_EVENT_TYPES, defaultPolicy } from '@app/pathway';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CasesModule } from '../cases.module';
import { ExecuteCaseCommand } from '../commands/execute-case-command/execute-case-command.command';
import { FireTimerCommand } from '../commands/fire-timer/fire-timer.command';
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
  cpr: '010190-1234',
};
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

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = {
      databaseUrl: db.url,
      dbPoolSize: 10,
      runMigrations: true,
      cprKey: randomBytes(32),
      policy: defaultPolicy(),
      timerHorizonMs: 600_000,
    } as AppConfig;
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), CasesModule] })
      .overrideProvider(Clock)
      .useValue({ now: () => NOW })
      .compile();
    app = await moduleRef.init();
    commands = app.get(CommandBus);
    queries = app.get(QueryBus);
    ds = app.get(DataSource);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('registers a case with the injected clock and an encrypted CPR number', async () => {
    const result = await commands.execute(new RegisterConcernCommand(gp, body));
    expect(result).toMatchObject({ status: 201, version: 1, replayed: false });
    const [row] = await ds.query('SELECT data, recorded_at FROM case_events WHERE stream_id = $1', [result.caseId]);
    expect(row.recorded_at.toISOString()).toBe(NOW.toISOString());
    expect(JSON.stringify(row.data)).not.toContain('1234');
    expect(row.data.encryptedCpr).toMatch(/^v1\./);
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
    const other = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          databaseUrl: db.url,
          dbPoolSize: 2,
          runMigrations: false,
          cprKey: randomBytes(32),
          policy: defaultPolicy(),
          timerHorizonMs: 600_000,
        } as AppConfig),
        CasesModule,
      ],
    })
      .overrideProvider(Clock)
      .useValue({ now: () => NOW })
      .compile();
    const instanceB = (await other.init()).get(CommandBus);
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
    const worker = async () =>
      (
        await Test.createTestingModule({
          imports: [
            ConfigModule.forRoot({
              databaseUrl: db.url,
              dbPoolSize: 2,
              runMigrations: false,
              cprKey: randomBytes(32),
              policy: defaultPolicy(),
              timerHorizonMs: 600_000,
            } as AppConfig),
            CasesModule,
          ],
        })
          .overrideProvider(Clock)
          .useValue({ now: () => now })
          .compile()
      ).init();
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

  describe('If-Match names the facts’ version: milestone events appended meanwhile do not make it a conflict', () => {
    // Two instances (an API and a worker, or two APIs), each with its own cache of case states, on
    // one database and one clock the test moves.
    let now = NOW;
    let api: INestApplicationContext;
    let worker: INestApplicationContext;
    const instance = async () =>
      (
        await Test.createTestingModule({
          imports: [
            ConfigModule.forRoot({
              databaseUrl: db.url,
              dbPoolSize: 2,
              runMigrations: false,
              cprKey: randomBytes(32),
              policy: defaultPolicy(),
              timerHorizonMs: 600_000,
            } as AppConfig),
            CasesModule,
          ],
        })
          .overrideProvider(Clock)
          .useValue({ now: () => now })
          .compile()
      ).init();
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
