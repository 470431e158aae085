import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { INestApplicationContext } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SecretBox } from '@app/alerts';
import type { Principal } from '@app/auth';
import { keyRingOf, type KeyRing } from '@app/config';
import { defaultPolicy, parseCpr, type CaseEvent, type Cpr } from '@app/pathway';
import {
  EventStore,
  LivePolicyRegistry,
  PolicyStore,
  allProjections,
  createDataSource,
  rebuildProjections,
  verifyChains,
  type EventMetadata,
} from '@app/persistence';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { casesContext } from '../testing/cases-context';
import {
  RegisterConcernCommand,
  type RegisterConcernBody,
} from '../commands/register-concern/register-concern.command';
import { GetCaseQuery } from '../queries/get-case/get-case.query';
import { CprCipher } from './cpr-cipher';
import { rotateCprKey, type RotationReport } from './rotate-cpr-key';

const NOW = new Date('2026-11-23T09:00:00Z');
const gp: Principal = { sub: 'dr-hansen', role: 'referrer', organisations: ['gp:hansen'] };
/** The responsible municipality's caseworker: reads the full CPR. */
const caseworker: Principal = { sub: 'mia', role: 'municipality', organisations: ['municipality:851'] };
const keyA = randomBytes(32);
const keyB = randomBytes(32);
/** Before: the single CPR_ENCRYPTION_KEY of today's deployments (id k0). */
const ringA = keyRingOf(keyA);
/** During: CPR_ENCRYPTION_KEYS=k1:B with CPR_ENCRYPTION_KEY still set, CPR_ENCRYPTION_KEY_ID=k1. */
const ringAB: KeyRing = {
  currentKeyId: 'k1',
  keys: new Map([
    ['k0', keyA],
    ['k1', keyB],
  ]),
};
/** After: CPR_ENCRYPTION_KEY removed. */
const ringB = keyRingOf(keyB, 'k1');

const CPRS = ['010190-1234', '020285-4321', '151199-2468'];
/** Her name, given with two of the CPR numbers. */
const NAMES: Record<string, string> = { '010190-1234': 'Anna Marie Jensen', '151199-2468': 'Søs Ærø-Åberg' };
/** A case with her name and no CPR number. */
const NAME_ONLY = 'Karen Blixen';
const body = (cpr?: string, name?: string): RegisterConcernBody => ({
  estimatedDueDate: '2027-03-01',
  municipality: '851',
  referrer: { kind: 'gp' },
  substances: ['alcohol'],
  ...(cpr && { cpr }),
  ...(name && { name }),
});

function service(db: TestDatabase, ring: KeyRing): Promise<INestApplicationContext> {
  return casesContext(
    { databaseUrl: db.url, cprKeys: ring, cprIndexKey: Buffer.from(keyB.map((b) => b ^ 0xff)) },
    () => NOW,
  );
}

