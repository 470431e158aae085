import { AsyncResource } from 'node:async_hooks';
import type { FireTimerCommand, WriteResult } from '@app/cases';

interface Waiting {
  timer: FireTimerCommand;
  resolve(result: WriteResult): void;
  reject(error: unknown): void;
}

/**
 * Gathers the deadline jobs a worker holds at the same moment into batches: a job waits at most for
 * the batch in flight (none when the worker is idle: the batch then starts on the next turn of the
 * event loop, with every job that arrived in this one). A batch holds each case once; a second timer
 * of the same case waits for the next batch, to be decided on the state the first one left.
 */
export class FiringBatches {
  private waiting: Waiting[] = [];
  private flushing = false;
  /** Starts a flush outside any job's log context: the batch's lines are not one job's. */
  private readonly startFlush = AsyncResource.bind(() => setImmediate(() => void this.flush()));

  constructor(private readonly fire: (timers: FireTimerCommand[]) => Promise<PromiseSettledResult<WriteResult>[]>) {}

  /** The timer's outcome, once the batch it joined has been fired. */
  submit(timer: FireTimerCommand): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ timer, resolve, reject });
      if (this.flushing) return;
      this.flushing = true;
      this.startFlush();
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const cases = new Set<string>();
      const batch: Waiting[] = [];
      const later: Waiting[] = [];
      for (const waiting of this.waiting) {
        if (cases.has(waiting.timer.caseId)) later.push(waiting);
        else {
          cases.add(waiting.timer.caseId);
          batch.push(waiting);
        }
      }
      this.waiting = later;
      try {
        const outcomes = await this.fire(batch.map((w) => w.timer));
        outcomes.forEach((outcome, i) =>
          outcome.status === 'fulfilled' ? batch[i].resolve(outcome.value) : batch[i].reject(outcome.reason),
        );
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    this.flushing = false;
  }
}
