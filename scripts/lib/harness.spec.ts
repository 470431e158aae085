import { execFileSync } from 'node:child_process';
import path from 'node:path';

const MODULE = path.join(__dirname, 'harness.mjs');

/** Runs `body` as an ES module with harness.mjs's `cpuSeconds`, `cpuSampler` and `benchPgSettings` imported; returns what it printed. */
function run(body: string): string {
  const script = `import { benchPgSettings, cpuSampler, cpuSeconds } from ${JSON.stringify(MODULE)};\n${body}`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/**
 * A child that runs a grandchild burning 600 ms of CPU to its end, then waits: the grandchild's time
 * is only in the child's cutime and cstime by then.
 */
const FAMILY = `
  import { spawn } from 'node:child_process';
  const burn = 'const s = process.cpuUsage(); for (;;) { const u = process.cpuUsage(s); if (u.user + u.system >= 600000) break; }';
  const child = spawn(process.execPath, ['-e', \`
    require('node:child_process').execFileSync(process.execPath, ['-e', \${JSON.stringify(burn)}]);
    console.log('burnt');
    setTimeout(() => {}, 60000);
  \`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => child.stdout.once('data', r));
`;

describe('CPU of process trees (scripts/lib/harness.mjs)', () => {
  it("counts a process tree's CPU, that of a child that has exited too, and leaves out the processes in except", () => {
    const [all, without] = run(`${FAMILY}
      console.log(cpuSeconds([child.pid]), cpuSeconds([child.pid], [child.pid]));
      child.kill();
    `)
      .split(' ')
      .map(Number);
    expect(all).toBeGreaterThanOrEqual(0.6);
    expect(without).toBe(0);
  });

  it("follows a busy process's CPU between its samples, and keeps the first and last beyond them", () => {
    const figures = run(`
      import { spawn } from 'node:child_process';
      const busy = spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' });
      const started = Date.now();
      const cpu = cpuSampler([busy.pid], [], 50);
      await new Promise((r) => setTimeout(r, 1000));
      cpu.stop();
      const ended = Date.now();
      busy.kill();
      console.log([started - 1000, started, started + 500, ended, ended + 1000].map((t) => cpu.at(t)).join(' '));
    `)
      .split(' ')
      .map(Number);
    const [beforeFirst, first, middle, last, afterLast] = figures;
    expect(beforeFirst).toBe(first);
    expect(first).toBeLessThan(middle);
    expect(middle).toBeLessThan(last);
    expect(afterLast).toBe(last);
  });
});

describe("the benchmark cluster's settings (benchPgSettings)", () => {
  const settings = (env: Record<string, string>): string[] =>
    JSON.parse(run(`console.log(JSON.stringify(benchPgSettings(${JSON.stringify(env)})));`));

  it('loads the libraries that BENCH_PG_STATS and BENCH_PG_SETTINGS both ask for, once each, in one setting', () => {
    expect(
      settings({
        BENCH_PG_STATS: '1',
        BENCH_PG_SETTINGS: 'shared_preload_libraries=auto_explain,pg_stat_statements auto_explain.sample_rate=0.2',
      }),
    ).toEqual([
      'pg_stat_statements.track=all',
      'auto_explain.sample_rate=0.2',
      'shared_preload_libraries=pg_stat_statements,auto_explain',
    ]);
  });

  it('passes other settings as they are, and preloads nothing unasked', () => {
    expect(settings({ BENCH_PG_SETTINGS: 'shared_buffers=1GB  work_mem=64MB' })).toEqual([
      'shared_buffers=1GB',
      'work_mem=64MB',
    ]);
    expect(settings({})).toEqual([]);
  });
});
