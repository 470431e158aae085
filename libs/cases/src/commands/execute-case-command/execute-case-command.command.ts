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
    /** Commands people send; register-concern has its own, and fire-timer is the engine's. */
    readonly command: Exclude<CaseCommand, { type: 'register-concern' | 'fire-timer' }>,
    /** withCase: answer with the case after the command (Prefer: return=representation). */
    readonly options: CommandOptions & { expectedVersion?: number; withCase?: boolean } = {},
  ) {
    super();
  }
}
