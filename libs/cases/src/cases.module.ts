import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { PersistenceModule } from '@app/persistence';
import { ExecuteCaseCommandHandler } from './commands/execute-case-command/execute-case-command.handler';
import { FireTimerHandler, FireTimersHandler } from './commands/fire-timer/fire-timer.handler';
import { GetCaseActionsHandler } from './queries/get-case-actions/get-case-actions.handler';
import { GetCaseAuditHandler } from './queries/get-case-audit/get-case-audit.handler';
import { GetCaseMilestonesHandler } from './queries/get-case-milestones/get-case-milestones.handler';
import { GetPathwayHandler } from './queries/get-pathway/get-pathway.handler';
import { ListAlertsHandler } from './queries/list-alerts/list-alerts.handler';
import { ListReferralsHandler } from './queries/list-referrals/list-referrals.handler';
import { ListMilestonesHandler } from './queries/list-milestones/list-milestones.handler';
import { RegisterConcernHandler } from './commands/register-concern/register-concern.handler';
import { GetCaseHistoryHandler } from './queries/get-case-history/get-case-history.handler';
import { GetCaseHandler } from './queries/get-case/get-case.handler';
import { ListCasesHandler } from './queries/list-cases/list-cases.handler';
import { ListOrganisationsHandler } from './queries/list-organisations/list-organisations.handler';
import { CaseStateCache } from './shared/case-state-cache';
import { CaseWriter } from './shared/case-writer';
import { CprCipher } from './shared/cpr-cipher';
import { CprIndex } from './shared/cpr-index';
import { NameIndex } from './shared/name-index';
import { CaseDisclosure, caseDisclosureProvider } from './shared/disclosure';
import { RequestFingerprint } from './shared/request-fingerprint';

/** The application layer: command and query handlers over the event store and read models. */
@Module({
  imports: [CqrsModule, PersistenceModule],
  providers: [
    { provide: CprCipher, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new CprCipher(c.cprKeys) },
    { provide: CprIndex, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new CprIndex(c.cprIndexKey) },
    { provide: NameIndex, inject: [APP_CONFIG], useFactory: (c: AppConfig) => new NameIndex(c.cprIndexKey) },
    {
      provide: RequestFingerprint,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new RequestFingerprint(c.cprKeys.keys.get(c.cprKeys.currentKeyId) as Buffer),
    },
    { provide: CaseStateCache, useFactory: () => new CaseStateCache() },
    caseDisclosureProvider,
    CaseWriter,
    RegisterConcernHandler,
    ExecuteCaseCommandHandler,
    FireTimerHandler,
    FireTimersHandler,
    GetCaseMilestonesHandler,
    ListMilestonesHandler,
    ListAlertsHandler,
    ListReferralsHandler,
    GetPathwayHandler,
    GetCaseHandler,
    ListCasesHandler,
    GetCaseHistoryHandler,
    GetCaseAuditHandler,
    GetCaseActionsHandler,
    ListOrganisationsHandler,
  ],
  exports: [CqrsModule, PersistenceModule, CaseDisclosure],
})
export class CasesModule {}
