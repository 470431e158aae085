import { Command } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { CaseCommand } from '@app/pathway';
import type { WriteResult } from '../../shared/case-writer';
import type { CommandOptions } from '../register-concern/register-concern.command';

/** Any command on an existing case (everything but register-concern). */
export class ExecuteCaseCommand extends Command<WriteResult> {
  constructor(
    readonly principal: Principal,
    readonly caseId: string,
    readonly command: Exclude<CaseCommand, { type: 'register-concern' }>,
    readonly options: CommandOptions & { expectedVersion?: number } = {},
  ) {
    super();
  }
}
