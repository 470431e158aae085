/**
 * Given/when/then for the case decider: given these events, when this command by this actor,
 * then these events, or this refusal. Used by the specs only.
 */
import { withMilestoneEvents } from '../../milestones/engine';
import { defaultPolicy, shippedPolicies } from '../../policy/default-policy';
import { policyRegistry, type PolicyRegistry } from '../../policy/policy';
import type { Actor } from '../actor';
import type { CaseCommand, Person } from '../case.commands';
import { MILESTONE_EVENT_TYPES, event, type CaseEvent, type CaseEventData } from '../case.events';
import { fold, initialState, type OpenCase } from '../case.state';
import { decide } from '../decide';

/** The fixed "now" of the specs: Monday 23 November 2026, 10:00 in Copenhagen. */
export const NOW = new Date('2026-11-23T09:00:00.000Z');
export const AT = NOW.toISOString();
/** Due date 1 March 2027: 26+0 at NOW. */
export const DUE = '2027-03-01';
export const CASE_ID = '6f1c1f0e-5b8a-4d0e-9a43-2f8f0c1d2e3f';

/**
 * The default policy as the service loads it (version 2), the shipped versions before it (cases recorded
 * under them), and a version 3 identical to the default but for its number (for migrate-policy).
 */
export const POLICIES: PolicyRegistry = policyRegistry(defaultPolicy(), [
  ...shippedPolicies(),
  { ...defaultPolicy(), version: 3 },
]);

/** Facts interleaved with the milestone events they cause, as decide would have produced them. */
export function withMilestones(...facts: CaseEvent[]): CaseEvent[] {
  return withMilestoneEvents(initialState, facts, { now: NOW, policies: POLICIES });
}

const isFact = (e: CaseEvent) => !MILESTONE_EVENT_TYPES.has(e.type);

export const actors = {
  gp: { id: 'dr-hansen', role: 'referrer', organisation: 'gp:hansen' },
  shelter: { id: 'sara', role: 'referrer', organisation: 'shelter:kirkens-korshaer-aalborg' },
  aalborg: { id: 'mia', role: 'municipality', organisation: 'municipality:851' },
  aarhus: { id: 'ole', role: 'municipality', organisation: 'municipality:751' },
  clinicNord: { id: 'jordemoder-lis', role: 'clinic', organisation: 'clinic:1081' },
  clinicMidt: { id: 'jordemoder-eva', role: 'clinic', organisation: 'clinic:1082' },
  coordinator: { id: 'alice', role: 'coordinator', organisation: 'municipality:851' },
  facilityA: { id: 'karen', role: 'facility', organisation: 'facility:holmegaardshuset' },
  facilityB: { id: 'bo', role: 'facility', organisation: 'facility:kastaniegaarden' },
  auditor: { id: 'audrey', role: 'auditor', organisation: 'municipality:851' },
  admin: { id: 'root', role: 'admin', organisation: 'municipality:851' },
} satisfies Record<string, Actor>;

/** The organisations' directory of people: every actor above, as a person of her organisation. */
export const PEOPLE: readonly Person[] = Object.values(actors).map((a) => ({
  id: a.id,
  name: `Name of ${a.id}`,
  organisation: a.organisation,
}));

export function given(...history: CaseEvent[]) {
  const state = fold(history);
  return {
    state,
    when(
      command: CaseCommand,
      actor: Actor,
      now: Date = NOW,
      policies: PolicyRegistry = POLICIES,
      people: readonly Person[] = PEOPLE,
    ) {
      const decision = decide(state, command, { actor, now, policies, people });
      const ok = () => {
        if (!decision.ok)
          throw new Error(`expected events, got refusal ${decision.error.code}: ${decision.error.message}`);
        // Every decision must fold: evolve accepts what decide produced.
        expect(() => fold(decision.events, state)).not.toThrow();
        return decision.events;
      };
      return {
        decision,
        /** The facts decided (milestone events left out: see thenMilestones). */
        then(expected: CaseEvent[]) {
          expect(ok().filter(isFact)).toEqual(expected.filter(isFact));
        },
        /** The milestone events decided. */
        thenMilestones(expected: CaseEvent[]) {
          expect(ok().filter((e) => !isFact(e))).toEqual(expected);
        },
        events: () => ok(),
        thenRefused(code: string, kind: 'rule' | 'forbidden' | 'not-found' = 'rule') {
          if (decision.ok)
            throw new Error(`expected refusal ${code}, got ${decision.events.map((e) => e.type).join(', ')}`);
          expect({ code: decision.error.code, kind: decision.error.kind }).toEqual({ code, kind });
        },
      };
    },
  };
}

