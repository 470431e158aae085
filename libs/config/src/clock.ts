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
 */
export class FileClock extends Clock {
  private offsetMs = 0;

  constructor(private readonly file: string) {
    super();
    this.read();
    fs.watchFile(file, { interval: 50 }, () => this.read()).unref();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  close(): void {
    fs.unwatchFile(this.file);
  }

  private read(): void {
    const text = fs.readFileSync(this.file, 'utf8').trim();
    const instant = Date.parse(text);
    if (Number.isNaN(instant))
      throw new Error(`PATHWAY_CLOCK_FILE ${this.file} does not hold an ISO 8601 instant: "${text}"`);
    this.offsetMs = instant - fs.statSync(this.file).mtimeMs;
  }
}
