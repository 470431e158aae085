import { PostgresServer } from '@test/support/postgres-server';
import { waitFor } from '@test/support/time';
import type { DataSource } from 'typeorm';
import { createDataSource, poolUse } from './data-source';
import { DatabaseAvailability, isDatabaseUnavailable } from './database-availability';

/** The errors node-postgres and TypeORM really raise when PostgreSQL goes away, on a server of the test's own. */
describe('DatabaseAvailability on a PostgreSQL that goes away', () => {
  let pg: PostgresServer;
  let ds: DataSource;
  const lines: string[] = [];
  const availability = new DatabaseAvailability({
    logger: { error: (m) => lines.push(`error: ${m}`), log: (m) => lines.push(`log: ${m}`) },
  });

  beforeAll(async () => {
    pg = await PostgresServer.start();
    ds = await createDataSource({
      url: pg.url(),
      poolSize: 4,
      onConnectionError: (error) => availability.failed(error),
    }).initialize();
    availability.probeWith(() => ds.query('SELECT 1'));
  });
  afterAll(async () => {
    availability.close();
    await ds?.destroy().catch(() => undefined);
    await pg?.destroy();
  });

  it('tells an unreachable database from a wrong statement', async () => {
    const wrong = await ds.query('SELECT * FROM no_such_table').catch((e: unknown) => e);
    expect(isDatabaseUnavailable(wrong)).toBe(false);
    expect(availability.failed(wrong)).toBe(false);
    expect(lines).toEqual([]);
  });

  it.each(['fast', 'kill'] as const)(
    'stopped (%s): no process crash, one line when it goes and one when it is back, waiters go on',
    async (mode) => {
      lines.length = 0;
      // Connections held idle in the pool and one held by a caller: both die with the server.
      const held = await ds.createQueryRunner();
      await held.connect();
      await Promise.all([ds.query('SELECT 1'), ds.query('SELECT 1')]);

      await pg.stop(mode);
      const errors = [];
      for (let i = 0; i < 5; i++) errors.push(await ds.query('SELECT 1').catch((e: unknown) => e));
      // The held connection died too: TypeORM gave it back to the pool with the error (discarded, not leaked).
      await waitFor('the held connection to be given back', () => held.isReleased);
      expect(errors.filter((e) => !isDatabaseUnavailable(e))).toEqual([]);
      for (const e of errors) expect(availability.failed(e)).toBe(true);
      expect(availability.available).toBe(false);
      expect(lines).toEqual([expect.stringMatching(/^error: PostgreSQL unavailable: \S/)]);

      let waited = false;
      const waiting = availability.whenAvailable().then(() => (waited = true));
      await pg.restart();
      await waiting;
      expect(waited).toBe(true);
      expect(availability.available).toBe(true);
      expect(lines).toEqual([
        expect.stringMatching(/^error: PostgreSQL unavailable: /),
        expect.stringMatching(/^log: PostgreSQL available again after \d+\.\d s$/),
      ]);
      // The dead connections were dropped, none is held: the pool serves again.
      await expect(ds.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
      await waitFor('the pool to hold no dead connection', () => {
        const use = poolUse(ds);
        return use.total === use.idle && use.waiting === 0;
      });
    },
  );
});
