import { ROLES, type Actor, type ActorRole } from './actor';
import { CASE_COMMAND_TYPES, type CaseCommandType, type CommandOf } from './case.commands';
import { event, type CaseEvent } from './case.events';
import { COMMAND_PERMISSIONS, mayIssue } from './permissions';
import { AT, CASE_ID, DUE, actors, after, given, registered, withMilestones } from './testing/given-when-then';

/**
 * Every command: the catalogue people send on the case's route, the one sent on an alert
 * (POST /v1/alerts/{id}/acknowledge) and the one only the engine sends (as the system actor).
 */
const ALL_COMMANDS: readonly CaseCommandType[] = [...CASE_COMMAND_TYPES, 'acknowledge-alert', 'fire-timer'];
const ALL_ROLES: readonly ActorRole[] = [...ROLES, 'system'];

/** The actor each role sends as: an organisation the command's own organisation checks accept. */
const actorOf: Record<ActorRole, Actor> = {
  system: { id: 'engine', role: 'system', organisation: 'pathway:engine' },
  referrer: actors.gp,
  clinic: actors.clinicNord,
  municipality: actors.aalborg,
  facility: actors.facilityA,
  coordinator: actors.coordinator,
  auditor: actors.auditor,
  admin: actors.admin,
};

/** Three hand-offs, one to each kind of recipient: the clinic, the municipality and facility A. */
const threeHandoffs: CaseEvent[] = [
  registered(),
  event('ClinicReferralMade', { occurredAt: AT, clinic: 'clinic:1081', handoffId: 'handoff-1' }),
  event('MunicipalityNotified', {
    occurredAt: AT,
    notificationId: 'notification-1',
    municipality: '851',
    byProfessional: true,
    handoffId: 'handoff-2',
  }),
  event('ResidentialPlacementRequested', { occurredAt: AT }),
  event('ResidentialPlacementGranted', {
    occurredAt: AT,
    facility: 'facility:holmegaardshuset',
    handoffId: 'handoff-3',
  }),
];
const handoffTo: Record<string, string> = {
  'clinic:1081': 'handoff-1',
  'municipality:851': 'handoff-2',
  'facility:holmegaardshuset': 'handoff-3',
};

const admittedWithContract = [
  registered(),
  ...after.placementGranted,
  ...after.residentialConsent,
  ...after.contractSigned,
  ...after.admitted,
];

/** Open milestones owned by the clinic, the municipality and facility A (and any a coordinator may act on). */
const withOwnedMilestones = withMilestones(
  registered(),
  event('ClinicReferralMade', { occurredAt: AT, clinic: 'clinic:1081', handoffId: 'handoff-1' }),
  ...after.placementGranted.map((e) =>
    e.type === 'ResidentialPlacementGranted' ? { ...e, data: { ...e.data, handoffId: 'handoff-2' } } : e,
  ),
  ...after.residentialConsent,
);
const ownedBy: Record<string, string> = {
  'clinic:1081': 'clinic-first-visit-1',
  'municipality:851': 'coordinator-assignment-1',
  'facility:holmegaardshuset': 'residential-admission-1',
};
/** A warning alert on each owned milestone, and on the referrer's duty to notify the municipality. */
const warnedOwned = [
  ...withOwnedMilestones,
  ...[...Object.values(ownedBy), 'municipality-notification-1'].map((milestone) =>
    event('MilestoneWarned', {
      occurredAt: AT,
      milestone,
      step: 'warning',
      owner: 'x',
      dueAt: '2026-12-07T09:00:00.000Z',
    }),
  ),
];
/** The referrer's own clinic referral (PROP), still open: she registered and has not referred yet. */
const referrerOwns = { milestone: 'clinic-referral-1', history: withMilestones(registered()) };
const ownedHistory =
  (history: CaseEvent[], paused = false) =>
  (a: Actor) =>
    a.role !== 'referrer'
      ? history
      : paused
        ? [
            ...referrerOwns.history,
            event('MilestonePaused', {
              occurredAt: AT,
              milestone: referrerOwns.milestone,
              reason: 'in hospital',
              resumeBy: '2026-12-07T09:00:00.000Z',
            }),
          ]
        : referrerOwns.history;
const ownedBy_ = (a: Actor) => (a.role === 'referrer' ? referrerOwns.milestone : ownedBy[a.organisation]);
const pausedOwned = [
  ...withOwnedMilestones,
  ...Object.values(ownedBy).map((milestone) =>
    event('MilestonePaused', {
      occurredAt: AT,
      milestone,
      reason: 'in hospital',
      resumeBy: '2026-12-07T09:00:00.000Z',
    }),
  ),
];

