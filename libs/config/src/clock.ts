import fs from 'node:fs';

/** The time, injected everywhere so that tests can move it. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * For tests and demos (PATHWAY_CLOCK_FILE): the file holds an instant (ISO 8601); the clock shows
 * that instant at the moment the file was written and runs on in real time. Rewriting the file
 * jumps every process that reads it (API and worker alike).
 *
 * A file that cannot be read at start is a configuration error (thrown). Later, a file caught
 * half-written, emptied or removed keeps the clock where it was: polling never throws (an exception
 * there would end the process), and says once, as a process warning, what it found. The file is
 * polled every 50 ms against what was last read (its change time, size and inode), so a rewrite
 * right after start is not missed.
 */
export class FileClock extends Clock {
  private offsetMs: number;
  private version: string;
  private lastProblem: string | null = null;

  constructor(
    private readonly file: string,
    private readonly warn: (message: string) => void = (message) => process.emitWarning(message, 'FileClock'),
  ) {
    super();
    ({ offsetMs: this.offsetMs, version: this.version } = this.read());
    setInterval(() => this.poll(), 50).unref();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  private poll(): void {
    try {
      if (versionOf(fs.statSync(this.file)) === this.version) return;
      ({ offsetMs: this.offsetMs, version: this.version } = this.read());
      this.lastProblem = null;
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      if (problem !== this.lastProblem) this.warn(`${problem}; the clock keeps its time`);
      this.lastProblem = problem;
    }
  }

  /** The offset from the machine's time (the instant in the file minus the moment it was written), and what was read. */
  private read(): { offsetMs: number; version: string } {
    const fd = fs.openSync(this.file, 'r');
    try {
      const text = fs.readFileSync(fd, 'utf8').trim();
      const stat = fs.fstatSync(fd);
      const instant = Date.parse(text);
      if (Number.isNaN(instant))
        throw new Error(`PATHWAY_CLOCK_FILE ${this.file} does not hold an ISO 8601 instant: "${text}"`);
      return { offsetMs: instant - stat.mtimeMs, version: versionOf(stat) };
    } finally {
      fs.closeSync(fd);
    }
  }
}

const versionOf = (stat: fs.Stats) => `${stat.ino}:${stat.ctimeMs}:${stat.size}`;
