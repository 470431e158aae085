import { Clock } from '@app/config';
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { disclosedCpr, showsName, viewAt } from '@app/pathway';
import { CaseReadLog, LivePolicyRegistry, WomanCases } from '@app/persistence';
import { CprCipher } from '../../shared/cpr-cipher';
import { CaseDisclosure } from '../../shared/disclosure';
import { openCase } from '../../shared/open-case';
import { GetCaseQuery, type CaseForViewer } from './get-case.query';

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery> {
  constructor(
    @Inject(CaseReadLog) private readonly reads: CaseReadLog,
    @Inject(CprCipher) private readonly cipher: CprCipher,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(CaseDisclosure) private readonly disclosure: CaseDisclosure,
    @Inject(WomanCases) private readonly women: WomanCases,
  ) {}

  async execute({ principal, caseId }: GetCaseQuery): Promise<{ view: CaseForViewer; version: number }> {
    const now = this.clock.now();
    // The full CPR number and her name are recorded as reads of their own, in the transaction that records the view.
    const record = await openCase(this.reads, principal, caseId, 'case', now, (found) => {
      const shown = this.disclosure.of(principal, found.summary);
      return [
        ...(shown.identity === 'full' && found.encryptedCpr ? (['cpr'] as const) : []),
        ...(showsName(shown) && found.encryptedName ? (['name'] as const) : []),
      ];
    });
    const { summary } = record;
    // An envelope whose key left the ring answers cpr: null (hasCpr stays true), with a warning logged.
    const d = this.disclosure.of(principal, summary);
    const cpr =
      record.encryptedCpr && d.identity !== 'none' ? this.cipher.decryptOrWarn(record.encryptedCpr, summary.id) : null;
    // Her name only where it is shown (showsName: her identity in full); caseView leaves it out elsewhere.
    const name =
      record.encryptedName && showsName(d) ? this.cipher.decryptNameOrWarn(record.encryptedName, summary.id) : null;
    // Her earlier cases (linked by the CPR's blind index): to a caller shown her identity in both.
    const earlier =
      d.identity !== 'none'
        ? this.disclosure.earlierCases(principal, await this.women.earlierCases(summary.id, principal.organisations))
        : undefined;
    return {
      view: this.disclosure.caseView(d, viewAt(summary, now, this.policies), disclosedCpr(d, cpr), earlier, name),
      version: summary.version,
    };
  }
}