/**
 * For every command, a history in which it is reachable and a command every permitted role's actor
 * gets accepted: so a refusal below can only come from the role.
 */
const reachable: {
  [K in CaseCommandType]: {
    history: CaseEvent[] | ((actor: Actor) => CaseEvent[]);
    command: (actor: Actor) => CommandOf<K>;
  };
} = {
  'register-concern': {
    history: [],
    command: () => ({
      type: 'register-concern',
      data: {
        caseId: CASE_ID,
        reference: 'K7F3QX',
        cprRecorded: false,
        estimatedDueDate: DUE,
        municipality: '851',
        referrer: { kind: 'gp' },
        substances: ['alcohol'],
      },
    }),
  },
  'assign-coordinator': {
    history: [registered()],
    command: () => ({
      type: 'assign-coordinator',
      data: { coordinator: { id: 'bo', name: 'Bo', organisation: 'municipality:851' } },
    }),
  },
  'assign-caseworker': {
    history: [registered()],
    command: () => ({ type: 'assign-caseworker', data: { person: actors.aalborg.id } }),
  },
  'claim-case': { history: [registered()], command: () => ({ type: 'claim-case', data: {} }) },
  'refer-to-clinic': { history: [registered()], command: () => ({ type: 'refer-to-clinic', data: {} }) },
  'acknowledge-handoff': {
    history: threeHandoffs,
    command: (a) => ({ type: 'acknowledge-handoff', data: { handoffId: handoffTo[a.organisation] ?? 'handoff-1' } }),
  },
  'record-clinic-visit': {
    history: [registered(), ...after.referredToClinic],
    command: () => ({ type: 'record-clinic-visit', data: {} }),
  },
  'notify-municipality': { history: [registered()], command: () => ({ type: 'notify-municipality', data: {} }) },
  'confirm-notification-receipt': {
    history: [registered(), ...after.notified],
    command: () => ({ type: 'confirm-notification-receipt', data: {} }),
  },
  'assess-notification': {
    history: [registered(), ...after.notified],
    command: () => ({ type: 'assess-notification', data: { outcome: 'support' } }),
  },
  'request-treatment': {
    history: [registered()],
    command: () => ({ type: 'request-treatment', data: { kind: 'drugs' } }),
  },
  'start-treatment': {
    history: [registered(), ...after.treatmentRequested],
    command: () => ({ type: 'start-treatment', data: {} }),
  },
  'conclude-investigation': {
    history: [registered(), ...after.notified, ...after.investigating],
    command: () => ({ type: 'conclude-investigation', data: {} }),
  },
  'request-residential-placement': {
    history: [registered()],
    command: () => ({ type: 'request-residential-placement', data: {} }),
  },
  'decide-residential-placement': {
    history: [registered(), ...after.placementRequested],
    command: () => ({
      type: 'decide-residential-placement',
      data: { decision: 'granted', facility: 'facility:holmegaardshuset' },
    }),
  },
  'record-consent': {
    history: [registered()],
    command: () => ({ type: 'record-consent', data: { scope: 'residential', status: 'given' } }),
  },
  'offer-retention-contract': {
    history: [registered(), ...after.placementGranted],
    command: () => ({ type: 'offer-retention-contract', data: { outcome: 'signed' } }),
  },
  'admit-to-residential': {
    history: [registered(), ...after.placementGranted, ...after.residentialConsent],
    command: () => ({ type: 'admit-to-residential', data: {} }),
  },
  'start-retention-episode': {
    history: admittedWithContract,
    command: () => ({ type: 'start-retention-episode', data: {} }),
  },
  'end-retention-episode': {
    history: [...admittedWithContract, ...after.retentionEpisode],
    command: () => ({ type: 'end-retention-episode', data: {} }),
  },
  'end-retention-contract': {
    history: admittedWithContract,
    command: () => ({ type: 'end-retention-contract', data: {} }),
  },
  'discharge-from-residential': {
    history: admittedWithContract,
    command: () => ({ type: 'discharge-from-residential', data: {} }),
  },
  'record-network-meeting': { history: [registered()], command: () => ({ type: 'record-network-meeting', data: {} }) },
  'update-due-date': {
    history: [registered()],
    command: () => ({ type: 'update-due-date', data: { estimatedDueDate: '2027-03-08' } }),
  },
  'transfer-municipality': {
    history: [registered()],
    command: () => ({ type: 'transfer-municipality', data: { toMunicipality: '751' } }),
  },
  'record-birth': { history: [registered()], command: () => ({ type: 'record-birth', data: {} }) },
  'record-post-birth-plan': { history: [registered()], command: () => ({ type: 'record-post-birth-plan', data: {} }) },
  'record-health-visitor-visit': {
    history: [registered(), ...after.born],
    command: () => ({ type: 'record-health-visitor-visit', data: {} }),
  },
  'record-postpartum-check': {
    history: [registered(), ...after.born],
    command: () => ({ type: 'record-postpartum-check', data: {} }),
  },
  'record-pregnancy-ended': {
    history: [registered()],
    command: () => ({ type: 'record-pregnancy-ended', data: { reason: 'miscarriage' } }),
  },
  'record-lost-contact': { history: [registered()], command: () => ({ type: 'record-lost-contact', data: {} }) },
  'record-contact-restored': {
    history: [registered(), ...after.contactLost],
    command: () => ({ type: 'record-contact-restored', data: {} }),
  },
  'record-name': { history: [registered()], command: () => ({ type: 'record-name', data: {} }) },
  'close-case': { history: [registered()], command: () => ({ type: 'close-case', data: { reason: 'completed' } }) },
  'pause-milestone': {
    history: ownedHistory(withOwnedMilestones),
    command: (a) => ({ type: 'pause-milestone', data: { milestone: ownedBy_(a), reason: 'in hospital' } }),
  },
  'resume-milestone': {
    history: ownedHistory(pausedOwned, true),
    command: (a) => ({ type: 'resume-milestone', data: { milestone: ownedBy_(a) } }),
  },
  'waive-milestone': {
    history: ownedHistory(withOwnedMilestones),
    command: (a) => ({ type: 'waive-milestone', data: { milestone: ownedBy_(a), reason: 'she declines' } }),
  },
  'assign-milestone': {
    history: ownedHistory(withOwnedMilestones),
    command: (a) => ({ type: 'assign-milestone', data: { milestone: ownedBy_(a), person: a.id } }),
  },
  'claim-milestone': {
    history: ownedHistory(withOwnedMilestones),
    command: (a) => ({ type: 'claim-milestone', data: { milestone: ownedBy_(a) } }),
  },
  'migrate-policy': { history: withOwnedMilestones, command: () => ({ type: 'migrate-policy', data: { version: 3 } }) },
  'acknowledge-alert': {
    history: warnedOwned,
    command: (a) => ({
      type: 'acknowledge-alert',
      data: { alert: `${ownedBy[a.organisation] ?? 'municipality-notification-1'}.warning` },
    }),
  },
  'fire-timer': {
    history: withOwnedMilestones,
    command: () => ({ type: 'fire-timer', data: { timer: 'coordinator-assignment-1.warning.g1' } }),
  },
};

