import { execFileSync } from 'node:child_process';
import path from 'node:path';

const MODULE = path.join(__dirname, 'harness.mjs');

/** Runs `body` as an ES module with harness.mjs's `cpuSeconds` and `cpuSampler` imported; returns what it printed. */
function run(body: string): string {
  const script = `import { cpuSampler, cpuSeconds } from ${JSON.stringify(MODULE)};\n${body}`;
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
