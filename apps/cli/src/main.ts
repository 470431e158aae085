import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { CONTACT_TIERS_BY_EMAIL, ContactStore, type EmailContactTier } from '@app/alerts';
import { signLocalToken } from '@app/auth';
import { CprCipher, CprIndex, reindexCpr, reindexNames, rotateCprKey, type RotationTarget } from '@app/cases';
import { ROLES, containsCpr, roleOrganisationMismatch, type Role } from '@app/pathway';
import { lifetimeSeconds, loadConfig, loadTokenLimits } from '@app/config';
import {
  EventStore,
  LivePolicyRegistry,
  PolicyStore,
  allProjections,
  createDataSource,
  migrate,
  rebuildProjections,
  type Projection,
} from '@app/persistence';
import { ProgressBar } from './progress-bar';
import { importSyntheticCourses, type SeedSyntheticOptions } from './synthetic/seed-synthetic';

const MAX_SYNTHETIC_CASES = 1_000_000;

const USAGE = `usage:
  token --role <${ROLES.join('|')}> --org <organisation id> [--org <another>] --sub <user id> [--ttl 12h]
        prints a token signed with the local key (DATA_DIR/auth, default .data/auth)
  rebuild-projections   rebuilds every read model from the events (DATABASE_URL)
  migrate               applies pending migrations (DATABASE_URL)
  seed-contacts <file>  replaces the alert contacts of the organisations in a JSON file (DATABASE_URL):
                        { "municipality:851": [{ "tier": "duty-inbox", "name": "…", "email": "…" }], … }
  seed-synthetic --cases <n> [--seed 1] [--years 3] [--end <ISO date, default now>]
                        imports n (at most ${MAX_SYNTHETIC_CASES}) synthetic cases played through the pathway, detected
                        over the years before --end in all 98 municipalities, then rebuilds the read models
                        (DATABASE_URL, CPR_ENCRYPTION_KEY). No real personal data: made-up CPR numbers,
                        encrypted; every event's correlation id is synthetic-seed:<seed>
  rotate-cpr-key        re-encrypts every CPR number, name and webhook secret under the current key
                        (CPR_ENCRYPTION_KEY_ID of CPR_ENCRYPTION_KEYS; DATABASE_URL), in resumable batches;
                        a second run finds nothing to do. Afterwards the old keys can leave the ring
  reindex-cpr           computes the blind index of every CPR number, then of the words of every name,
                        under CPR_INDEX_KEY (DATABASE_URL, the CPR keys), in resumable batches: the cases
                        stored before the index, or all of them after a change of CPR_INDEX_KEY; a second
                        run finds nothing to do`;

async function token(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string' },
      org: { type: 'string', multiple: true },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '12h' },
    },
  });
  if (!values.role || !values.org?.length || !values.sub) throw new UsageError('token needs --role, --org and --sub');
  if (!(ROLES as readonly string[]).includes(values.role))
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const mismatch = roleOrganisationMismatch(values.role as Role, [...new Set(values.org)]);
  if (mismatch) throw new UsageError(`--role ${values.role} does not fit --org: ${mismatch}`);
  if (containsCpr(values.sub, 'words')) throw new UsageError('--sub is a CPR number: use a user id');
  const ttl = lifetimeSeconds(values.ttl);
  if (ttl === null) throw new UsageError('--ttl is a number and s, m, h or d, such as 12h');
  const { maxLifetimeSeconds } = loadTokenLimits();
  if (ttl > maxLifetimeSeconds)
    throw new UsageError(
      `--ttl ${values.ttl} is longer than the service accepts (TOKEN_MAX_LIFETIME, ${maxLifetimeSeconds} s)`,
    );
  if (process.env.JWT_JWKS_URL)
    new Logger('token').warn(
      'JWT_JWKS_URL is set: the service accepts tokens from the identity provider, not this local one',
    );
  const keyDir = path.join(path.resolve(process.env.DATA_DIR || '.data'), 'auth');
  const org = values.org.length === 1 ? values.org[0] : values.org;
  const jwt = await signLocalToken(
    keyDir,
    { sub: values.sub, role: values.role, org },
    {
      expiresIn: values.ttl,
      issuer: process.env.JWT_ISSUER || undefined,
      audience: process.env.JWT_AUDIENCE || undefined,
    },
  );
  process.stdout.write(`${jwt}\n`);
}

