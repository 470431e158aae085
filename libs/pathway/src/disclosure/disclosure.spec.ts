import fs from 'node:fs';
import path from 'node:path';
import type { Role } from '../case/actor';
import { CONSENT_SCOPES, type ConsentScope } from '../case/case.commands';
import { event, type CaseEvent } from '../case/case.events';
import { fold, type OpenCase } from '../case/case.state';
import { summarise, viewAt } from '../case/case-summary';
import { earlierCaseOf } from '../case/earlier-cases';
import { AT, CASE_ID, DUE, NOW, POLICIES } from '../case/testing/given-when-then';
import { parseCpr } from '../cpr';
import type { Explanation } from '../milestones/milestone';
import { defaultPolicy } from '../policy/default-policy';
import {
  CASE_FIELD_CLASSES,
  EVENT_CLASSES,
  disclosedCpr,
  discloseCase,
  discloseActor,
  discloseEvent,
  discloseMilestoneClock,
  disclosureFor,
  earlierCasesShown,
  eventClass,
  handoffDeadlinesShown,
  milestoneClass,
  roleAlwaysSees,
  showsName,
  type Viewer,
} from './disclosure';
import {
  DISCLOSURE_CLASSES,
  PARTY_KINDS,
  defaultDisclosurePolicy,
  parseDisclosurePolicy,
  type DisclosureClass,
} from './disclosure-policy';

const policy = defaultDisclosurePolicy();

/** A case registered by a GP, referred to clinic:1081, placed at facility:holmegaardshuset, coordinated from municipality:851. */
function caseWith(consent: Partial<Record<ConsentScope, 'given' | 'withdrawn'>> = {}): OpenCase {
  const events: CaseEvent[] = [
    event('ConcernRegistered', {
      occurredAt: AT,
      caseId: CASE_ID,
      reference: 'K7F3QX',
      registeredBy: 'gp:hansen',
      referrer: { kind: 'gp' },
      municipality: '851',
      estimatedDueDate: DUE,
      substances: ['alcohol'],
      encryptedCpr: 'v1.x',
      note: 'she told me about the drinking',
    }),
    event('CoordinatorAssigned', {
      occurredAt: AT,
      coordinator: { id: 'alice', name: 'Alice', organisation: 'municipality:851' },
      previous: null,
    }),
    event('ClinicReferralMade', { occurredAt: AT, clinic: 'clinic:1081', handoffId: 'handoff-1' }),
    event('MunicipalityNotified', {
      occurredAt: AT,
      notificationId: 'n-1',
      municipality: '851',
      byProfessional: true,
      handoffId: 'handoff-2',
    }),
    event('NotificationAssessed', { occurredAt: AT, notificationId: 'n-1', outcome: 'investigate' }),
    event('ResidentialPlacementRequested', { occurredAt: AT }),
    event('ResidentialPlacementGranted', {
      occurredAt: AT,
      facility: 'facility:holmegaardshuset',
      handoffId: 'handoff-3',
    }),
  ];
  for (const [scope, status] of Object.entries(consent))
    events.push(
      event('ConsentGiven', { occurredAt: AT, scope: scope as ConsentScope }),
      ...(status === 'withdrawn' ? [event('ConsentWithdrawn', { occurredAt: AT, scope: scope as ConsentScope })] : []),
    );
  return fold(events) as OpenCase;
}

const viewers: Record<string, Viewer> = {
  referrer: { role: 'referrer', organisations: ['gp:hansen'] },
  clinic: { role: 'clinic', organisations: ['clinic:1081'] },
  municipality: { role: 'municipality', organisations: ['municipality:851'] },
  facility: { role: 'facility', organisations: ['facility:holmegaardshuset'] },
  coordinator: { role: 'coordinator', organisations: ['municipality:851'] },
  auditor: { role: 'auditor', organisations: ['municipality:851'] },
  admin: { role: 'admin', organisations: ['municipality:851'] },
};

const sorted = (classes: ReadonlySet<DisclosureClass>) => [...classes].sort();

