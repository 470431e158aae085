import { execFileSync } from 'node:child_process';
import path from 'node:path';

const MODULE = path.join(__dirname, 'infra.mjs');

/** Runs `body` as an ES module with infra.mjs's `step` and `duration` imported; returns the lines it logged. */
function logged(body: string): string[] {
  const script = `import { duration, step } from ${JSON.stringify(MODULE)};\n${body}`;
  const result = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return result.split('\n').filter(Boolean);
}

describe("the start's steps (scripts/lib/infra.mjs)", () => {
  it('says when a step begins, that it is still running while it runs, and how long it took', () => {
    // stderr (the log) onto stdout, to read it here.
    const lines = logged(`
      process.stderr.write = process.stdout.write.bind(process.stdout);
      let polled = 0;
      const result = await step('building the web page', () => new Promise((r) => setTimeout(() => r(42), 450)), {
        everyMs: 100,
        progress: () => \`\${++polled} files so far\`,
      });
      console.log(String(result));
    `);
    expect(lines[0]).toBe('[pathway] building the web page…');
    const still = lines.filter((l) => l.startsWith('[pathway]   still building the web page ('));
    expect(still.length).toBeGreaterThanOrEqual(2);
    expect(still[0]).toMatch(/^\[pathway\] {3}still building the web page \(\d+\.\d s; 1 files so far\)$/);
    const took = /^\[pathway\] building the web page: done in (\d+\.\d) s$/.exec(lines.at(-2) ?? '');
    expect(Number(took?.[1])).toBeGreaterThanOrEqual(0.4);
    expect(lines.at(-1)).toBe('42');
  });

  it('stops saying it is running once a step fails, and leaves the failure to the caller', () => {
    const lines = logged(`
      process.stderr.write = process.stdout.write.bind(process.stdout);
      await step('installing', () => Promise.reject(new Error('no network')), { everyMs: 50 }).catch((e) => console.log(e.message));
      await new Promise((r) => setTimeout(r, 200));
    `);
    expect(lines).toEqual(['[pathway] installing…', 'no network']);
  });

  it('gives durations as a person reads them', () => {
    expect(logged(`console.log([400, 12_345, 59_949, 60_000, 242_000].map(duration).join('|'));`)).toEqual([
      '0.4 s|12.3 s|59.9 s|1 min 00 s|4 min 02 s',
    ]);
  });
});