async function withDatabase(fn: (ds: ReturnType<typeof createDataSource>) => Promise<void>): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new UsageError('DATABASE_URL is not set');
  const ds = await createDataSource({ url, poolSize: 4, applicationName: 'pathway-cli' }).initialize();
  try {
    await fn(ds);
  } finally {
    await ds.destroy();
  }
}

type Database = ReturnType<typeof createDataSource>;

/** The schema migrated, the stored policy versions loaded, and the event store with every projection. */
async function openStore(ds: Database) {
  await migrate(ds);
  const policies = new LivePolicyRegistry(loadConfig().policy, new PolicyStore(ds));
  await policies.refresh();
  const projections = allProjections(policies);
  return { policies, projections, store: new EventStore(ds, projections) };
}

async function rebuildReadModels(ds: Database, store: EventStore, projections: readonly Projection[]): Promise<void> {
  const bar = new ProgressBar('rebuilding projections');
  const result = await rebuildProjections(ds, store, projections, (p) =>
    bar.update(p.events, p.totalEvents, `events, ${p.cases} cases`),
  );
  bar.done(
    `rebuilt ${projections.map((p) => p.table).join(', ')} from ${result.events} events (${result.cases} cases)`,
  );
}

async function rebuild(): Promise<void> {
  await withDatabase(async (ds) => {
    const { store, projections } = await openStore(ds);
    await rebuildReadModels(ds, store, projections);
  });
}

function syntheticOptions(args: string[]): SeedSyntheticOptions {
  let values: { cases?: string; seed?: string; years?: string; end?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        cases: { type: 'string' },
        seed: { type: 'string', default: '1' },
        years: { type: 'string', default: '3' },
        end: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError(`seed-synthetic: ${error instanceof Error ? error.message : String(error)}`);
  }
  const whole = (raw: string | undefined, name: string, min: number, max: number): number => {
    const n = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= min && n <= max))
      throw new UsageError(
        `seed-synthetic: --${name} must be a whole number from ${min} to ${max}, got ${raw ?? 'nothing'}`,
      );
    return n;
  };
  const cases = whole(values.cases, 'cases', 1, MAX_SYNTHETIC_CASES);
  const seed = whole(values.seed, 'seed', 0, 2 ** 32 - 1);
  const years = Number(values.years);
  if (!/^\d+(\.\d+)?$/.test(values.years ?? '') || !(years > 0 && years <= 20))
    throw new UsageError(
      `seed-synthetic: --years must be a number of years above 0 and at most 20, got ${values.years}`,
    );
  const end = values.end === undefined ? new Date() : new Date(values.end);
  if (values.end !== undefined && (!/^\d{4}-\d{2}-\d{2}/.test(values.end) || Number.isNaN(end.getTime()))) {
    throw new UsageError(
      `seed-synthetic: --end must be an ISO 8601 date or instant (2026-06-01, 2026-06-01T12:00:00Z), got ${values.end}`,
    );
  }
  return { cases, seed, years, end };
}

async function seedSynthetic(args: string[]): Promise<void> {
  const options = syntheticOptions(args);
  await withDatabase(async (ds) => {
    const config = loadConfig();
    const cipher = new CprCipher(config.cprKeys);
    const index = new CprIndex(config.cprIndexKey);
    const { policies, projections, store } = await openStore(ds);
    await importSyntheticCourses(ds, store, {
      ...options,
      policies,
      encryptCpr: (cpr) => cipher.encrypt(cpr),
      indexCpr: (cpr) => index.of(cpr),
    });
    await rebuildReadModels(ds, store, projections);
  });
}

