import { Clock } from '@app/config';
import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatCpr, maskCpr, municipalityOrganisation, viewAt } from '@app/pathway';
import { CaseReadModel } from '@app/persistence';
import { CprCipher } from '../../shared/cpr-cipher';
import { CaseNotFoundError } from '../../shared/errors';
import { GetCaseQuery, type CaseForViewer } from './get-case.query';

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery> {
  constructor(
    @Inject(CaseReadModel) private readonly readModel: CaseReadModel,
    @Inject(CprCipher) private readonly cipher: CprCipher,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ principal, caseId }: GetCaseQuery): Promise<{ view: CaseForViewer; version: number }> {
    const record = await this.readModel.findById(caseId, principal.organisations);
    if (!record) throw new CaseNotFoundError();
    const { summary } = record;
    let cpr: string | null = null;
    if (record.encryptedCpr) {
      const plain = this.cipher.decrypt(record.encryptedCpr);
      const mayReadInFull = [municipalityOrganisation(summary.municipality.code), summary.clinic].some((o) => o && principal.organisations.includes(o));
      cpr = mayReadInFull ? formatCpr(plain) : maskCpr(plain);
    }
    return { view: { ...viewAt(summary, this.clock.now()), cpr }, version: summary.version };
  }
}
