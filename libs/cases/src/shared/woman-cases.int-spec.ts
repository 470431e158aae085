import { randomBytes } from 'node:crypto';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { INestApplicationContext } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Principal } from '@app/auth';
import { keyRingOf } from '@app/config';
import { parseCpr, type Cpr } from '@app/pathway';
import { createDataSource } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { casesContext } from '../testing/cases-context';
import { ExecuteCaseCommand } from '../commands/execute-case-command/execute-case-command.command';
import {
  RegisterConcernCommand,
  type RegisterConcernBody,
} from '../commands/register-concern/register-concern.command';
import { GetCaseQuery } from '../queries/get-case/get-case.query';
import { CprIndex } from './cpr-index';
import { CaseAlreadyOpenError } from './errors';
import { reindexCpr } from './reindex-cpr';

let now = new Date('2026-11-23T09:00:00Z');
const DAY = 86_400_000;
const ring = keyRingOf(randomBytes(32));
const indexKey = randomBytes(32);
const gp: Principal = { sub: 'dr-hansen', role: 'referrer', organisations: ['gp:hansen'] };
const otherGp: Principal = { sub: 'dr-berg', role: 'referrer', organisations: ['gp:berg'] };
/** The responsible municipality's caseworker: her identity in full in every case of Aalborg. */
const caseworker: Principal = { sub: 'mia', role: 'municipality', organisations: ['municipality:851'] };
const HER = '010190-1234';
const SOMEONE_ELSE = '020285-4322';
const body = (cpr?: string): RegisterConcernBody => ({
  estimatedDueDate: '2027-03-01',
  municipality: '851',
  referrer: { kind: 'gp' },
  substances: ['alcohol'],
  ...(cpr && { cpr }),
});

