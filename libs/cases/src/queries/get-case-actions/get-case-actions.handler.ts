import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Clock } from '@app/config';
import { sharesOrganisation } from '@app/auth';
import { availableCommands, summarise, type AvailableCommand } from '@app/pathway';
import { EventStore, LivePolicyRegistry } from '@app/persistence';
import { actingOrganisation } from '../../shared/case-writer';
import { CaseDisclosure } from '../../shared/disclosure';
import { CaseNotFoundError } from '../../shared/errors';
import { readCase } from '../../shared/read-case';
import { GetCaseActionsQuery } from './get-case-actions.query';

@QueryHandler(GetCaseActionsQuery)
export class GetCaseActionsHandler implements IQueryHandler<GetCaseActionsQuery> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(CaseDisclosure) private readonly disclosure: CaseDisclosure,
  ) {}

  async execute({ principal, caseId }: GetCaseActionsQuery): Promise<AvailableCommand[]> {
    // The stream, not the writer's cache: another API instance may have written since.
    const state = await readCase(this.store, caseId);
    if (state.status === 'none' || !sharesOrganisation(principal, state.parties)) throw new CaseNotFoundError();
    // The actor a command would be decided as (CaseWriter), so that what is offered is what would be accepted.
    const actor = { id: principal.sub, role: principal.role, organisation: actingOrganisation(principal, state) };
    const offers = availableCommands(state, { now: this.clock.now(), actor, policies: this.policies });
    return this.disclosure.actions(this.disclosure.of(principal, summarise(state)), offers);
  }
}
