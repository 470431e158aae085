import { isActive, type Milestone } from '../milestones/milestone';
import { ruleOf } from '../policy/policy';
import type { SignalName } from '../policy/signals';
import { MUNICIPALITY_CODES, municipalityOrganisation } from '../reference/organisations';
import type { DecisionContext } from './actor';
import { CASE_COMMAND_TYPES, type CaseCommand } from './case.commands';
import type { CaseState, OpenCase } from './case.state';
import { decide } from './decide';
import { actingAsOwnerOrCoordinator, stillPregnant } from './decisions/guards';
import { DomainError } from './domain-error';
import { mayIssue } from './permissions';

/** A command people send on a case's own route, `POST /v1/cases/{id}/{command}`. */
export type CaseRouteCommand = Exclude<(typeof CASE_COMMAND_TYPES)[number], 'register-concern'>;

/** A command the actor may send on the case now, with what is already known of its body. */
export interface AvailableCommand {
  command: CaseRouteCommand;
  /**
   * `meets-milestone`: sending it meets `milestone`, an obligation of the actor's organisation (or
   * of the case's coordinator); `milestone-clock`: it pauses, resumes or waives `milestone`;
   * `stage`: it fits where the case is now.
   */
  reason: 'meets-milestone' | 'milestone-clock' | 'stage';
  /** The milestone instance it meets or acts on, e.g. `notification-assessment-1`. */
  milestone?: string;
  /** Body fields already known (a hand-off, a notification, a milestone instance); people fill in the rest. */
  prefill?: Record<string, unknown>;
}

/**
 * The command whose decision produces each signal a milestone can be met by (decisions/*.ts, and
 * milestones/signals-of.ts for the event → signal step). `key` names the body field that takes the
 * signal's key, so that an instance about one hand-off or notification is met by the command about
 * that same one. Signals several commands produce (a hand-off sent, admission possible) have no entry.
 */
const MEETING_COMMANDS: { readonly [S in SignalName]?: { command: CaseRouteCommand; key?: string } } = {
  'municipality-notified': { command: 'notify-municipality' },
  'municipality-notified-by-professional': { command: 'notify-municipality' },
  'notification-receipt-confirmed': { command: 'confirm-notification-receipt', key: 'notificationId' },
  'notification-assessed': { command: 'assess-notification', key: 'notificationId' },
  'investigation-opened': { command: 'assess-notification' },
  'investigation-concluded': { command: 'conclude-investigation' },
  'coordinator-assigned': { command: 'assign-coordinator' },
  'coordinator-first-assigned': { command: 'assign-coordinator' },
  'clinic-referral-made': { command: 'refer-to-clinic' },
  'clinic-visit-recorded': { command: 'record-clinic-visit' },
  'treatment-requested': { command: 'request-treatment' },
  'treatment-started': { command: 'start-treatment' },
  'placement-requested': { command: 'request-residential-placement' },
  'placement-decided': { command: 'decide-residential-placement' },
  'placement-granted': { command: 'decide-residential-placement' },
  'residential-consent-withdrawn': { command: 'record-consent' },
  admitted: { command: 'admit-to-residential' },
  'retention-contract-offered': { command: 'offer-retention-contract' },
  'retention-contract-signed': { command: 'offer-retention-contract' },
  // The facility ends it (the birth, the end of the pregnancy and the close end it too).
  'retention-contract-ended': { command: 'end-retention-contract' },
  'retention-episode-started': { command: 'start-retention-episode' },
  'retention-episode-ended': { command: 'end-retention-episode' },
  'network-meeting-recorded': { command: 'record-network-meeting' },
  'handoff-acknowledged': { command: 'acknowledge-handoff', key: 'handoffId' },
  'transfer-acknowledged': { command: 'acknowledge-handoff', key: 'handoffId' },
  'birth-recorded': { command: 'record-birth' },
  'pregnancy-ended': { command: 'record-pregnancy-ended' },
  'post-birth-plan-recorded': { command: 'record-post-birth-plan' },
  'health-visitor-visit-recorded': { command: 'record-health-visitor-visit' },
  'postpartum-check-recorded': { command: 'record-postpartum-check' },
  'case-closed': { command: 'close-case' },
};

type Target = Pick<AvailableCommand, 'milestone' | 'prefill'>;

interface Offer {
  /** Whether it fits where the case is now, beyond what the decider itself checks. */
  fits?: (state: OpenCase) => boolean;
  /**
   * Values for required fields that the decider's answer does not depend on, so that it can be
   * asked (never offered as prefill). `false`: the answer depends on what people fill in, so the
   * decider is not asked.
   */
  probe?: Record<string, unknown> | ((state: OpenCase) => Record<string, unknown>) | false;
  /** One offer per thing it acts on, with its prefill; without targets, one offer with nothing prefilled. */
  targets?: (state: OpenCase, ctx: DecisionContext) => Target[];
}

/** Filler for free text the decider only stores. */
const TEXT = 'available-commands probe';

const byDue = (a: Milestone, b: Milestone) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id);

/** pause, resume and waive: one offer per active milestone; the decider says which it may act on. */
const onActiveMilestones = (state: OpenCase): Target[] =>
  Object.values(state.milestones)
    .filter(isActive)
    .sort(byDue)
    .map((m) => ({ milestone: m.id, prefill: { milestone: m.id } }));

function passes(guard: () => void): boolean {
  try {
    guard();
    return true;
  } catch (error) {
    if (error instanceof DomainError) return false;
    throw error;
  }
}