describe('one woman across several pregnancies, on PostgreSQL', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let app: INestApplicationContext;
  const register = (who: Principal, cpr?: string, idempotencyKey?: string) =>
    app.get(CommandBus).execute(new RegisterConcernCommand(who, body(cpr), { idempotencyKey }));
  const refusal = (who: Principal, cpr: string) =>
    register(who, cpr).then(
      () => null,
      (error: unknown) => error,
    );
  const view = async (who: Principal, caseId: string) =>
    (await app.get(QueryBus).execute(new GetCaseQuery(who, caseId))).view;
  // A reason that makes the open legal duty to notify moot (a close over it is refused otherwise).
  const close = (caseId: string) =>
    app
      .get(CommandBus)
      .execute(new ExecuteCaseCommand(caseworker, caseId, { type: 'close-case', data: { reason: 'moved-abroad' } }));
  const indexOf = (cpr: string) => new CprIndex(indexKey).of(parseCpr(cpr) as Cpr);
  const references = new Map<string, string>();
  const ref = (caseId: string) => references.get(caseId) as string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    app = await casesContext(
      { databaseUrl: db.url, runMigrations: true, cprKeys: ring, cprIndexKey: indexKey },
      () => now,
    );
  });
  afterAll(async () => {
    await app?.close();
    await ds?.destroy().catch(() => undefined);
    await db?.drop();
  });

  let first: string;
  it('stores the keyed index of her CPR beside the envelope, never the number', async () => {
    first = (await register(gp, HER)).caseId;
    const [row] = await ds.query(`SELECT cpr_index, encrypted_cpr FROM case_identities WHERE case_id = $1`, [first]);
    expect(row.cpr_index).toBe(indexOf(HER));
    expect(row.cpr_index).not.toBe(new CprIndex(randomBytes(32)).of(parseCpr(HER) as Cpr));
    expect(JSON.stringify(row)).not.toMatch(/0101901234|010190-1234/);
    references.set(first, (await view(caseworker, first)).reference as string);
  });

  it('refuses a second open case: with its reference to a caller who may see it, neutrally to anyone else', async () => {
    const own = await refusal(gp, HER);
    expect(own).toBeInstanceOf(CaseAlreadyOpenError);
    expect(own).toMatchObject({ code: 'CASE_ALREADY_OPEN', kind: 'conflict', details: { reference: ref(first) } });
    expect((own as Error).message).toContain(ref(first));

    // Another GP: the same refusal as for any open case she cannot see (another woman's too), no reference.
    const someoneElses = (await register(gp, SOMEONE_ELSE)).caseId;
    const neutral = [await refusal(otherGp, HER), await refusal(otherGp, SOMEONE_ELSE)];
    const blank = new CaseAlreadyOpenError(null);
    for (const r of neutral) {
      expect(r).toBeInstanceOf(CaseAlreadyOpenError);
      expect({ ...(r as CaseAlreadyOpenError), message: (r as Error).message }).toEqual({
        ...blank,
        message: blank.message,
      });
      expect(JSON.stringify(r) + (r as Error).message).not.toContain(ref(first));
    }
    await close(someoneElses);
  });

  it('answers a retried register-concern from its Idempotency-Key, not with the refusal of its own case', async () => {
    const woman = '030392-2468';
    const once = await register(gp, woman, 'key-1');
    const again = await register(gp, woman, 'key-1');
    expect(again).toMatchObject({ replayed: true, caseId: once.caseId, status: 201 });
    await expect(register(gp, woman, 'key-2')).rejects.toMatchObject({ code: 'CASE_ALREADY_OPEN' });
  });

  let second: string;
  let third: string;
  it('a closed earlier case does not block; the later case shows it to a caller shown her identity in both', async () => {
    now = new Date(now.getTime() + DAY);
    await close(first);
    now = new Date(now.getTime() + 30 * DAY);
    second = (await register(gp, HER)).caseId;
    const closedAt = new Date(now.getTime() - 30 * DAY).toISOString();
    expect((await view(caseworker, second)).earlierCases).toEqual([
      {
        reference: ref(first),
        detectedAt: expect.any(String),
        closedAt,
        closeReason: 'moved-abroad',
        stage: 'detected',
      },
    ]);
    // The GP is shown no identity (disclosure.v1.json): no link to a person either.
    expect(await view(gp, second)).not.toHaveProperty('earlierCases');
    // The first case has no earlier one.
    expect((await view(caseworker, first)).earlierCases).toEqual([]);

    // A third pregnancy, registered by another GP: she has no part in the earlier cases, so sees none.
    now = new Date(now.getTime() + DAY);
    await close(second);
    now = new Date(now.getTime() + DAY);
    third = (await register(otherGp, HER)).caseId;
    references.set(second, (await view(caseworker, second)).reference as string);
    expect((await view(caseworker, third)).earlierCases?.map((c) => c.reference)).toEqual([ref(first), ref(second)]);
  });

  /** Who holds her claim to an open case (docs/adr/0011): the case ids whose open_cpr_index is set, of these. */
  const claims = async (caseIds: string[]) =>
    (
      (await ds.query(
        `SELECT case_id FROM case_identities WHERE case_id = ANY($1::uuid[]) AND open_cpr_index = cpr_index`,
        [caseIds],
      )) as { case_id: string }[]
    ).map((r) => r.case_id);

  it('the open case holds her claim while open; migration 18 gives it to her earliest open case, and a woman with two open cases does not fail it', async () => {
    const woman = '040493-1234';
    const earlier = (await register(gp, woman)).caseId;
    expect(await claims([earlier])).toEqual([earlier]);
    // Two open cases of hers, as only data from before the claim could hold: the earlier one was not
    // indexed yet when the later one was registered.
    await ds.query(`UPDATE case_identities SET cpr_index = NULL, open_cpr_index = NULL WHERE case_id = $1`, [earlier]);
    now = new Date(now.getTime() + 1000);
    const later = (await register(otherGp, woman)).caseId;
    await ds.query(`UPDATE case_identities SET cpr_index = $2 WHERE case_id = $1`, [earlier, indexOf(woman)]);
    expect(await claims([earlier, later])).toEqual([later]);

    const migration = ds.migrations.find((m) => m.name === 'OneOpenCasePerWoman1763900000018');
    const runner = ds.createQueryRunner();
    try {
      await migration?.down?.(runner);
      await migration?.up(runner);
    } finally {
      await runner.release();
    }
    // The one registered first holds it; the later stays open without one, and still blocks a third.
    expect(await claims([earlier, later])).toEqual([earlier]);
    await expect(register(gp, woman)).rejects.toMatchObject({ code: 'CASE_ALREADY_OPEN' });
    // Closed, the earlier case gives up its claim. reindex-cpr gives it to her open case without one.
    await close(earlier);
    expect(await claims([earlier, later])).toEqual([]);
    await reindexCpr(ds, ring, indexKey);
    expect(await claims([earlier, later])).toEqual([later]);
    await close(later);
  });

  it('reindex-cpr fills in the cases stored without an index and re-indexes under a new key; a second run does nothing', async () => {
    await ds.query(`UPDATE case_identities SET cpr_index = NULL WHERE case_id = ANY($1::uuid[])`, [[first, second]]);
    // Until backfilled, the earlier cases are not found.
    expect((await view(caseworker, third)).earlierCases).toEqual([]);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM case_identities`);
    expect(await reindexCpr(ds, ring, indexKey)).toEqual({ total: n, indexed: 2, current: n - 2, failures: {} });
    expect((await view(caseworker, third)).earlierCases).toHaveLength(2);
    expect(await reindexCpr(ds, ring, indexKey, undefined, 2)).toEqual({
      total: n,
      indexed: 0,
      current: n,
      failures: {},
    });

    const newKey = randomBytes(32);
    expect(await reindexCpr(ds, ring, newKey, undefined, 2)).toEqual({
      total: n,
      indexed: n,
      current: 0,
      failures: {},
    });
    const [row] = await ds.query(`SELECT cpr_index FROM case_identities WHERE case_id = $1`, [first]);
    expect(row.cpr_index).toBe(new CprIndex(newKey).of(parseCpr(HER) as Cpr));
    // Her open case keeps its claim, under the new index; the closed ones hold none.
    expect(await claims([first, second, third])).toEqual([third]);
    // An envelope under a key the ring no longer holds is reported, and left as it was.
    expect(await reindexCpr(ds, keyRingOf(randomBytes(32), 'k9'), newKey)).toMatchObject({
      indexed: 0,
      failures: { 'key k0 is not in the key ring': n },
    });
  });
});
