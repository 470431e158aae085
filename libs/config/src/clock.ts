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
 * half-written, emptied or removed keeps the clock where it was: the watcher never throws (an
 * exception there would end the process), and says once, as a process warning, what it found.
 */
export class FileClock extends Clock {
  private offsetMs: number;
  private lastProblem: string | null = null;

  constructor(
    private readonly file: string,
    private readonly warn: (message: string) => void = (message) => process.emitWarning(message, 'FileClock'),
  ) {
    super();
    this.offsetMs = this.read();
    fs.watchFile(file, { interval: 50 }, () => this.reload()).unref();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  private reload(): void {
    try {
      this.offsetMs = this.read();
      this.lastProblem = null;
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      if (problem !== this.lastProblem) this.warn(`${problem}; the clock keeps its time`);
      this.lastProblem = problem;
    }
  }

  /** The offset from the machine's time: the instant in the file minus the moment it was written. */
  private read(): number {
    const fd = fs.openSync(this.file, 'r');
    try {
      const text = fs.readFileSync(fd, 'utf8').trim();
      const instant = Date.parse(text);
      if (Number.isNaN(instant))
        throw new Error(`PATHWAY_CLOCK_FILE ${this.file} does not hold an ISO 8601 instant: "${text}"`);
      return instant - fs.fstatSync(fd).mtimeMs;
    } finally {
      fs.closeSync(fd);
    }
  }
}
