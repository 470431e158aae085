import { randomBytes, randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, checkNoteLeavesNameOut, parseCpr, parsePersonName } from '@app/pathway';
import { OPEN_CASE_OF_WOMAN_KEY, UniqueViolation, WomanCases } from '@app/persistence';
import { CaseWriter, type WriteResult } from '../../shared/case-writer';
import { commandResponse } from '../../shared/case-response';
import { CprCipher } from '../../shared/cpr-cipher';
import { CprIndex } from '../../shared/cpr-index';
import { CaseAlreadyOpenError } from '../../shared/errors';
import { CaseDisclosure } from '../../shared/disclosure';
import { NameIndex } from '../../shared/name-index';
import { RequestFingerprint } from '../../shared/request-fingerprint';
import { RegisterConcernCommand } from './register-concern.command';

/** Crockford base32 without look-alikes (no I, L, O, U). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** How often a registration is tried again after its reference was taken or another case of hers opened. */
const ATTEMPTS = 5;

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
    @Inject(CprIndex) private readonly cprIndex: CprIndex,
    @Inject(WomanCases) private readonly women: WomanCases,
    @Inject(NameIndex) private readonly nameIndex: NameIndex,
  ) {}

  async execute({ principal, body, options }: RegisterConcernCommand): Promise<WriteResult> {
    const { cpr, name, ...concern } = body;
    const parsed = cpr === undefined ? null : parseCpr(cpr);
    if (cpr !== undefined && !parsed)
      throw new DomainError('INVALID_CPR', 'the CPR number is not DDMMYYSSSS with a real date');
    // Her name, kept as the CPR number is: encrypted beside the events, searchable by its words' blind index.
    const fullName = name === undefined ? null : parsePersonName(name);
    // Her note goes into the events, kept for ever: never with her name in it.
    if (fullName) checkNoteLeavesNameOut(concern.note, fullName);
    const herName = fullName
      ? { encrypted: this.cipher.encryptName(fullName), tokens: this.nameIndex.of(fullName) }
      : null;
    const cprIdentity = parsed
      ? { encryptedCpr: this.cipher.encrypt(parsed), cprIndex: this.cprIndex.of(parsed) }
      : null;
    const identity = cprIdentity || herName ? { ...cprIdentity, ...(herName && { name: herName }) } : undefined;
    const caseId = randomUUID();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.writer.write({
          caseId,
          isNew: true,
          command: {
            type: 'register-concern',
            data: {
              ...concern,
              caseId,
              reference: newCaseReference(),
              cprRecorded: cprIdentity !== null,
              ...(herName && { nameRecorded: true }),
            },
          },
          identity,
          // One open case per woman: a closed earlier one does not block (issue 15 §3).
          guard: cprIdentity ? () => this.refuseIfOpen(cprIdentity.cprIndex, principal.organisations) : undefined,
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
        // Another case of hers opened between the guard and the append (docs/adr/0011): tried
        // again, the guard answers for that case as it would have had it come first.
        const herCaseOpened = error instanceof UniqueViolation && error.constraint === OPEN_CASE_OF_WOMAN_KEY;
        if (herCaseOpened && attempt >= ATTEMPTS) throw new CaseAlreadyOpenError(null);
        if (!(referenceTaken || herCaseOpened) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  /**
   * CASE_ALREADY_OPEN when she has an open case: with its reference to a caller who may see it,
   * otherwise one neutral refusal, the same for every case she cannot see (and the same query).
   */
  private async refuseIfOpen(cprIndex: string, organisations: readonly string[]): Promise<void> {
    const open = await this.women.openCase(cprIndex, organisations);
    if (open) throw new CaseAlreadyOpenError(open.visible ? open.reference : null);
  }
}
