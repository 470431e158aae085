import { Clock } from '@app/config';
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatCpr, maskCpr, municipalityOrganisation, viewAt } from '@app/pathway';
import { CaseReadLog, LivePolicyRegistry } from '@app/persistence';
import { CprCipher } from '../../shared/cpr-cipher';
import { openCase } from '../../shared/open-case';
import { GetCaseQuery, type CaseForViewer } from './get-case.query';

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery> {
  constructor(
    @Inject(CaseReadLog) private readonly reads: CaseReadLog,
    @Inject(CprCipher) private readonly cipher: CprCipher,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
  ) {}

  async execute({ principal, caseId }: GetCaseQuery): Promise<{ view: CaseForViewer; version: number }> {
    const now = this.clock.now();
    const record = await openCase(this.reads, principal, caseId, 'case', now);
    const { summary } = record;
    let cpr: string | null = null;
    // An envelope whose key left the ring answers cpr: null (hasCpr stays true), with a warning logged.
    const plain = record.encryptedCpr ? this.cipher.decryptOrWarn(record.encryptedCpr, summary.id) : null;
    if (plain) {
      const mayReadInFull = [municipalityOrganisation(summary.municipality.code), summary.clinic].some(
        (o) => o && principal.organisations.includes(o),
      );
      cpr = mayReadInFull ? formatCpr(plain) : maskCpr(plain);
    }
    return { view: { ...viewAt(summary, now, this.policies), cpr }, version: summary.version };
  }
}