describe('disclosureFor: every party × every consent state', () => {
  const L = ['logistics', 'referral'];
  const LD = ['decisions', 'logistics', 'referral'];
  const ALL = ['clinical', 'decisions', 'logistics', 'referral'];
  // party → [identity, classes with no consent, with information-sharing, with residential, after withdrawal of both]
  const expected: Record<string, [string, string[], string[], string[], string[]]> = {
    referrer: ['none', ['referral'], ['referral'], ['referral'], ['referral']],
    clinic: ['full', L, ALL, L, L],
    municipality: ['full', ALL, ALL, ALL, ALL],
    facility: ['masked', L, ALL, ALL, L],
    coordinator: ['masked', LD, ALL, LD, LD],
    auditor: ['none', LD, LD, LD, LD],
    admin: ['none', L, L, L, L],
  };
  const states: [string, Partial<Record<ConsentScope, 'given' | 'withdrawn'>>][] = [
    ['no consent', {}],
    ['information-sharing given', { 'information-sharing': 'given' }],
    ['residential given', { residential: 'given' }],
    ['both withdrawn', { 'information-sharing': 'withdrawn', residential: 'withdrawn' }],
  ];
  for (const [party, [identity, ...byState]] of Object.entries(expected))
    states.forEach(([name, consent], i) =>
      it(`${party}, ${name}: identity ${identity}, ${byState[i].join(' ')}`, () => {
        const d = disclosureFor(policy, viewers[party], summarise(caseWith(consent)));
        expect(d.parties).toEqual([party]);
        expect(d.identity).toBe(identity);
        expect(sorted(d.classes)).toEqual(byState[i]);
      }),
    );

  it('decides by role AND organisation: another role of the municipality never gets the full CPR number', () => {
    const c = summarise(caseWith({ 'information-sharing': 'given' }));
    for (const role of ['auditor', 'admin', 'referrer', 'facility', 'clinic', 'coordinator'] as Role[]) {
      const d = disclosureFor(policy, { role, organisations: ['municipality:851'] }, c);
      expect([role, d.identity]).not.toEqual([role, 'full']);
    }
    // A clinic caseworker of another clinic, a municipality that is not responsible: not parties at all.
    expect(disclosureFor(policy, { role: 'clinic', organisations: ['clinic:1082'] }, c).parties).toEqual([]);
    expect(disclosureFor(policy, { role: 'municipality', organisations: ['municipality:751'] }, c).classes.size).toBe(
      0,
    );
  });

  it('a former municipality after a transfer holds the part "other": logistics, no identity', () => {
    const c = summarise(caseWith());
    const moved = {
      ...c,
      municipality: { ...c.municipality, code: '751' },
      parties: [...c.parties, 'municipality:751'],
    };
    const former = disclosureFor(policy, viewers.municipality, moved);
    expect(former).toMatchObject({ parties: ['other'], identity: 'none' });
    expect(sorted(former.classes)).toEqual(['logistics', 'referral']);
  });

  it('shows the CPR number in the form decided, and none when the identity is not shown', () => {
    const cpr = parseCpr('030487-1234')!;
    expect(disclosedCpr({ parties: [], identity: 'full', classes: new Set() }, cpr)).toBe('030487-1234');
    expect(disclosedCpr({ parties: [], identity: 'masked', classes: new Set() }, cpr)).not.toContain('1234');
    expect(disclosedCpr({ parties: [], identity: 'none', classes: new Set() }, cpr)).toBeNull();
  });

  it('shows her name exactly where her identity is shown in full: not where it is masked (a name is not masked), nor elsewhere', () => {
    const of = (identity: 'full' | 'masked' | 'none') => ({ parties: [], identity, classes: new Set<never>() });
    expect([showsName(of('full')), showsName(of('masked')), showsName(of('none'))]).toEqual([true, false, false]);
    for (const [viewer, shown, hasCpr] of [
      ['municipality', true, true],
      ['clinic', true, true],
      ['facility', false, true],
      ['coordinator', false, true],
      ['referrer', false, false],
      ['auditor', false, false],
    ] as const) {
      const d = disclosureFor(policy, viewers[viewer], summarise(caseWith({})));
      const view = discloseCase(d, viewAt(summarise(caseWith({})), NOW, POLICIES), null, undefined, 'Anna Jensen');
      expect({ viewer, name: view.name, hasCpr: 'cpr' in view }).toEqual({
        viewer,
        name: shown ? 'Anna Jensen' : undefined,
        hasCpr,
      });
    }
  });
});

