// The peer bench:timers measures Pathway against, in a Node process of its own (as Pathway's worker
// is): a plain BullMQ worker whose handler does one INSERT. BullMQ, pg and ioredis are the service's
// own (node_modules); concurrency WORKER_CONCURRENCY and a pg pool of DB_POOL_SIZE, as Pathway's worker.
// Each firing is one row of bench_baseline_firings (made by bench/timers.mjs): the job, its due time
// and the handler's clock when it started (fired_at, the twin of a Pathway event's recorded_at).
// SIGTERM closes the worker (its running jobs finish) and the pool, then exits.
import { createRequire } from 'node:module';
import path from 'node:path';
import { root } from '../scripts/lib/infra.mjs';

const require = createRequire(path.join(root, 'package.json'));
const { Worker } = require('bullmq');
const { Pool } = require('pg');
const Redis = require('ioredis');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 20) });
pool.on('error', (error) => process.stderr.write(`baseline worker: pg: ${error.message}\n`));
await pool.query('SELECT 1');

const worker = new Worker(
  process.env.BASELINE_QUEUE,
  async (job) => {
    const firedAt = new Date();
    await pool.query(`INSERT INTO bench_baseline_firings (job_id, due_at, fired_at) VALUES ($1, $2, $3)`, [
      job.id,
      new Date(job.data.due),
      firedAt,
    ]);
  },
  {
    connection: new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: null }),
    concurrency: Number(process.env.WORKER_CONCURRENCY),
  },
);
worker.on('error', (error) => process.stderr.write(`baseline worker: ${error.message}\n`));
worker.on('failed', (job, error) => process.stderr.write(`baseline worker: job ${job?.id} failed: ${error.message}\n`));

process.once('SIGTERM', async () => {
  await worker.close();
  await pool.end();
  process.exit(0);
});
