import { Command } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { CaseCommandData } from '@app/pathway';
import type { WriteResult } from '../../shared/case-writer';

/** The body of register-concern as clients send it: the CPR number and her name in clear, no ids. */
export type RegisterConcernBody = Omit<
  CaseCommandData['register-concern'],
  'caseId' | 'reference' | 'cprRecorded' | 'nameRecorded'
> & {
  cpr?: string;
  name?: string;
};

export interface CommandOptions {
  idempotencyKey?: string;
  correlationId?: string;
}

/** Opens a case: a concern about a pregnant woman's substance use, raised by a referrer. */
export class RegisterConcernCommand extends Command<WriteResult> {
  constructor(
    readonly principal: Principal,
    readonly body: RegisterConcernBody,
    readonly options: CommandOptions = {},
  ) {
    super();
  }
}