describe('roleAlwaysSees: what a list filter may rely on', () => {
  it('the referrer is not always shown the logistics (her own referral shows the referral only); every other role is', () => {
    const roles = Object.keys(viewers) as Role[];
    expect(roles.filter((r) => !roleAlwaysSees(policy, r, 'logistics'))).toEqual(['referrer']);
    expect(roles.filter((r) => !roleAlwaysSees(policy, r, 'referral'))).toEqual([]);
    // Not even the municipality: a former municipality holds the part `other`, without the clinical class.
    expect(roles.filter((r) => roleAlwaysSees(policy, r, 'clinical'))).toEqual([]);
  });

  it('agrees with disclosureFor: a role always shown a class is shown it in every case and consent state it has a part in', () => {
    for (const [name, viewer] of Object.entries(viewers))
      for (const consent of [{}, { 'information-sharing': 'given' as const }, { residential: 'given' as const }])
        for (const cls of DISCLOSURE_CLASSES) {
          const d = disclosureFor(policy, viewer, summarise(caseWith(consent)));
          if (roleAlwaysSees(policy, viewer.role, cls))
            expect([name, cls, d.classes.has(cls)]).toEqual([name, cls, true]);
        }
  });
});

describe('discloseCase and discloseEvent', () => {
  it('classes every field of a real case view (a new field without a class fails here)', () => {
    const view = viewAt(summarise(caseWith({ residential: 'given' })), NOW, POLICIES);
    expect(Object.keys(view).sort()).toEqual(
      Object.keys(CASE_FIELD_CLASSES)
        .filter((k) => k !== 'cpr' && k !== 'name' && k !== 'earlierCases')
        .sort(),
    );
  });

  it('classes every event type of CaseEventData (a new event type without a class fails here)', () => {
    const source = fs.readFileSync(path.join(__dirname, '../case/case.events.ts'), 'utf8');
    const start = source.indexOf('export interface CaseEventData {');
    const body = source.slice(start, source.indexOf('\n}\n', start));
    const types = [...body.matchAll(/^ {2}([A-Z][A-Za-z]+):/gm)].map((m) => m[1]);
    expect(types.length).toBeGreaterThan(40);
    expect(Object.keys(EVENT_CLASSES).sort()).toEqual(types.sort());
  });

  it('the referrer sees her referral only: no clinical detail, decisions, identity or other hand-offs', () => {
    const c = caseWith({ 'information-sharing': 'given', residential: 'given' });
    const d = disclosureFor(policy, viewers.referrer, summarise(c));
    const shown = discloseCase(d, viewAt(summarise(c), NOW, POLICIES), '030487-1234');
    for (const hidden of ['substances', 'consent', 'placement', 'stage', 'coordinator', 'hasCpr', 'cpr', 'parties'])
      expect(shown).not.toHaveProperty(hidden);
    expect(shown).toMatchObject({ id: CASE_ID, reference: 'K7F3QX', status: 'open' });
    expect(shown.handoffs!.map((h) => h.kind).sort()).toEqual(['clinic-referral', 'municipality-notification']);
    expect(shown.notifications![0]).not.toHaveProperty('outcome');
    expect(JSON.stringify(shown)).not.toMatch(/alcohol|investigate|facility/);
  });

  it('the municipality sees it all, her CPR number in full', () => {
    const c = caseWith();
    const d = disclosureFor(policy, viewers.municipality, summarise(c));
    const shown = discloseCase(d, viewAt(summarise(c), NOW, POLICIES), '030487-1234');
    expect(shown).toMatchObject({ substances: ['alcohol'], cpr: '030487-1234', hasCpr: true });
    expect(shown.notifications![0]).toMatchObject({ outcome: 'investigate' });
    expect(shown.handoffs).toHaveLength(3);
  });

  it('leaves out the events of classes not shown, and notes, substances and outcomes without their class', () => {
    const referrer = disclosureFor(policy, viewers.referrer, summarise(caseWith()));
    const registered = {
      caseId: CASE_ID,
      substances: ['alcohol'],
      note: 'she told me',
      registeredBy: 'gp:hansen',
    };
    expect(discloseEvent(referrer, 'ConcernRegistered', registered)).toEqual({
      caseId: CASE_ID,
      registeredBy: 'gp:hansen',
    });
    expect(discloseEvent(referrer, 'NotificationAssessed', { notificationId: 'n-1', outcome: 'investigate' })).toEqual({
      notificationId: 'n-1',
    });
    expect(discloseEvent(referrer, 'ConsentGiven', { scope: 'residential' })).toBeNull();
    expect(discloseEvent(referrer, 'CoordinatorAssigned', { coordinator: {} })).toBeNull();
    expect(discloseEvent(referrer, 'MilestoneOpened', { rule: 'municipality-notification' })).not.toBeNull();
    expect(discloseEvent(referrer, 'MilestoneMet', { milestone: 'treatment-start-1' })).toBeNull();
    expect(eventClass('AlertAcknowledged', { alert: 'clinic-referral-1.breach' })).toBe('referral');

    const clinic = disclosureFor(policy, viewers.clinic, summarise(caseWith()));
    expect(discloseEvent(clinic, 'TreatmentStarted', { kind: 'outpatient' })).toBeNull();
    const clinicWithConsent = disclosureFor(
      policy,
      viewers.clinic,
      summarise(caseWith({ 'information-sharing': 'given' })),
    );
    expect(discloseEvent(clinicWithConsent, 'ConcernRegistered', registered)).toEqual(registered);
  });
});

