import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '@test/support/time';
import { FileClock } from './clock';

describe('FileClock', () => {
  let dir: string;
  let file: string;
  const near = (clock: FileClock, instant: string) => Math.abs(clock.now().getTime() - Date.parse(instant)) < 2_000;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pathway-clock-'));
    file = path.join(dir, 'now');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  /** The clocks here outlive their files (they poll for the process's life): nothing to say about that. */
  const quiet = () => undefined;

  it('shows the instant in the file from the moment it was written, runs on, and jumps when it is rewritten', async () => {
    fs.writeFileSync(file, '2027-03-24T13:00:00.000Z');
    const clock = new FileClock(file, quiet);
    expect(near(clock, '2027-03-24T13:00:00.000Z')).toBe(true);
    const a = clock.now().getTime();
    await waitFor('the clock to run on', () => clock.now().getTime() > a);

    fs.writeFileSync(file, '2027-10-31T00:45:00.000Z');
    await waitFor('the clock to jump', () => near(clock, '2027-10-31T00:45:00.000Z'));
  });

  it('refuses a file without an instant at start', () => {
    fs.writeFileSync(file, 'tomorrow');
    expect(() => new FileClock(file)).toThrow('does not hold an ISO 8601 instant: "tomorrow"');
    expect(() => new FileClock(path.join(dir, 'missing'))).toThrow(/ENOENT/);
  });

  it('keeps its time, and the process alive, when the file is caught empty, garbled or removed; then follows it again', async () => {
    fs.writeFileSync(file, '2027-03-24T13:00:00.000Z');
    const warnings: string[] = [];
    const clock = new FileClock(file, (message) => warnings.push(message));
    for (const [what, spoil] of [
      ['empty', () => fs.writeFileSync(file, '')],
      ['garbled', () => fs.writeFileSync(file, '2027-13-45')],
      ['removed', () => fs.rmSync(file)],
    ] as const) {
      const seen = warnings.length;
      spoil();
      await waitFor(`a warning about the ${what} file`, () => warnings.length > seen);
      expect(near(clock, '2027-03-24T13:00:00.000Z')).toBe(true);
    }
    // Once per problem, not once per poll.
    expect(warnings).toHaveLength(3);
    expect(warnings.every((w) => w.endsWith('the clock keeps its time'))).toBe(true);

    fs.writeFileSync(file, '2027-12-31T22:30:00.000Z');
    await waitFor('the clock to follow the file again', () => near(clock, '2027-12-31T22:30:00.000Z'));
  });
});
