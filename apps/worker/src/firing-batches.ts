import { AsyncResource } from 'node:async_hooks';
import type { FireTimerCommand, WriteResult } from '@app/cases';

interface Waiting {
  timer: FireTimerCommand;
  resolve(result: WriteResult): void;
  reject(error: unknown): void;
}

/**
 * Gathers the deadline jobs a worker holds at the same moment into batches. Up to `inFlight` batches
 * run at once (a batch's appends are one transaction on one connection: two keep both of
 * PostgreSQL's cores busy); a job waits at most for a batch in flight to finish, and none when the
 * worker is idle: a batch then starts on the next turn of the event loop, with every job that arrived
 * in this one. A case is in one batch at a time: its second timer waits for a later batch, to be
 * decided on the state the first one left.
 */
export class FiringBatches {
  private waiting: Waiting[] = [];
  /** The cases of the batches in flight. */
  private readonly firing = new Set<string>();
  private flushes = 0;
  /** Starts a flush outside any job's log context: the batch's lines are not one job's. */
  private readonly startFlush = AsyncResource.bind(() => setImmediate(() => void this.flush()));

  constructor(
    private readonly fire: (timers: FireTimerCommand[]) => Promise<PromiseSettledResult<WriteResult>[]>,
    private readonly inFlight = 2,
  ) {}

  /** The timer's outcome, once the batch it joined has been fired. */
  submit(timer: FireTimerCommand): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ timer, resolve, reject });
      if (this.flushes >= this.inFlight) return;
      this.flushes++;
      this.startFlush();
    });
  }

  private async flush(): Promise<void> {
    for (let batch = this.take(); batch.length > 0; batch = this.take()) {
      try {
        const outcomes = await this.fire(batch.map((w) => w.timer));
        outcomes.forEach((outcome, i) =>
          outcome.status === 'fulfilled' ? batch[i].resolve(outcome.value) : batch[i].reject(outcome.reason),
        );
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      } finally {
        for (const waiting of batch) this.firing.delete(waiting.timer.caseId);
      }
    }
    this.flushes--;
  }

  /** The waiting timers of cases not in flight, one per case; the others keep waiting. */
  private take(): Waiting[] {
    const batch: Waiting[] = [];
    const later: Waiting[] = [];
    for (const waiting of this.waiting) {
      if (this.firing.has(waiting.timer.caseId)) later.push(waiting);
      else {
        this.firing.add(waiting.timer.caseId);
        batch.push(waiting);
      }
    }
    this.waiting = later;
    return batch;
  }
}
