import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TIMEOUT, waitFor } from '@test/support/time';

const ROOT = path.resolve(__dirname, '..', '..');

/** What the demo shows people: code names of milestones, organisations, commands and people. */
const CODE_NAMES = [
  /\b[a-z]+(?:-[a-z]+)+-\d+\b/, // a milestone instance: municipality-notification-1
  /\b(?:gp|shelter|clinic|municipality|facility):[\w-]+/, // an organisation id: gp:hansen
  /\b(?:refer-to-clinic|notify-municipality|assign-coordinator|record-clinic-visit|assess-notification)\b/,
  /\bdr-hansen\b|\bowner\b|\bundefined\b|\bnull\b/,
];

/** `npm run demo` (scripts/demo.mjs) with its pauses left out (--quick), on servers of its own. */
class Demo {
  private output = '';
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static run(...args: string[]): Demo {
    return new Demo(
      spawn(process.execPath, [path.join(ROOT, 'scripts', 'demo.mjs'), '--quick', ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
  }

  /** What it narrated, without the clock at the start of each line. */
  get lines(): string[] {
    return this.output
      .split('\n')
      .filter(Boolean)
      .map((line) => line.replace(/^\d\d:\d\d\.\d {2}/, ''));
  }

  async waitForLine(pattern: RegExp): Promise<RegExpExecArray> {
    let match: RegExpExecArray | null = null;
    await waitFor(
      () => `the demo to say ${pattern}:\n${this.output}`,
      () => {
        if (this.child.exitCode !== null) throw new Error(`the demo exited (${this.child.exitCode}):\n${this.output}`);
        match = this.lines.map((l) => pattern.exec(l)).find(Boolean) ?? null;
        return match !== null;
      },
    );
    return match!;
  }
}

describe('npm run demo', () => {
  it(
    'narrates in Danish, names organisations, people and deadlines as people say them, and with --keep stays up with the case to watch',
    async () => {
      const demo = Demo.run('--keep');
      try {
        const [, page, caseLink] = await demo.waitForLine(
          /^Demoen er slut; tjenesten kører videre, til du trykker Ctrl-C\. Siden: (\S+) — sag \w+: (\S+) \(log ind som tovholder i Aalborg Kommune\)\.$/,
        );
        const lines = demo.lines;
        // Its length, said once, first.
        expect(lines[0]).toMatch(/^Demoen spiller de tre forløb .* Den varer omkring et minut/);
        expect(lines.filter((l) => /varer|minut/.test(l))).toHaveLength(1);
        expect(lines).toEqual(
          expect.arrayContaining([
            expect.stringMatching(
              /^Sag \w+: Lægerne Hansen registrerer en bekymring; hun er i \d+\. graviditetsuge → nye frister: .*«Underretning til kommunen» \(Lægerne Hansen\)/,
            ),
            expect.stringMatching(
              /^Sag \w+: Læge Hansen henviser hende til Familieambulatoriet, Region Nordjylland → opfyldt: «Henvisning til familieambulatoriet»/,
            ),
            expect.stringMatching(
              /^Sag \w+: Sagsbehandler Mia udpeger Alice Holm som tovholder → opfyldt: «Tovholder udpeges»/,
            ),
            expect.stringMatching(/^Sag \w+: Sagsbehandler Mia bevilger døgnbehandling på Holmegaardshuset/),
          ]),
        );
        for (const line of lines) for (const code of CODE_NAMES) expect(line).not.toMatch(code);
        // The page and the case are there to look at, the development sign-in on.
        expect(caseLink.startsWith(`${page}/cases/`)).toBe(true);
        expect((await fetch(caseLink)).status).toBe(200);
        const signIn = (await (await fetch(`${new URL(page).origin}/v1/sign-in`)).json()) as { local: unknown };
        expect(signIn.local).toBeTruthy();
      } finally {
        demo.child.kill('SIGINT');
      }
      // Ctrl-C stops it and its servers.
      expect(await demo.exited).toBe(0);
    },
    TIMEOUT.condition * 2,
  );

  it(
    'narrates in English with --english',
    async () => {
      const demo = Demo.run('--english');
      expect(await demo.exited).toBe(0);
      const lines = demo.lines;
      expect(lines[0]).toMatch(/^The demo plays the three courses .* It takes about a minute/);
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^Case \w+: Dr Hansen refers her to Familieambulatoriet, Region Nordjylland → met: /),
          expect.stringMatching(
            /^Case \w+: Caseworker Mia makes Alice Holm the coordinator → met: «Assign a coordinator»/,
          ),
          'The demo is over; the servers stop now.',
        ]),
      );
      for (const line of lines) for (const code of CODE_NAMES) expect(line).not.toMatch(code);
    },
    TIMEOUT.condition * 2,
  );
});