describe('pause and waive reasons (free text, like a note)', () => {
  const pause = { from: AT, to: null, reason: 'Admitted to hospital for observation.', resumeBy: AT };
  const clock = {
    rule: 'placement-decision',
    pauses: [pause],
    explanation: { pauses: [pause] } as unknown as Explanation,
  };
  const withoutConsent = (viewer: Viewer) => disclosureFor(policy, viewer, summarise(caseWith()));

  it('are shown only with the clinical class: not to the facility without consent, the auditor, the admin or the referrer', () => {
    for (const viewer of [viewers.facility, viewers.auditor, viewers.admin]) {
      const d = withoutConsent(viewer);
      expect(d.classes.has('clinical')).toBe(false);
      expect(discloseEvent(d, 'MilestonePaused', { milestone: 'placement-decision-1', reason: pause.reason })).toEqual({
        milestone: 'placement-decision-1',
      });
      expect(
        discloseEvent(d, 'MilestoneWaived', { milestone: 'placement-decision-1', reason: 'Moved abroad.' }),
      ).toEqual({ milestone: 'placement-decision-1' });
      expect(
        JSON.stringify(discloseEvent(d, 'MilestoneResumed', { milestone: 'placement-decision-1', ...clock })),
      ).not.toContain('hospital');
      expect(JSON.stringify(discloseMilestoneClock(d, clock))).not.toContain('hospital');
      expect(discloseMilestoneClock(d, clock).pauses).toEqual([{ from: AT, to: null, resumeBy: AT }]);
    }
    const referrer = withoutConsent(viewers.referrer);
    expect(
      discloseEvent(referrer, 'MilestonePaused', { milestone: 'clinic-referral-1', reason: pause.reason }),
    ).toEqual({
      milestone: 'clinic-referral-1',
    });
  });

  it('are shown to the municipality (the clinical class)', () => {
    const d = withoutConsent(viewers.municipality);
    expect(discloseMilestoneClock(d, clock)).toEqual(clock);
    expect(discloseEvent(d, 'MilestonePaused', { milestone: 'x-1', reason: pause.reason })).toMatchObject({
      reason: pause.reason,
    });
  });
});

