import { createTestDatabase, type TestDatabase } from '@test/support/database';
import { sleep, waitFor } from '@test/support/time';
import { createDataSource, poolOf } from './data-source';

describe('the data source pool', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it.each([2, 0])(
    'keepOpen %i: that many connections stay open through a quiet spell, the same ones (prepared statements and all); the others close',
    async (keepOpen) => {
      const IDLE_MS = 50;
      const ds = await createDataSource({ url: db.url, poolSize: 6, keepOpen, idleTimeoutMs: IDLE_MS }).initialize();
      try {
        const pool = poolOf(ds);
        const clients = await Promise.all(Array.from({ length: 5 }, () => pool.connect()));
        const backends = new Set<number>();
        for (const client of clients) backends.add((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
        for (const client of clients) client.release();

        await waitFor(`${keepOpen} connections left`, () => pool.totalCount === keepOpen);
        // Ten idle timeouts: none of the connections kept is closed for being idle.
        await sleep(10 * IDLE_MS);
        expect(pool.totalCount).toBe(keepOpen);
        const [{ pid }] = await ds.query('SELECT pg_backend_pid() AS pid');
        if (keepOpen > 0) expect(backends).toContain(pid);
        else expect(backends).not.toContain(pid);
      } finally {
        await ds.destroy();
      }
    },
  );
});
