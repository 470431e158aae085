import { isActive, type Milestone } from '../../milestones/milestone';
import { municipalityOrganisation } from '../../reference/organisations';
import type { DecisionContext } from '../actor';
import type { CaseCommandData, Person } from '../case.commands';
import { event, type CaseEvent } from '../case.events';
import type { OpenCase } from '../case.state';
import { refuse } from '../domain-error';
import { noted, type CaseContext } from './guards';
import { milestoneFor } from './milestones';

/**
 * Who does the work: the case's caseworker (a person of the responsible municipality) and each
 * milestone's assignee (a person of the milestone's owner organisation). Only people of that
 * organisation assign or claim, and only a person its directory of people knows (ctx.people, which
 * the case writer looks up: this stays pure).
 */

/** The organisation whose people own the case's work: the responsible municipality. */
function caseOwner(state: OpenCase): string {
  return municipalityOrganisation(state.municipality);
}

function actingFor(organisation: string, ctx: DecisionContext, code: string, what: string): void {
  if (ctx.actor.organisation !== organisation) refuse(code, `only people of ${organisation} may ${what}`, 'forbidden');
}

/** The person with this id in the organisation's directory, or the refusal. */
function personOf(id: string, organisation: string, ctx: DecisionContext): Person {
  const person = ctx.people?.find((p) => p.id === id && p.organisation === organisation);
  if (!person)
    refuse(
      'PERSON_NOT_IN_ORGANISATION',
      `${id} is not among the people of ${organisation} (GET /v1/organisations/${organisation}/people)`,
    );
  return { id: person.id, name: person.name, organisation };
}

const samePerson = (a: Person | null | undefined, b: Person | null): boolean =>
  (a ?? null) === null ? b === null : b !== null && a!.id === b.id && a!.organisation === b.organisation;

function caseworkerEvents(
  state: OpenCase,
  caseworker: Person | null,
  claimed: boolean,
  data: { note?: string },
  ctx: CaseContext,
): CaseEvent[] {
  const previous = state.caseworker;
  if (samePerson(previous, caseworker))
    refuse(
      caseworker ? 'CASEWORKER_ALREADY_ASSIGNED' : 'CASEWORKER_NOT_ASSIGNED',
      caseworker ? `${caseworker.id} is already the case's caseworker` : 'the case has no caseworker',
    );
  return [event('CaseworkerAssigned', { occurredAt: ctx.at, caseworker, previous, claimed, ...noted(data) })];
}

export function assignCaseworker(
  state: OpenCase,
  data: CaseCommandData['assign-caseworker'],
  ctx: CaseContext,
): CaseEvent[] {
  const owner = caseOwner(state);
  actingFor(owner, ctx, 'NOT_RESPONSIBLE_MUNICIPALITY', 'assign the case’s caseworker');
  return caseworkerEvents(state, data.person === null ? null : personOf(data.person, owner, ctx), false, data, ctx);
}

export function claimCase(state: OpenCase, data: CaseCommandData['claim-case'], ctx: CaseContext): CaseEvent[] {
  const owner = caseOwner(state);
  actingFor(owner, ctx, 'NOT_RESPONSIBLE_MUNICIPALITY', 'take the case');
  return caseworkerEvents(state, personOf(ctx.actor.id, owner, ctx), true, data, ctx);
}

function activeMilestone(state: OpenCase, id: string, ctx: DecisionContext): Milestone {
  const m = milestoneFor(state, id, ctx);
  actingFor(m.owner, ctx, 'NOT_MILESTONE_OWNER', `assign or take ${m.id}`);
  if (!isActive(m)) refuse('MILESTONE_NOT_OPEN', `${m.id} is ${m.status}`);
  return m;
}

function assigneeEvents(
  m: Milestone,
  assignee: Person | null,
  claimed: boolean,
  data: { note?: string },
  ctx: CaseContext,
): CaseEvent[] {
  const previous = m.assignee ?? null;
  if (samePerson(previous, assignee))
    refuse(
      assignee ? 'MILESTONE_ALREADY_ASSIGNED' : 'MILESTONE_NOT_ASSIGNED',
      assignee ? `${assignee.id} already does ${m.id}` : `nobody is assigned to ${m.id}`,
    );
  return [
    event('MilestoneAssigneeChanged', {
      occurredAt: ctx.at,
      milestone: m.id,
      assignee,
      previous,
      claimed,
      ...noted(data),
    }),
  ];
}

export function assignMilestone(
  state: OpenCase,
  data: CaseCommandData['assign-milestone'],
  ctx: CaseContext,
): CaseEvent[] {
  const m = activeMilestone(state, data.milestone, ctx);
  return assigneeEvents(m, data.person === null ? null : personOf(data.person, m.owner, ctx), false, data, ctx);
}

export function claimMilestone(
  state: OpenCase,
  data: CaseCommandData['claim-milestone'],
  ctx: CaseContext,
): CaseEvent[] {
  const m = activeMilestone(state, data.milestone, ctx);
  return assigneeEvents(m, personOf(ctx.actor.id, m.owner, ctx), true, data, ctx);
}
