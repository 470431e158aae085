import { randomBytes } from 'node:crypto';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { INestApplicationContext } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Principal } from '@app/auth';
import { keyRingOf } from '@app/config';
import { createDataSource } from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { casesContext } from '../testing/cases-context';
import {
  RegisterConcernCommand,
  type RegisterConcernBody,
} from '../commands/register-concern/register-concern.command';
import { ListCasesQuery } from '../queries/list-cases/list-cases.query';
import { CprCipher } from './cpr-cipher';
import { NameIndex } from './name-index';
import { reindexCpr, reindexNames } from './reindex-cpr';

const NOW = new Date('2026-11-23T09:00:00Z');
const ring = keyRingOf(randomBytes(32));
const indexKey = randomBytes(32);
const gp: Principal = { sub: 'dr-hansen', role: 'referrer', organisations: ['gp:hansen'] };
const caseworker: Principal = { sub: 'mia', role: 'municipality', organisations: ['municipality:851'] };
const body = (name?: string): RegisterConcernBody => ({
  estimatedDueDate: '2027-03-01',
  municipality: '851',
  referrer: { kind: 'gp' },
  substances: ['alcohol'],
  ...(name && { name }),
});

describe('the blind index of her name, on PostgreSQL', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const cases: Record<string, string> = {};

  const tokens = async (caseId: string) =>
    (
      (await ds.query(`SELECT token_hmac FROM case_name_tokens WHERE case_id = $1 ORDER BY token_hmac`, [caseId])) as {
        token_hmac: string;
      }[]
    ).map((r) => r.token_hmac);
  const search = async (app: INestApplicationContext, q: string) =>
    (
      await app.get(QueryBus).execute(new ListCasesQuery(caseworker, { query: q, allowIdentity: true, limit: 50 }))
    ).items.map((c) => c.id);
  const service = (key: Buffer) =>
    casesContext({ databaseUrl: db.url, runMigrations: true, cprKeys: ring, cprIndexKey: key }, () => NOW);

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    const app = await service(indexKey);
    try {
      for (const name of ['Anna Marie Jensen', 'Søs Ærø-Åberg', '']) {
        const { caseId } = await app.get(CommandBus).execute(new RegisterConcernCommand(gp, body(name || undefined)));
        cases[name] = caseId as string;
      }
    } finally {
      await app.close();
    }
  });
  afterAll(async () => {
    await ds?.destroy().catch(() => undefined);
    await db?.drop();
  });

  it('stores one keyed index per word of her name beside its envelope; a case without a name has neither', async () => {
    expect(await tokens(cases['Anna Marie Jensen'])).toEqual(new NameIndex(indexKey).of('anna marie jensen').sort());
    expect(await tokens(cases['Søs Ærø-Åberg'])).toEqual(new NameIndex(indexKey).of('søs ærø åberg').sort());
    expect(await tokens(cases[''])).toEqual([]);
    const rows = (await ds.query(`SELECT case_id, encrypted_cpr, encrypted_name FROM case_identities`)) as {
      case_id: string;
      encrypted_cpr: string | null;
      encrypted_name: string;
    }[];
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.encrypted_cpr).toBeNull();
      expect(new CprCipher(ring).decryptName(row.encrypted_name)).toBe(
        Object.keys(cases).find((n) => cases[n] === row.case_id),
      );
    }
  });

  it('reindex-cpr rebuilds the words under a new index key (the CPR index leaves them alone); a second run does nothing', async () => {
    const newKey = randomBytes(32);
    // A case with a name and no CPR number is no CPR to index, and no failure.
    expect(await reindexCpr(ds, ring, newKey)).toEqual({ total: 0, indexed: 0, current: 0, failures: {} });
    const app = await service(newKey);
    try {
      // Under the new key, until re-indexed, her name finds nothing.
      expect(await search(app, 'Anna Jensen')).toEqual([]);
      expect(await reindexNames(ds, ring, newKey, undefined, 1)).toEqual({
        total: 2,
        indexed: 2,
        current: 0,
        failures: {},
      });
      expect(await search(app, 'Anna Jensen')).toEqual([cases['Anna Marie Jensen']]);
      expect(await search(app, 'ÅBERG')).toEqual([cases['Søs Ærø-Åberg']]);
    } finally {
      await app.close();
    }
    expect(await tokens(cases['Anna Marie Jensen'])).toEqual(new NameIndex(newKey).of('Anna Marie Jensen').sort());
    expect(await reindexNames(ds, ring, newKey)).toEqual({ total: 2, indexed: 0, current: 2, failures: {} });
    // A name under a key the ring no longer holds is reported, and its words left as they were.
    const before = await tokens(cases['Anna Marie Jensen']);
    expect(await reindexNames(ds, keyRingOf(randomBytes(32), 'k9'), randomBytes(32))).toMatchObject({
      indexed: 0,
      failures: { 'key k0 is not in the key ring': 2 },
    });
    expect(await tokens(cases['Anna Marie Jensen'])).toEqual(before);
  });
});
