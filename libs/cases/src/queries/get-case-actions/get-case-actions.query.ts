import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';
import type { AvailableCommand } from '@app/pathway';

/**
 * The commands the caller may send on one of their organisations' cases now (see availableCommands
 * in @app/pathway). Not recorded as a read: it shows no case detail beyond what GET /v1/cases/{id},
 * which a client calls with it, has recorded.
 */
export class GetCaseActionsQuery extends Query<AvailableCommand[]> {
  constructor(
    readonly principal: Principal,
    readonly caseId: string,
  ) {
    super();
  }
}