describe('who does the work (logistics, like the coordinator)', () => {
  const referrer = disclosureFor(policy, viewers.referrer, summarise(caseWith()));
  const clinic = disclosureFor(policy, viewers.clinic, summarise(caseWith()));

  it('a claim or an assignment, even of her own referral’s deadline, is not shown to the referrer', () => {
    const claimed = { milestone: 'clinic-referral-1', assignee: { id: 'dr-hansen' }, previous: null, claimed: true };
    expect(discloseEvent(referrer, 'MilestoneAssigneeChanged', claimed)).toBeNull();
    expect(discloseEvent(clinic, 'MilestoneAssigneeChanged', claimed)).toEqual(claimed);
  });

  it('who took an alert of her referral’s deadline is not shown to the referrer; that it was taken is', () => {
    const taken = { alert: 'notification-receipt-1.warning', by: 'mia', organisation: 'municipality:851' };
    expect(discloseEvent(referrer, 'AlertAcknowledged', taken)).toEqual({ alert: 'notification-receipt-1.warning' });
    expect(discloseEvent(clinic, 'AlertAcknowledged', taken)).toEqual(taken);
  });

  it('who recorded an event: the person only with the logistics, else her role and organisation', () => {
    const actor = { id: 'mia', role: 'municipality', organisation: 'municipality:851' };
    expect(discloseActor(referrer, actor)).toEqual({ role: 'municipality', organisation: 'municipality:851' });
    expect(discloseActor(clinic, actor)).toEqual(actor);
  });
});

describe('handoffDeadlinesShown', () => {
  // The deadline to acknowledge each of the three hand-offs (clinic, municipality, facility), and one of another rule.
  const milestones = [
    { rule: 'handoff-acceptance', key: 'handoff-1', owner: 'clinic:1081' },
    { rule: 'handoff-acceptance', key: 'handoff-2', owner: 'municipality:851' },
    { rule: 'handoff-acceptance', key: 'handoff-3', owner: 'facility:holmegaardshuset' },
    { rule: 'clinic-first-visit', key: 'handoff-1', owner: 'clinic:1081' },
  ];
  const shownTo = (viewer: Viewer) => {
    const summary = summarise(caseWith());
    const shown = handoffDeadlinesShown(disclosureFor(policy, viewer, summary), summary.handoffs, milestones);
    return Object.fromEntries([...shown].map(([id, m]) => [id, m.owner]));
  };

  it('shows the referrer the deadline to acknowledge her own hand-offs, not a placement’s (it would tell where she was placed)', () => {
    expect(milestoneClass('handoff-acceptance')).toBe('logistics');
    expect(shownTo(viewers.referrer)).toEqual({ 'handoff-1': 'clinic:1081', 'handoff-2': 'municipality:851' });
  });

  it('shows every hand-off’s deadline to those shown every hand-off', () => {
    expect(shownTo(viewers.municipality)).toEqual({
      'handoff-1': 'clinic:1081',
      'handoff-2': 'municipality:851',
      'handoff-3': 'facility:holmegaardshuset',
    });
  });
});

describe('alerts', () => {
  it('every deadline a referrer owns is her referral’s own: the alerts she gets (her duty inbox, stream, webhooks) are its status', () => {
    const owned = defaultPolicy()
      .milestones.filter((m) => m.owner === 'referrer')
      .map((m) => m.id);
    expect(owned.length).toBeGreaterThan(0);
    for (const rule of owned) expect([rule, milestoneClass(rule)]).toEqual([rule, 'referral']);
  });
});

