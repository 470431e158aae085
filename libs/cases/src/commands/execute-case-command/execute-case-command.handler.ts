import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CaseWriter, type WriteResult } from '../../shared/case-writer';
import { commandResponse } from '../../shared/case-response';
import { CaseDisclosure } from '../../shared/disclosure';
import { RequestFingerprint } from '../../shared/request-fingerprint';
import { ExecuteCaseCommand } from './execute-case-command.command';

/**
 * One handler for every command on an existing case: the rules live in the pure decider, so each
 * use case differs only in its command, not in how it is loaded, decided and stored.
 */
@CommandHandler(ExecuteCaseCommand)
export class ExecuteCaseCommandHandler implements ICommandHandler<ExecuteCaseCommand, WriteResult> {
  constructor(
    @Inject(CaseWriter) private readonly writer: CaseWriter,
    @Inject(RequestFingerprint) private readonly fingerprint: RequestFingerprint,
    @Inject(CaseDisclosure) private readonly disclosure: CaseDisclosure,
  ) {}

  execute({ principal, caseId, command, options }: ExecuteCaseCommand): Promise<WriteResult> {
    return this.writer.write({
      caseId,
      isNew: false,
      command,
      principal,
      expectedVersion: options.expectedVersion,
      idempotencyKey: options.idempotencyKey,
      fingerprint: options.idempotencyKey ? this.fingerprint.of(`${caseId}/${command.type}`, command.data) : undefined,
      correlationId: options.correlationId,
      status: 200,
      respond: (state, events, now, policies) =>
        commandResponse(
          state,
          events,
          now,
          policies,
          options.withCase ? { principal, disclosure: this.disclosure } : null,
        ),
    });
  }
}