/** A concern registered by the GP for a woman in Aalborg (851), due 1 March 2027. */
export function registered(overrides: Partial<CaseEventData['ConcernRegistered']> = {}): CaseEvent {
  return event('ConcernRegistered', {
    policy: { name: 'pregnancy-substance-use', version: 2 },
    occurredAt: AT,
    caseId: CASE_ID,
    reference: 'K7F3QX',
    registeredBy: 'gp:hansen',
    referrer: { kind: 'gp', name: 'Lægehuset Hansen' },
    municipality: '851',
    estimatedDueDate: DUE,
    substances: ['cocaine'],
    cprRecorded: false,
    ...overrides,
  });
}

/** Common histories, each a list of events after registration. */
export const after = {
  referredToClinic: [event('ClinicReferralMade', { occurredAt: AT, clinic: 'clinic:1081', handoffId: 'handoff-1' })],
  notified: [
    event('MunicipalityNotified', {
      occurredAt: AT,
      notificationId: 'notification-1',
      municipality: '851',
      byProfessional: true,
      handoffId: 'handoff-1',
    }),
  ],
  placementRequested: [event('ResidentialPlacementRequested', { occurredAt: AT })],
  placementGranted: [
    event('ResidentialPlacementRequested', { occurredAt: AT }),
    event('ResidentialPlacementGranted', {
      occurredAt: AT,
      facility: 'facility:holmegaardshuset',
      handoffId: 'handoff-1',
    }),
  ],
  residentialConsent: [event('ConsentGiven', { occurredAt: AT, scope: 'residential' })],
  contractSigned: [
    event('ConsentGiven', { occurredAt: AT, scope: 'retention-contract' }),
    event('RetentionContractOffered', { occurredAt: AT, outcome: 'signed' }),
  ],
  admitted: [event('AdmittedToResidential', { occurredAt: AT, facility: 'facility:holmegaardshuset' })],
  born: [event('BirthRecorded', { occurredAt: AT })],
  closed: [event('CaseClosed', { occurredAt: AT, reason: 'completed' })],
  /** After `notified`: the notification was assessed "investigate", which opens an investigation. */
  investigating: [
    event('NotificationAssessed', { occurredAt: AT, notificationId: 'notification-1', outcome: 'investigate' }),
  ],
  treatmentRequested: [event('TreatmentRequested', { occurredAt: AT, kind: 'drugs' })],
  /** After `admitted` with `contractSigned`: the first retention episode is running. */
  retentionEpisode: [event('RetentionEpisodeStarted', { occurredAt: AT, episode: 1 })],
  contactLost: [event('ContactLost', { occurredAt: AT })],
};

/** The same events, happened at `at`: keeps a timeline consistent around a backdated command. */
export function happenedAt(at: string, events: CaseEvent[]): CaseEvent[] {
  return events.map((e) => ({ ...e, data: { ...e.data, occurredAt: at } }) as CaseEvent);
}

/** Where a history stands once the events a decision produced are folded in. */
export function stateAfter(history: CaseEvent[], events: CaseEvent[]): OpenCase {
  const state = fold([...history, ...events]);
  if (state.status === 'none') throw new Error('no case');
  return state;
}

/** The engine itself, as the timer worker sends fire-timer. */
export const SYSTEM_ACTOR: Actor = { id: 'engine', role: 'system', organisation: 'pathway:engine' };

/** `history` followed by what the command decided (fails the spec on a refusal): builds a timeline command by command. */
export function play(
  history: CaseEvent[],
  command: CaseCommand,
  actor: Actor,
  now: Date = NOW,
  policies: PolicyRegistry = POLICIES,
): CaseEvent[] {
  return [
    ...history,
    ...given(...history)
      .when(command, actor, now, policies)
      .events(),
  ];
}
