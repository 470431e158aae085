#!/usr/bin/env node
// npm run bench:alerts — alerts under load, on this machine's own PostgreSQL and Redis.
//
// 10,000 deadlines fall due within one minute (policy bench/policies/timers.json: one milestone
// owned by the municipality, breached 6 h after the registration, which is backdated to place it).
// Each breach raises an alert; a client connected to GET /v1/alerts/stream as the municipality
// records when each arrives. Latency = arrival at the client − due time (one machine, one clock).
// lost = breaches whose alert never reached the client within 30 s of the last due time.
// Last line: RESULT alerts=… p50_ms=… p99_ms=… lost=…
import path from 'node:path';
import { TextDecoder } from 'node:util';
import {
  machine,
  percentile,
  poster,
  registerDue,
  root,
  runBench,
  say,
  sleep,
  waitHealthy,
} from '../scripts/lib/harness.mjs';

const TOTAL = Number(process.env.BENCH_ALERTS ?? 10_000);
const WINDOW_MS = 60_000;
const SIX_HOURS = 6 * 3600_000;

/** Reads the SSE stream; calls `onAlert(message, receivedAt)` for every alert event. */
async function listen(baseUrl, token, onAlert) {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/v1/alerts/stream`, {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  if (res.status !== 200) throw new Error(`stream → ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const done = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) return;
        const receivedAt = Date.now();
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data && /^event: alert$/m.test(block)) onAlert(JSON.parse(data.slice(6)), receivedAt);
        }
      }
    } catch {
      // aborted
    }
  })();
  return async () => {
    abort.abort();
    await done;
  };
}

await runBench(async (bench) => {
  say(`machine: ${machine()}; ${TOTAL} alerts due within ${WINDOW_MS / 1000} s`);
  const env = { PATHWAY_POLICY_FILE: path.join(root, 'bench', 'policies', 'timers.json'), WORKER_CONCURRENCY: '64' };
  bench.start('api', env);
  bench.start('worker', env);
  await waitHealthy(bench.baseUrl);

  const arrivals = new Map();
  const stop = await listen(
    bench.baseUrl,
    bench.token('--role', 'municipality', '--org', 'municipality:851', '--sub', 'duty'),
    (message, receivedAt) => {
      if (message.event === 'raised' && message.alert.kind === 'breach' && !arrivals.has(message.alert.caseId)) {
        arrivals.set(message.alert.caseId, receivedAt - Date.parse(message.alert.dueAt));
      }
    },
  );
  const post = poster(bench.baseUrl, bench.token('--role', 'referrer', '--org', 'gp:bench', '--sub', 'bench'), 16);
  const t0 = Date.now() + 30_000;
  const dues = Array.from({ length: TOTAL }, (_, i) => t0 + Math.floor((i * WINDOW_MS) / TOTAL));
  const ids = await registerDue(post, dues, SIX_HOURS, 'due within the minute');
  if (Date.now() > t0) say('warning: registration ran into the window');
  post.close();

  const until = t0 + WINDOW_MS + 30_000;
  while (Date.now() < until && ids.some((id) => !arrivals.has(id))) await sleep(500);
  await stop();
  const latencies = ids
    .filter((id) => arrivals.has(id))
    .map((id) => arrivals.get(id))
    .sort((a, b) => a - b);
  const lost = TOTAL - latencies.length;
  const [p50, p99, max] = [percentile(latencies, 50), percentile(latencies, 99), latencies[latencies.length - 1]];
  say(
    `alerts: ${latencies.length}/${TOTAL} reached the client; latency from due time p50 ${p50} ms, p99 ${p99} ms, max ${max} ms, min ${latencies[0]} ms`,
  );
  say(`RESULT alerts=${latencies.length} p50_ms=${p50} p99_ms=${p99} lost=${lost}`);
  return lost === 0;
});
