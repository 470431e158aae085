import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CaseWriter, SYSTEM, type WriteRequest, type WriteResult } from '../../shared/case-writer';
import { FireTimerCommand, FireTimersCommand } from './fire-timer.command';

/**
 * Re-reads the case and lets the decider say what the timer means now: the ladder step fires, or
 * nothing happens because the milestone was met, the step already fired or the schedule moved.
 */
@CommandHandler(FireTimerCommand)
export class FireTimerHandler implements ICommandHandler<FireTimerCommand, WriteResult> {
  constructor(@Inject(CaseWriter) private readonly writer: CaseWriter) {}

  execute(command: FireTimerCommand): Promise<WriteResult> {
    return this.writer.write(firing(command));
  }
}

/** Fires timers of distinct cases together (CaseWriter.writeAll): each decided as FireTimerHandler would. */
@CommandHandler(FireTimersCommand)
export class FireTimersHandler implements ICommandHandler<FireTimersCommand, PromiseSettledResult<WriteResult>[]> {
  constructor(@Inject(CaseWriter) private readonly writer: CaseWriter) {}

  execute({ timers }: FireTimersCommand): Promise<PromiseSettledResult<WriteResult>[]> {
    return this.writer.writeAll(timers.map(firing));
  }
}

function firing({ caseId, timer, jobId, correlationId }: FireTimerCommand): WriteRequest {
  return {
    caseId,
    isNew: false,
    command: { type: 'fire-timer', data: { timer } },
    principal: SYSTEM,
    causationId: jobId,
    correlationId,
    status: 200,
    respond: (state) => ({ version: state.factVersion }),
  };
}