const pairs = ALL_COMMANDS.flatMap((command) =>
  ALL_ROLES.map((role) => [command, role, mayIssue(role, command)] as const),
);
const permitted = pairs.filter(([, , may]) => may);
const forbidden = pairs.filter(([, , may]) => !may);

describe('the role table', () => {
  it('covers every command of the catalogue and the engine exactly once, and nothing else', () => {
    expect(new Set(ALL_COMMANDS).size).toBe(ALL_COMMANDS.length);
    expect(Object.keys(COMMAND_PERMISSIONS).sort()).toEqual([...ALL_COMMANDS].sort());
  });

  it('names only known roles, each at most once, and lets at least one role send every command', () => {
    for (const command of ALL_COMMANDS) {
      const roles = COMMAND_PERMISSIONS[command];
      expect(roles.length).toBeGreaterThan(0);
      expect(new Set(roles).size).toBe(roles.length);
      for (const role of roles) expect(ALL_ROLES).toContain(role);
    }
  });

  it('lets only the engine (system) fire timers, and the engine nothing else', () => {
    expect(ALL_COMMANDS.filter((command) => mayIssue('system', command))).toEqual(['fire-timer']);
    expect(COMMAND_PERMISSIONS['fire-timer']).toEqual(['system']);
  });

  it.each(['auditor', 'admin'] as const)('lets the %s send no command: they only read', (role) => {
    expect(CASE_COMMAND_TYPES.filter((command) => mayIssue(role, command))).toEqual([]);
  });

  it('agrees with mayIssue', () => {
    for (const [command, role, may] of pairs) expect(may).toBe(COMMAND_PERMISSIONS[command].includes(role));
  });
});

