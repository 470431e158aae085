import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, migrate } from '@app/persistence';

/**
 * Throwaway databases on the test cluster that `npm test` starts. Each test file gets its own
 * database, cloned from a template migrated once, so tests never see each other's rows.
 */
export function testClusterUrl(database = 'postgres'): string {
  const base = process.env.PATHWAY_TEST_PG_URL;
  if (!base)
    throw new Error('PATHWAY_TEST_PG_URL is not set: run the tests with `npm test`, which starts PostgreSQL and Redis');
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

const TEMPLATE = 'pathway_template';
const TEMPLATE_LOCK = 7_346_002;

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testClusterUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function ensureTemplate(): Promise<void> {
  await admin(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE]);
      if (rowCount) return;
      await client.query(`CREATE DATABASE ${TEMPLATE}`);
      const ds = await createDataSource({ url: testClusterUrl(TEMPLATE), poolSize: 2 }).initialize();
      await migrate(ds);
      await ds.destroy();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  await ensureTemplate();
  const name = `test_${randomBytes(6).toString('hex')}`;
  await admin(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      await client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
  return {
    name,
    url: testClusterUrl(name),
    drop: () => admin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