async function rotateKey(): Promise<void> {
  // loadConfig refuses a current key id that is not in the ring, naming the ring's ids.
  const ring = loadConfig().cprKeys;
  await withDatabase(async (ds) => {
    await migrate(ds);
    const bars = new Map<RotationTarget, ProgressBar>();
    const report = await rotateCprKey(ds, ring, (target, p) => {
      let bar = bars.get(target);
      if (!bar) bars.set(target, (bar = new ProgressBar(`re-encrypting ${target} under key ${ring.currentKeyId}`)));
      bar.update(p.done, p.total, `rotated ${p.rotated}, failed ${p.failed}`);
    });
    for (const [target, p] of Object.entries(report.targets)) {
      bars
        .get(target as RotationTarget)
        ?.done(
          `${target}: ${p.rotated} re-encrypted under key ${report.currentKeyId}, ${p.alreadyCurrent} already under it` +
            (p.failed ? `, ${p.failed} left as they were` : ''),
        );
    }
    const failures = Object.entries(report.failures);
    if (failures.length > 0) {
      throw new Error(
        `${failures.map(([reason, n]) => `${n} envelope(s) could not be re-encrypted: ${reason}`).join('; ')}. ` +
          'Put the missing keys back in CPR_ENCRYPTION_KEYS (or CPR_ENCRYPTION_KEY) and run rotate-cpr-key again; ' +
          'keep every key until a run reports no failures',
      );
    }
    process.stderr.write(
      `everything is under key ${report.currentKeyId}` +
        (report.removableKeyIds.length
          ? `: key(s) ${report.removableKeyIds.join(', ')} may now be removed from the ring\n`
          : '\n'),
    );
  });
}

async function reindex(): Promise<void> {
  const config = loadConfig();
  await withDatabase(async (ds) => {
    await migrate(ds);
    const bar = new ProgressBar('indexing CPR numbers under CPR_INDEX_KEY');
    const report = await reindexCpr(ds, config.cprKeys, config.cprIndexKey, (r) =>
      bar.update(r.total, r.total, `indexed ${r.indexed}, already current ${r.current}`),
    );
    bar.done(`${report.total} CPR numbers: ${report.indexed} indexed, ${report.current} already current`);
    const nameBar = new ProgressBar('indexing the words of names under CPR_INDEX_KEY');
    const names = await reindexNames(ds, config.cprKeys, config.cprIndexKey, (r) =>
      nameBar.update(r.total, r.total, `indexed ${r.indexed}, already current ${r.current}`),
    );
    nameBar.done(`${names.total} names: ${names.indexed} indexed, ${names.current} already current`);
    const failures = [
      ...Object.entries(report.failures).map(([reason, n]) => `${n} CPR number(s) could not be read: ${reason}`),
      ...Object.entries(names.failures).map(([reason, n]) => `${n} name(s) could not be read: ${reason}`),
    ];
    if (failures.length > 0)
      throw new Error(
        `${failures.join('; ')}. ` +
          'Their cases are not linked to her other cases or found by her name: put the missing keys back in the ring and run reindex-cpr again',
      );
  });
}

async function seedContacts([file]: string[]): Promise<void> {
  if (!file) throw new UsageError('seed-contacts needs a file');
  const lists = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<
    string,
    { tier: EmailContactTier; name: string; email: string }[]
  >;
  const problems = Object.entries(lists).flatMap(([organisation, contacts]) =>
    (Array.isArray(contacts) ? contacts : [null]).flatMap((c, i) => {
      if (
        !c ||
        !(CONTACT_TIERS_BY_EMAIL as readonly string[]).includes(c.tier) ||
        !c.name ||
        !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c.email ?? '')
      ) {
        return [
          `${organisation}[${i}]: needs a tier (${CONTACT_TIERS_BY_EMAIL.join(', ')}), a name and an email address`,
        ];
      }
      return [];
    }),
  );
  if (problems.length) throw new UsageError(`${file}:\n  ${problems.join('\n  ')}`);
  await withDatabase(async (ds) => {
    await migrate(ds);
    const store = new ContactStore(ds);
    for (const [organisation, contacts] of Object.entries(lists))
      await store.replace(organisation, contacts, 'seed-contacts', new Date());
    process.stderr.write(`contacts of ${Object.keys(lists).length} organisation(s) replaced\n`);
  });
}

class UsageError extends Error {}

const commands: Record<string, (args: string[]) => Promise<void>> = {
  token,
  'rebuild-projections': rebuild,
  'seed-contacts': seedContacts,
  'seed-synthetic': seedSynthetic,
  'rotate-cpr-key': rotateKey,
  'reindex-cpr': reindex,
  migrate: () =>
    withDatabase(
      async (ds) =>
        void process.stderr.write(`migrations applied: ${(await migrate(ds)).join(', ') || 'none pending'}\n`),
    ),
};

const [name, ...rest] = process.argv.slice(2);
const command = name ? commands[name] : undefined;
if (!command) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(name ? 2 : 0);
}
command(rest).catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(error instanceof UsageError ? 2 : 1);
});
