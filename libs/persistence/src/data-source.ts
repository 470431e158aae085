import { Client, type ClientConfig, type Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ORGANISATIONS } from '@app/pathway';
import { MIGRATIONS } from './migrations';

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  /** Shown in pg_stat_activity: which process holds a connection. */
  applicationName?: string;
  /**
   * Told of every error of every pool connection (a connection that dies while idle or held, e.g.
   * 57P01 when PostgreSQL shuts down). Without a listener such an error would crash the process;
   * the statement running on it fails by itself, so by default nothing more is done.
   */
  onConnectionError?: (error: Error) => void;
  /**
   * Connections kept open once opened, however long they stay idle (above this the pool closes one
   * idle for 10 s). A service that keeps some finds them connected after a quiet spell; without, its
   * first statements waited for new connections (each a SCRAM key derivation on the process's one
   * thread, and new plans of its prepared statements). Only for a data source destroyed at shutdown:
   * open connections keep a process alive.
   */
  keepOpen?: number;
  /** How long a connection above keepOpen may stay idle before it is closed (10 s; tests shorten it). */
  idleTimeoutMs?: number;
}

/** How long a request waits for a pool connection (or a new connection) before it fails. */
export const CONNECTION_TIMEOUT_MS = 5_000;

/**
 * A pg Client that can never raise an unhandled 'error' event: the pool removes its own listener
 * from a client it hands out, so a connection that dies while held (by a transaction, a LISTEN)
 * would otherwise end the process. Every client of the pool is of this class.
 */
function clientClass(onError: (error: Error) => void): typeof Client {
  return class GuardedClient extends Client {
    constructor(config?: string | ClientConfig) {
      super(config);
      this.on('error', onError);
    }
  };
}

/** A TypeORM data source on PostgreSQL. Schema changes come from migrations only, never synchronize. */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    // Off: TypeORM would log failed queries with their parameters, which carry case data.
    // Callers translate and log errors without parameters.
    logging: false,
    poolSize: options.poolSize ?? 20,
    applicationName: options.applicationName ?? 'pathway',
    extra: {
      connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
      min: options.keepOpen ?? 0,
      idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
      Client: clientClass(options.onConnectionError ?? (() => undefined)),
    },
    // Errors of idle connections, which the pool then discards: reported the same way.
    poolErrorHandler: options.onConnectionError ?? (() => undefined),
  });
}

/** The data source's pg pool (TypeORM's driver keeps it as `master`). */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/** How many connections the pool holds, how many of them are idle, and how many callers wait for one. */
export function poolUse(dataSource: DataSource): { total: number; idle: number; waiting: number } {
  const pool = poolOf(dataSource);
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

/** Arbitrary but fixed: serialises migrations between processes starting at the same moment. */
const MIGRATION_LOCK = 7_346_001;

/**
 * Runs pending migrations under an advisory lock, so that the API and the worker starting together
 * never migrate twice, then brings the reference organisations up to date.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    await seedOrganisations(dataSource);
    return ran.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}

/**
 * Upserts the reference organisations (regions, municipalities, clinics, …) from the domain. Not the
 * residential facilities: the platform administrator manages those (FacilityStore; seeded by migration).
 */
async function seedOrganisations(dataSource: DataSource): Promise<void> {
  const rows = ORGANISATIONS.filter((o) => o.kind !== 'facility').map((o) => ({
    id: o.id,
    kind: o.kind,
    name: o.name,
    region: o.region,
    municipality_code: o.municipalityCode,
    places: o.places,
    retention_places: o.retentionPlaces,
  }));
  await dataSource.query(
    `INSERT INTO organisations (id, kind, name, region, municipality_code, places, retention_places)
     SELECT id, kind, name, region, municipality_code, places, retention_places
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, kind text, name text, region text, municipality_code text, places int, retention_places int)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, region = excluded.region,
       municipality_code = excluded.municipality_code, places = excluded.places, retention_places = excluded.retention_places`,
    [JSON.stringify(rows)],
  );
}
