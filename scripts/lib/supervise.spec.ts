import { execFileSync } from 'node:child_process';
import path from 'node:path';

const MODULE = path.join(__dirname, 'supervise.mjs');

/** Runs `body` as an ES module with the supervisor imported; returns what it printed as JSON. */
function run(body: string): any {
  const script = `import { restartDelay, supervise } from ${JSON.stringify(MODULE)};\nimport { spawn } from 'node:child_process';\n${body}`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(out);
}

describe("npm start's supervisor", () => {
  it('waits 1 s, 2 s, 4 s … at most 30 s between restarts', () => {
    expect(run(`console.log(JSON.stringify([0, 1, 2, 3, 4, 5, 6, 10].map((n) => restartDelay(n))));`)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('restarts a process that keeps crashing, with growing waits, logging each restart; stop() ends it for good', () => {
    const result = run(`
      const lines = [];
      const started = [];
      const s = supervise('worker', () => {
        started.push(performance.now());
        return spawn(process.execPath, ['-e', 'process.exit(3)']);
      }, { log: (l) => lines.push(l), backoff: { firstMs: 100, maxMs: 400, resetAfterMs: 60_000 } });
      await new Promise((r) => { const t = setInterval(() => { if (started.length >= 5) { clearInterval(t); r(); } }, 5); });
      await s.stop();
      const after = started.length;
      await new Promise((r) => setTimeout(r, 600));
      const gaps = started.slice(1).map((t, i) => t - started[i]);
      console.log(JSON.stringify({ lines, gaps, after, finally: started.length }));
    `);
    expect(result.lines.slice(0, 4)).toEqual([
      expect.stringMatching(
        /^the worker stopped unexpectedly \(exit 3\) after [\d.]+ s; restarting it in 0\.1 s \(restart 1\)$/,
      ),
      expect.stringMatching(/restarting it in 0\.2 s \(restart 2\)$/),
      expect.stringMatching(/restarting it in 0\.4 s \(restart 3\)$/),
      expect.stringMatching(/restarting it in 0\.4 s \(restart 4\)$/),
    ]);
    // Each restart came after its wait (and the crash itself), never sooner.
    [100, 200, 400, 400].forEach((wait, i) => expect(result.gaps[i]).toBeGreaterThanOrEqual(wait));
    // Stopped: nothing is started again.
    expect(result.finally).toBe(result.after);
  });

  it('starts the waits over for a process that ran long enough before it stopped', () => {
    const result = run(`
      const lines = [];
      const s = supervise('api', () => spawn(process.execPath, ['-e', 'setTimeout(() => process.exit(1), 300)']), {
        log: (l) => lines.push(l),
        backoff: { firstMs: 50, maxMs: 1_000, resetAfterMs: 200 },
      });
      await new Promise((r) => { const t = setInterval(() => { if (s.restarts >= 3) { clearInterval(t); r(); } }, 5); });
      await s.stop();
      console.log(JSON.stringify({ lines }));
    `);
    expect(result.lines).toHaveLength(3);
    for (const line of result.lines) expect(line).toMatch(/restarting it in 0\.05 s/);
  });

  it('does not restart a process that refuses its configuration (exit 78), and says so', () => {
    const result = run(`
      const lines = [];
      let starts = 0;
      let refused = 0;
      supervise('api', () => (starts++, spawn(process.execPath, ['-e', 'process.exit(78)'])), {
        log: (l) => lines.push(l),
        onConfigError: () => refused++,
        backoff: { firstMs: 10, maxMs: 10, resetAfterMs: 60_000 },
      });
      await new Promise((r) => { const t = setInterval(() => { if (refused) { clearInterval(t); r(); } }, 5); });
      // A restart would come 10 ms after the exit: give it ten times that.
      await new Promise((r) => setTimeout(r, 100));
      console.log(JSON.stringify({ lines, starts, refused }));
    `);
    expect(result).toEqual({
      lines: ['the api refuses its configuration (see above); not restarting it'],
      starts: 1,
      refused: 1,
    });
  });
});