describe('what the domain says about who does what', () => {
  it.each([
    [
      'only a facility admits, runs retention and discharges',
      [
        'admit-to-residential',
        'start-retention-episode',
        'end-retention-episode',
        'end-retention-contract',
        'discharge-from-residential',
      ],
      ['facility'],
    ],
    [
      'only a municipality confirms, assesses, investigates, starts treatment, decides placement, offers retention, transfers and records health-visitor visits',
      [
        'confirm-notification-receipt',
        'assess-notification',
        'conclude-investigation',
        'start-treatment',
        'decide-residential-placement',
        'offer-retention-contract',
        'transfer-municipality',
        'record-health-visitor-visit',
      ],
      ['municipality'],
    ],
    ['only a clinic records clinic visits', ['record-clinic-visit'], ['clinic']],
    [
      'only the municipality or the coordinator assigns a coordinator or a caseworker, takes the case and closes it',
      ['assign-coordinator', 'assign-caseworker', 'claim-case', 'close-case'],
      ['municipality', 'coordinator'],
    ],
  ] as const)('%s', (_what, commands, roles) => {
    for (const command of commands) expect([...COMMAND_PERMISSIONS[command]].sort()).toEqual([...roles].sort());
  });

  it('lets a referrer (GP, shelter, midwife…) register a concern, notify the municipality, refer to the clinic and report lost contact', () => {
    for (const command of [
      'register-concern',
      'notify-municipality',
      'refer-to-clinic',
      'record-lost-contact',
      'record-contact-restored',
    ] as const) {
      expect(mayIssue('referrer', command)).toBe(true);
    }
  });

  it('keeps a referrer out of the municipal and residential decisions', () => {
    for (const command of [
      'assess-notification',
      'decide-residential-placement',
      'admit-to-residential',
      'close-case',
      'record-consent',
    ] as const) {
      expect(mayIssue('referrer', command)).toBe(false);
    }
  });

  it('does not let a municipality notify itself, nor a clinic refer to a clinic', () => {
    expect(mayIssue('municipality', 'notify-municipality')).toBe(false);
    expect(mayIssue('clinic', 'refer-to-clinic')).toBe(false);
  });

  it('lets every case worker register a concern and acknowledge a hand-off sent to it', () => {
    for (const role of ['clinic', 'municipality', 'facility', 'coordinator'] as const) {
      expect(mayIssue(role, 'register-concern')).toBe(true);
      expect(mayIssue(role, 'acknowledge-handoff')).toBe(true);
    }
  });
});

const historyOf = (history: CaseEvent[] | ((actor: Actor) => CaseEvent[]), actor: Actor) =>
  typeof history === 'function' ? history(actor) : history;

describe('decide enforces the role table', () => {
  it.each(permitted)(
    'given a state where it is reachable, when a %s command comes from the role %s, then it is accepted',
    (command, role) => {
      const { history, command: build } = reachable[command];
      const actor = actorOf[role];
      expect(given(...historyOf(history, actor)).when(build(actor), actor).decision).toMatchObject({ ok: true });
    },
  );

  it.each(forbidden)(
    'given a state where it is reachable, when a %s command comes from the role %s, then ROLE_NOT_PERMITTED',
    (command, role) => {
      const { history: h, command: build } = reachable[command];
      const allowedRole = COMMAND_PERMISSIONS[command][0];
      const history = historyOf(h, actorOf[allowedRole]);
      const body = build(actorOf[allowedRole]);
      given(...history)
        .when(body, actorOf[role])
        .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
      // The role decides, not the organisation: the role with an organisation the command accepts is still refused.
      const impostor: Actor = { id: 'impostor', role, organisation: actorOf[allowedRole].organisation };
      given(...history)
        .when(body, impostor)
        .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
    },
  );

  it.each(forbidden)(
    'given the case is closed or missing, when a %s command comes from the role %s, then ROLE_NOT_PERMITTED comes before any other rule',
    (command, role) => {
      const body = reachable[command].command(actorOf[COMMAND_PERMISSIONS[command][0]]);
      given().when(body, actorOf[role]).thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
      given(registered(), ...after.closed)
        .when(body, actorOf[role])
        .thenRefused('ROLE_NOT_PERMITTED', 'forbidden');
    },
  );

  it.each(permitted.filter(([command]) => command !== 'register-concern'))(
    'given the case is closed, when a %s command comes from the permitted role %s, then CASE_CLOSED',
    (command, role) => {
      const { history, command: build } = reachable[command];
      const actor = actorOf[role];
      given(...historyOf(history, actor), ...after.closed)
        .when(build(actor), actor)
        .thenRefused('CASE_CLOSED');
    },
  );
});
