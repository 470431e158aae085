import { Command } from '@nestjs/cqrs';
import type { WriteResult } from '../../shared/case-writer';

/** A deadline job fired: the engine wakes the case. Sent by the worker, as the system. */
export class FireTimerCommand extends Command<WriteResult> {
  constructor(
    readonly caseId: string,
    readonly timer: string,
    /** The job that fired it: recorded as the events' causation. */
    readonly jobId: string,
    /** The correlation id of the command that scheduled the timer: its events carry it on. */
    readonly correlationId?: string,
  ) {
    super();
  }
}

/**
 * Timers of distinct cases that fell due together, fired as one batch (one read, one commit): the
 * outcome of each, in order, as if each had been sent alone as FireTimerCommand.
 */
export class FireTimersCommand extends Command<PromiseSettledResult<WriteResult>[]> {
  constructor(readonly timers: readonly FireTimerCommand[]) {
    super();
  }
}