describe('parseDisclosurePolicy', () => {
  const valid = () => JSON.parse(JSON.stringify(policy));

  it('accepts the policy shipped with Pathway, which decides every party kind', () => {
    expect(parseDisclosurePolicy(valid()).ok).toBe(true);
    expect(Object.keys(policy.parties).sort()).toEqual([...PARTY_KINDS].sort());
    for (const party of Object.values(policy.parties)) {
      for (const c of party.sees) expect(DISCLOSURE_CLASSES).toContain(c);
      for (const g of party.withConsent) for (const s of g.anyOf) expect(CONSENT_SCOPES).toContain(s);
    }
  });

  it('refuses a policy that shows the full CPR number to anyone but the municipality and the clinic', () => {
    for (const kind of ['auditor', 'admin', 'referrer', 'facility', 'coordinator', 'other']) {
      const doc = valid();
      doc.parties[kind].identity = 'full';
      expect(parseDisclosurePolicy(doc)).toEqual({
        ok: false,
        problems: [
          `parties.${kind}.identity: the full CPR number is shown only to the responsible municipality and the case's clinic`,
        ],
      });
    }
  });

  it('names every problem by its field', () => {
    const doc = valid();
    delete doc.parties.admin;
    doc.parties.clinic.sees = ['logistics', 'everything'];
    doc.parties.facility.withConsent[0].anyOf = ['marriage'];
    doc.parties.referrer.extra = true;
    const parsed = parseDisclosurePolicy(doc);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems.sort()).toEqual(
      [
        'parties.admin: is missing (every party kind must be decided: referrer, clinic, municipality, facility, coordinator, auditor, admin, other)',
        'parties.clinic.sees[1]: must be one of referral, logistics, decisions, clinical',
        'parties.facility.withConsent[0].anyOf[0]: must be one of residential, information-sharing, retention-contract',
        'parties.referrer.extra: is not a known field',
      ].sort(),
    );
    expect(parseDisclosurePolicy([]).ok).toBe(false);
  });
});

describe('her earlier cases', () => {
  const CLOSED_AT = '2026-02-01T10:00:00.000Z';
  const closed = (c: OpenCase) =>
    fold([event('CaseClosed', { occurredAt: CLOSED_AT, reason: 'moved-abroad' })], c) as OpenCase;

  it('an earlier case is its reference, period and the stage it reached before it was closed', () => {
    const open = caseWith();
    expect(summarise(open).stage).toBe('municipality');
    expect(summarise(closed(open)).stage).toBe('closed');
    expect(earlierCaseOf(summarise(closed(open)))).toEqual({
      reference: 'K7F3QX',
      detectedAt: summarise(open).detectedAt,
      closedAt: CLOSED_AT,
      closeReason: 'moved-abroad',
      stage: 'municipality',
    });
    expect(earlierCaseOf(summarise(open))).toMatchObject({ closedAt: null, closeReason: null, stage: 'municipality' });
  });

  it('are identity: shown with the CPR to those shown her identity, and each only where she is shown it too', () => {
    expect(CASE_FIELD_CLASSES.earlierCases).toBe('identity');
    const c = summarise(caseWith());
    const earlier = [earlierCaseOf(c)];
    const view = viewAt(c, NOW, POLICIES);
    const municipality = disclosureFor(policy, viewers.municipality, c);
    const referrer = disclosureFor(policy, viewers.referrer, c);
    expect(discloseCase(municipality, view, null, earlier).earlierCases).toEqual(earlier);
    expect(discloseCase(referrer, view, null, earlier)).not.toHaveProperty('earlierCases');
    // Not asked for (a list item, a command's case): not there.
    expect(discloseCase(municipality, view)).not.toHaveProperty('earlierCases');
    // Each earlier case by the caller's disclosure of it: the municipality has no identity where it has no part.
    const elsewhere = { ...c, municipality: { ...c.municipality, code: '101' }, parties: ['gp:hansen'] };
    expect(
      earlierCasesShown([c, elsewhere], (s) => disclosureFor(policy, viewers.municipality, s)).map(
        (s) => s.municipality.code,
      ),
    ).toEqual(['851']);
  });
});
