import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import {
  DomainError,
  checkNoteLeavesNameOut,
  parsePersonName,
  summarise,
  type CaseState,
  type OpenCase,
} from '@app/pathway';
import type { CaseIdentity } from '@app/persistence';
import { CaseWriter, type WriteResult } from '../../shared/case-writer';
import { commandResponse } from '../../shared/case-response';
import { CprCipher } from '../../shared/cpr-cipher';
import { CaseDisclosure } from '../../shared/disclosure';
import { NameIndex } from '../../shared/name-index';
import { RequestFingerprint } from '../../shared/request-fingerprint';
import { ExecuteCaseCommand } from './execute-case-command.command';

/**
 * One handler for every command on an existing case: the rules live in the pure decider, so each
 * use case differs only in its command, not in how it is loaded, decided and stored. record-name
 * alone carries what the decider never sees: her name, kept beside the events (case_identities).
 */
@CommandHandler(ExecuteCaseCommand)
export class ExecuteCaseCommandHandler implements ICommandHandler<ExecuteCaseCommand, WriteResult> {
  constructor(
    @Inject(CaseWriter) private readonly writer: CaseWriter,
    @Inject(RequestFingerprint) private readonly fingerprint: RequestFingerprint,
    @Inject(CaseDisclosure) private readonly disclosure: CaseDisclosure,
    @Inject(CprCipher) private readonly cipher: CprCipher,
    @Inject(NameIndex) private readonly nameIndex: NameIndex,
  ) {}

  execute({ principal, caseId, command, options }: ExecuteCaseCommand): Promise<WriteResult> {
    const named = command.type === 'record-name' ? this.herName(principal, command.data) : null;
    return this.writer.write({
      caseId,
      isNew: false,
      command: named ? { type: 'record-name', data: named.data } : command,
      identity: named?.identity,
      guard: named?.guard,
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

  /**
   * record-name: the name taken out of the command (the decider and the events see only that one
   * was recorded), encrypted with the words' blind index; sent only by a caller shown her name. The
   * name and the note are checked after the access check (the guard): a caller with no part in the
   * case gets CASE_NOT_FOUND whatever she sent, one not shown her name IDENTITY_NOT_SHOWN.
   */
  private herName(
    principal: Principal,
    body: object,
  ): { data: { note?: string }; identity?: CaseIdentity; guard: (state: CaseState) => Promise<void> } {
    const { name, ...data } = body as { name: string; note?: string };
    let fullName: string | null = null;
    let invalid: unknown = null;
    try {
      fullName = parsePersonName(name);
    } catch (refusal) {
      invalid = refusal;
    }
    return {
      data,
      identity: fullName
        ? { name: { encrypted: this.cipher.encryptName(fullName), tokens: this.nameIndex.of(fullName) } }
        : undefined,
      guard: async (state) => {
        if (!this.disclosure.showsName(principal, summarise(state as OpenCase)))
          throw new DomainError(
            'IDENTITY_NOT_SHOWN',
            'only a caller shown her name in this case (her identity in full) may record it',
            'forbidden',
          );
        if (fullName === null) throw invalid;
        // The note goes into the events, kept for ever: never with her name in it.
        checkNoteLeavesNameOut(data.note, fullName);
      },
    };
  }
}