/** A `v1` envelope as CprCipher wrote them before key ids, with the legacy key. */
function legacyEnvelope(digits: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyA, iv);
  const ct = Buffer.concat([cipher.update(digits, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ct].map((f) => (f as Buffer | string).toString('base64url')).join('.');
}

describe('rotate-cpr-key on PostgreSQL: from key A to key B, then without A', () => {
  let db: TestDatabase;
  let ds: DataSource;
  /** Case id → the CPR it was registered with (null: none). */
  const cases = new Map<string, string | null>();
  /** Case id → her name (null: none). */
  const names = new Map<string, string | null>();
  const legacyCaseId = randomUUID();
  let legacyEventData: unknown;
  let webhook: { id: string; secret: string };

  const readCpr = async (app: INestApplicationContext, caseId: string) => {
    const { view } = await app.get(QueryBus).execute(new GetCaseQuery(caseworker, caseId));
    return { cpr: view.cpr as string | null, hasCpr: view.hasCpr as boolean, name: view.name as string | null };
  };
  const expectEveryCprReads = async (app: INestApplicationContext) => {
    for (const [caseId, cpr] of cases)
      expect({ caseId, ...(await readCpr(app, caseId)) }).toEqual({
        caseId,
        cpr,
        hasCpr: cpr !== null,
        name: names.get(caseId) ?? null,
      });
  };
  const envelopes = async () =>
    (
      (await ds.query(`SELECT encrypted_cpr FROM case_identities WHERE encrypted_cpr IS NOT NULL`)) as {
        encrypted_cpr: string;
      }[]
    ).map((r) => r.encrypted_cpr);
  const nameEnvelopes = async () =>
    (
      (await ds.query(`SELECT encrypted_name FROM case_identities WHERE encrypted_name IS NOT NULL`)) as {
        encrypted_name: string;
      }[]
    ).map((r) => r.encrypted_name);
  /** What `npm run rebuild-projections` runs. */
  const rebuild = async () => {
    const policies = new LivePolicyRegistry(defaultPolicy(), new PolicyStore(ds));
    await policies.refresh();
    const projections = allProjections(policies);
    return rebuildProjections(ds, new EventStore(ds, projections), projections);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    const app = await service(db, ringA);
    try {
      // A case recorded before the identity table: its event carries a v1 envelope under the legacy key.
      const metadata: EventMetadata = {
        actorId: 'dr-hansen',
        actorRole: 'referrer',
        organisation: 'gp:hansen',
        correlationId: 'legacy',
        causationId: 'legacy',
        idempotencyKey: null,
      };
      const registered = {
        type: 'ConcernRegistered',
        data: {
          occurredAt: NOW.toISOString(),
          caseId: legacyCaseId,
          reference: 'LEGACY01',
          registeredBy: 'gp:hansen',
          referrer: { kind: 'gp' },
          municipality: '851',
          estimatedDueDate: '2027-03-01',
          substances: ['alcohol'],
          encryptedCpr: legacyEnvelope('0304871234'),
          policy: { name: 'pregnancy-substance-use', version: 1 },
        },
      } as unknown as CaseEvent;
      legacyEventData = registered.data;
      await app
        .get(EventStore)
        .importStreams([{ streamId: legacyCaseId, events: [{ ...registered, metadata, recordedAt: NOW }] }]);
      cases.set(legacyCaseId, '030487-1234');
      // The migration copies the envelope of such events into case_identities (run again here: the
      // template database was migrated before this case existed).
      const migration = ds.migrations.find((m) => m.name === 'CaseIdentities1763900000013');
      const cprIndex = ds.migrations.find((m) => m.name === 'CprIndex1763900000015');
      const openCase = ds.migrations.find((m) => m.name === 'OneOpenCasePerWoman1763900000018');
      const caseNames = ds.migrations.find((m) => m.name === 'CaseNames1763900000022');
      const runner = ds.createQueryRunner();
      try {
        await caseNames?.down?.(runner);
        await migration?.down?.(runner);
        await migration?.up(runner);
        await cprIndex?.up(runner);
        await openCase?.up(runner);
        await caseNames?.up(runner);
      } finally {
        await runner.release();
      }
      // Cases registered today, under key A, two with her name, one without a CPR, one with only her name.
      for (const [cpr, name] of [...CPRS.map((c) => [c, NAMES[c]]), [undefined, undefined], [undefined, NAME_ONLY]]) {
        const { caseId } = await app.get(CommandBus).execute(new RegisterConcernCommand(gp, body(cpr, name)));
        cases.set(caseId, cpr ?? null);
        names.set(caseId, name ?? null);
      }
      await rebuild();
      // A webhook subscription, its signing secret sealed as WebhookStore seals it.
      webhook = { id: randomUUID(), secret: `whsec_${randomBytes(24).toString('base64url')}` };
      await ds.query(
        `INSERT INTO webhook_subscriptions (id, organisation, url, secret, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          webhook.id,
          'municipality:851',
          'https://receiver.example/hook',
          new SecretBox(ringA).seal(webhook.secret),
          'alice',
          NOW,
        ],
      );
      await expectEveryCprReads(app);
    } finally {
      await app.close();
    }
  });
  afterAll(async () => {
    await ds?.destroy().catch(() => undefined);
    await db?.drop();
  });

  let first: RotationReport;
  let chainBefore: Awaited<ReturnType<typeof verifyChains>>;

  it('re-encrypts every CPR number, name and webhook secret under key B, and names A as removable', async () => {
    chainBefore = await verifyChains(ds);
    expect(chainBefore).toMatchObject({ ok: true, breakCount: 0 });
    const keyIds = (await envelopes()).map((e) => new CprCipher(ringA).keyIdOf(e));
    expect(keyIds).toEqual(['k0', 'k0', 'k0', 'k0']);
    expect((await nameEnvelopes()).map((e) => new CprCipher(ringA).keyIdOf(e))).toEqual(['k0', 'k0', 'k0']);
    expect((await envelopes()).filter((e) => e.startsWith('v1.'))).toHaveLength(1); // the legacy case's

    const seen: string[] = [];
    first = await rotateCprKey(ds, ringAB, (target, p) => seen.push(`${target} ${p.done}/${p.total}`));
    expect(first).toEqual({
      currentKeyId: 'k1',
      targets: {
        'CPR numbers': { total: 4, done: 4, rotated: 4, alreadyCurrent: 0, failed: 0 },
        names: { total: 3, done: 3, rotated: 3, alreadyCurrent: 0, failed: 0 },
        'webhook secrets': { total: 1, done: 1, rotated: 1, alreadyCurrent: 0, failed: 0 },
      },
      failures: {},
      removableKeyIds: ['k0'],
    });
    expect(seen).toEqual(
      expect.arrayContaining(['CPR numbers 0/4', 'CPR numbers 4/4', 'names 3/3', 'webhook secrets 1/1']),
    );
    for (const envelope of await envelopes()) expect(envelope.startsWith('v2.k1.')).toBe(true);
    expect(await nameEnvelopes()).toEqual([
      expect.stringMatching(/^v2\.k1\./),
      expect.stringMatching(/^v2\.k1\./),
      expect.stringMatching(/^v2\.k1\./),
    ]);
  });

  it('with key A removed from the ring: every full CPR reads, before and after a rebuild of the projections', async () => {
    const app = await service(db, ringB);
    try {
      await expectEveryCprReads(app);
      const rebuilt = await rebuild();
      expect(rebuilt.cases).toBe(cases.size);
      await expectEveryCprReads(app);
    } finally {
      await app.close();
    }
  });

  it('with key A removed: the webhook secret opens, the chain still verifies and the old event is untouched', async () => {
    const [{ secret }] = await ds.query(`SELECT secret FROM webhook_subscriptions WHERE id = $1`, [webhook.id]);
    expect(new SecretBox(ringB).open(secret)).toBe(webhook.secret);
    expect(await verifyChains(ds)).toEqual(chainBefore);
    const [legacy] = await ds.query(`SELECT data FROM case_events WHERE stream_id = $1 AND version = 1`, [
      legacyCaseId,
    ]);
    expect(legacy.data).toEqual(legacyEventData);
    // The events of today's cases never held an envelope: only that a CPR was recorded.
    const rows = (await ds.query(`SELECT data FROM case_events WHERE type = 'ConcernRegistered' AND stream_id <> $1`, [
      legacyCaseId,
    ])) as { data: Record<string, unknown> }[];
    expect(rows.map((r) => [r.data.cprRecorded, 'encryptedCpr' in r.data])).toEqual(
      expect.arrayContaining([
        [true, false],
        [false, false],
      ]),
    );
    // Nor her name: only that it was recorded.
    expect(rows.filter((r) => r.data.nameRecorded === true)).toHaveLength(3);
    const events = JSON.stringify(await ds.query(`SELECT * FROM case_events`));
    for (const name of [...Object.values(NAMES), NAME_ONLY])
      for (const word of name.split(/[ -]/)) expect(events).not.toContain(word);
  });

  it('a second run changes nothing', async () => {
    const before = await envelopes();
    const again = await rotateCprKey(ds, ringB);
    expect(again.targets).toEqual({
      'CPR numbers': { total: 0, done: 0, rotated: 0, alreadyCurrent: 4, failed: 0 },
      names: { total: 0, done: 0, rotated: 0, alreadyCurrent: 3, failed: 0 },
      'webhook secrets': { total: 0, done: 0, rotated: 0, alreadyCurrent: 1, failed: 0 },
    });
    expect(again.failures).toEqual({});
    expect((await envelopes()).sort()).toEqual(before.sort());
  });

  it('an envelope under a key not in the ring: the case answers cpr null, and the rotation leaves it and says why', async () => {
    const [caseId] = [...cases].find(([, cpr]) => cpr === CPRS[1]) ?? [];
    const foreign = new CprCipher(keyRingOf(randomBytes(32), 'gone')).encrypt(parseCpr('0202854321') as Cpr);
    await ds.query(`UPDATE case_identities SET encrypted_cpr = $2 WHERE case_id = $1`, [caseId, foreign]);
    const app = await service(db, ringB);
    try {
      expect(await readCpr(app, caseId as string)).toEqual({ cpr: null, hasCpr: true, name: null });
      const others = [...cases].filter(([id]) => id !== caseId);
      for (const [id, cpr] of others) expect((await readCpr(app, id)).cpr).toBe(cpr);
    } finally {
      await app.close();
    }
    const report = await rotateCprKey(ds, ringB);
    expect(report.targets['CPR numbers']).toEqual({ total: 1, done: 1, rotated: 0, alreadyCurrent: 3, failed: 1 });
    expect(report.targets.names).toEqual({ total: 0, done: 0, rotated: 0, alreadyCurrent: 3, failed: 0 });
    expect(report.failures).toEqual({ 'key gone is not in the key ring': 1 });
    expect(report.removableKeyIds).toEqual([]);
    const [row] = await ds.query(`SELECT encrypted_cpr FROM case_identities WHERE case_id = $1`, [caseId]);
    expect(row.encrypted_cpr).toBe(foreign);
  });
});