/** Every command on the case's route: how the decider is asked about it, and when it fits the stage. */
const OFFERS: { readonly [K in CaseRouteCommand]: Offer } = {
  'assign-coordinator': {
    probe: (s) => ({ coordinator: { id: TEXT, name: TEXT, organisation: municipalityOrganisation(s.municipality) } }),
  },
  // Assigning and taking are the case page's people panel (with the organisation's people), not actions.
  'assign-caseworker': { fits: () => false },
  'claim-case': { fits: () => false },
  'refer-to-clinic': { fits: (s) => !s.clinic },
  'acknowledge-handoff': {
    targets: (s, ctx) =>
      s.handoffs
        .filter((h) => !h.acknowledgedAt && h.to === ctx.actor.organisation)
        .map((h) => ({ prefill: { handoffId: h.id } })),
  },
  'record-clinic-visit': {},
  // Once the responsible municipality has been notified, another notification is not the next step.
  'notify-municipality': { fits: (s) => !s.notifications.some((n) => n.municipality === s.municipality) },
  'confirm-notification-receipt': {},
  'assess-notification': { probe: { outcome: 'support' } },
  'request-treatment': { probe: { kind: 'drugs' } },
  'start-treatment': {},
  'conclude-investigation': {},
  'request-residential-placement': {},
  'decide-residential-placement': { probe: { decision: 'refused' } },
  'record-consent': { probe: false },
  'offer-retention-contract': { probe: { outcome: 'declined' } },
  'admit-to-residential': {},
  'start-retention-episode': {},
  'end-retention-episode': {},
  'end-retention-contract': {},
  'discharge-from-residential': {},
  'record-network-meeting': { fits: (s) => s.coordinator !== null },
  'update-due-date': { fits: (s) => passes(() => stillPregnant(s)), probe: false },
  'transfer-municipality': { probe: (s) => ({ toMunicipality: MUNICIPALITY_CODES.find((c) => c !== s.municipality) }) },
  'record-birth': {},
  'record-post-birth-plan': { fits: (s) => !s.postBirthPlanAt && !s.pregnancyEnded },
  'record-health-visitor-visit': {},
  'record-postpartum-check': {},
  'record-pregnancy-ended': { probe: { reason: 'miscarriage' } },
  'record-lost-contact': {},
  'record-contact-restored': {},
  'record-name': {},
  'close-case': { probe: { reason: 'completed' } }, // not offered while a legal duty is open (LEGAL_DUTY_OPEN)
  'pause-milestone': { targets: onActiveMilestones, probe: { reason: TEXT } },
  'resume-milestone': { targets: onActiveMilestones },
  'waive-milestone': { targets: onActiveMilestones, probe: { reason: TEXT } },
  'assign-milestone': { fits: () => false },
  'claim-milestone': { fits: () => false },
  'migrate-policy': {
    targets: (s, ctx) => {
      const { name, version } = ctx.policies.active;
      return name === s.policy.name && version > s.policy.version ? [{ prefill: { version } }] : [];
    },
  },
};

const ROUTE_COMMANDS = CASE_COMMAND_TYPES.filter((t): t is CaseRouteCommand => t !== 'register-concern');

/**
 * The commands the actor may send on the case now: first those that meet an open milestone of
 * theirs (soonest due first), then those that fit the case's stage, in catalogue order. Only what
 * the actor's role may send, and, wherever a body can be completed without people's input, only
 * what the decider accepts now. A closed case offers nothing. Pure.
 */
export function availableCommands(state: CaseState, ctx: DecisionContext): AvailableCommand[] {
  if (state.status !== 'open') return [];
  const accepted = (c: AvailableCommand): boolean => {
    if (!mayIssue(ctx.actor.role, c.command)) return false;
    const probe = OFFERS[c.command].probe;
    if (probe === false) return true;
    const filler = typeof probe === 'function' ? probe(state) : probe;
    return decide(state, { type: c.command, data: { ...filler, ...c.prefill } } as CaseCommand, ctx).ok;
  };
  const offers: AvailableCommand[] = [];
  for (const c of [...meetingMilestones(state, ctx), ...fittingStage(state, ctx)]) {
    // A command already offered with (at least) this prefill is not offered again.
    const known = offers.some(
      (o) => o.command === c.command && Object.entries(c.prefill ?? {}).every(([k, v]) => o.prefill?.[k] === v),
    );
    if (!known && accepted(c)) offers.push(c);
  }
  return offers;
}

/** The commands that meet a milestone rule met by these signals (its `metBy`), without repeats. */
export function commandsMeeting(metBy: readonly string[]): CaseRouteCommand[] {
  return [...new Set(metBy.flatMap((signal) => MEETING_COMMANDS[signal as SignalName]?.command ?? []))];
}

function meetingMilestones(state: OpenCase, ctx: DecisionContext): AvailableCommand[] {
  const policy = ctx.policies.get(state.policy);
  if (!policy) return [];
  return Object.values(state.milestones)
    .filter((m) => (m.status === 'open' || m.status === 'breached') && actingAsOwnerOrCoordinator(state, m.owner, ctx))
    .sort(byDue)
    .flatMap((m) =>
      (ruleOf(policy, m.rule)?.metBy ?? []).flatMap((signal) => {
        const meets = MEETING_COMMANDS[signal as SignalName];
        if (!meets) return [];
        const prefill = meets.key && m.key ? { prefill: { [meets.key]: m.key } } : {};
        return [{ command: meets.command, reason: 'meets-milestone' as const, milestone: m.id, ...prefill }];
      }),
    );
}

function fittingStage(state: OpenCase, ctx: DecisionContext): AvailableCommand[] {
  return ROUTE_COMMANDS.flatMap((command) => {
    const offer = OFFERS[command];
    if (offer.fits && !offer.fits(state)) return [];
    const targets = offer.targets ? offer.targets(state, ctx) : [{}];
    return targets.map((t) => ({
      command,
      reason: t.milestone ? ('milestone-clock' as const) : ('stage' as const),
      ...t,
    }));
  });
}
