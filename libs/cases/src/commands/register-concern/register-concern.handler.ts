import { randomBytes, randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, parseCpr } from '@app/pathway';
import { UniqueViolation } from '@app/persistence';
import { CaseWriter, type WriteResult } from '../../shared/case-writer';
import { commandResponse } from '../../shared/case-response';
import { CprCipher } from '../../shared/cpr-cipher';
import { CaseDisclosure } from '../../shared/disclosure';
import { RequestFingerprint } from '../../shared/request-fingerprint';
import { RegisterConcernCommand } from './register-concern.command';

/** Crockford base32 without look-alikes (no I, L, O, U). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const REFERENCE_ATTEMPTS = 5;

/** A short reference people can say on the phone and alerts can carry instead of the CPR number. */
function newCaseReference(): string {
  return [...randomBytes(6)].map((b) => ALPHABET[b % 32]).join('');
}

@CommandHandler(RegisterConcernCommand)
export class RegisterConcernHandler implements ICommandHandler<RegisterConcernCommand, WriteResult> {
  constructor(
    @Inject(CaseWriter) private readonly writer: CaseWriter,
    @Inject(CprCipher) private readonly cipher: CprCipher,
    @Inject(RequestFingerprint) private readonly fingerprint: RequestFingerprint,
    @Inject(CaseDisclosure) private readonly disclosure: CaseDisclosure,
  ) {}

  async execute({ principal, body, options }: RegisterConcernCommand): Promise<WriteResult> {
    const { cpr, ...concern } = body;
    const parsed = cpr === undefined ? null : parseCpr(cpr);
    if (cpr !== undefined && !parsed)
      throw new DomainError('INVALID_CPR', 'the CPR number is not DDMMYYSSSS with a real date');
    const encryptedCpr = parsed ? this.cipher.encrypt(parsed) : null;
    const caseId = randomUUID();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.writer.write({
          caseId,
          isNew: true,
          command: {
            type: 'register-concern',
            data: { ...concern, caseId, reference: newCaseReference(), cprRecorded: encryptedCpr !== null },
          },
          identity: encryptedCpr === null ? undefined : { encryptedCpr },
          principal,
          idempotencyKey: options.idempotencyKey,
          fingerprint: options.idempotencyKey ? this.fingerprint.of('register-concern', body) : undefined,
          correlationId: options.correlationId,
          status: 201,
          respond: (state, _events, now, policies) =>
            commandResponse(state, [], now, policies, { principal, disclosure: this.disclosure }).case,
        });
      } catch (error) {
        const referenceTaken = error instanceof UniqueViolation && error.constraint === 'case_summaries_reference_key';
        if (!referenceTaken || attempt >= REFERENCE_ATTEMPTS) throw error;
      }
    }
  }
}
