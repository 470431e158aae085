import { defaultPolicy } from '../policy/default-policy';
import { policyRegistry } from '../policy/policy';
import type { Actor } from './actor';
import { availableCommands, commandsMeeting, type AvailableCommand, type CaseRouteCommand } from './available-commands';
import type { CaseCommand } from './case.commands';
import { event, type CaseEvent } from './case.events';
import { fold, type OpenCase } from './case.state';
import { decide } from './decide';
import { COMMAND_PERMISSIONS } from './permissions';
import { AT, NOW, POLICIES, actors, after, registered, withMilestones } from './testing/given-when-then';

/** The commands offered to the actor on the case the facts make (with the milestone events they cause). */
function offered(actor: Actor, ...facts: CaseEvent[]): AvailableCommand[] {
  return availableCommands(fold(withMilestones(...facts)), { actor, now: NOW, policies: POLICIES });
}
const commands = (actor: Actor, ...facts: CaseEvent[]) => offered(actor, ...facts).map((o) => o.command);

/** What people fill in on the form besides the prefill. */
const FORM: Partial<Record<CaseRouteCommand, Record<string, unknown>>> = {
  'assign-coordinator': { coordinator: { id: 'alice', name: 'Alice Jensen', organisation: 'municipality:851' } },
  'assess-notification': { outcome: 'investigate' },
  'decide-residential-placement': { decision: 'granted', facility: 'facility:holmegaardshuset' },
  'offer-retention-contract': { outcome: 'signed' },
};

const assigned = event('CoordinatorAssigned', {
  occurredAt: AT,
  coordinator: { id: 'alice', name: 'Alice Jensen', organisation: 'municipality:851' },
  previous: null,
});
const transferred = event('MunicipalityTransferred', {
  occurredAt: AT,
  from: '851',
  to: '751',
  handoffId: 'handoff-1',
});
const contracted = [registered(), ...after.placementGranted, ...after.residentialConsent, ...after.contractSigned];

describe('availableCommands', () => {
  it('given a freshly notified case, the municipality is offered first what meets its milestones, soonest due first, with the hand-off and notification prefilled', () => {
    const offers = offered(actors.aalborg, registered(), ...after.notified);
    expect(offers.filter((o) => o.reason === 'meets-milestone')).toEqual([
      {
        command: 'acknowledge-handoff',
        reason: 'meets-milestone',
        milestone: 'handoff-acceptance-1',
        prefill: { handoffId: 'handoff-1' },
      },
      {
        command: 'assess-notification',
        reason: 'meets-milestone',
        milestone: 'notification-assessment-1',
        prefill: { notificationId: 'notification-1' },
      },
      { command: 'assign-coordinator', reason: 'meets-milestone', milestone: 'coordinator-assignment-1' },
      {
        command: 'confirm-notification-receipt',
        reason: 'meets-milestone',
        milestone: 'notification-receipt-1',
        prefill: { notificationId: 'notification-1' },
      },
      { command: 'record-post-birth-plan', reason: 'meets-milestone', milestone: 'post-birth-plan-1' },
    ]);
    // Then what fits the stage, in catalogue order, not repeating a command already offered for a milestone.
    expect(offers.slice(0, 5).every((o) => o.reason === 'meets-milestone')).toBe(true);
    expect(offers.filter((o) => o.reason === 'stage').map((o) => o.command)).toEqual([
      'refer-to-clinic',
      'request-treatment',
      'request-residential-placement',
      'record-consent',
      'update-due-date',
      'transfer-municipality',
      'record-birth',
      'record-pregnancy-ended',
      'record-lost-contact',
      'record-name',
      // Not close-case: the assessment and the receipt of the notification (LAW) are open.
    ]);
    // Only the clocks the policy lets be paused (PROP, pausable); waiving also the hand-off's, never a LAW clock.
    expect(offers.filter((o) => o.reason === 'milestone-clock').map((o) => `${o.command} ${o.milestone}`)).toEqual([
      'pause-milestone coordinator-assignment-1',
      'pause-milestone post-birth-plan-1',
      'waive-milestone handoff-acceptance-1',
      'waive-milestone coordinator-assignment-1',
      'waive-milestone post-birth-plan-1',
    ]);
    expect(offers.find((o) => o.command === 'pause-milestone')?.prefill).toEqual({
      milestone: 'coordinator-assignment-1',
    });
  });

  it('names the commands that meet a rule (the work queue shows them), once each, and none for an unknown signal', () => {
    const rule = (id: string) => defaultPolicy().milestones.find((m) => m.id === id)!.metBy;
    expect(commandsMeeting(rule('clinic-first-visit'))).toEqual(['record-clinic-visit']);
    expect(commandsMeeting(rule('coordinator-assignment'))).toEqual(['assign-coordinator']);
    expect(commandsMeeting(['municipality-notified', 'municipality-notified-by-professional'])).toEqual([
      'notify-municipality',
    ]);
    expect(commandsMeeting(['no-such-signal'])).toEqual([]);
  });

  it('offers the same list twice for the same case (deterministic)', () => {
    const facts = [registered(), ...after.notified, ...after.referredToClinic, assigned];
    expect(offered(actors.coordinator, ...facts)).toEqual(offered(actors.coordinator, ...facts));
  });

  it('offers a clinic record-clinic-visit only once the case is referred to it: meeting the first visit, then for later visits', () => {
    expect(commands(actors.clinicNord, registered())).not.toContain('record-clinic-visit');
    expect(offered(actors.clinicNord, registered(), ...after.referredToClinic)).toContainEqual({
      command: 'record-clinic-visit',
      reason: 'meets-milestone',
      milestone: 'clinic-first-visit-1',
    });
    expect(commands(actors.clinicMidt, registered(), ...after.referredToClinic)).not.toContain('record-clinic-visit');
    const visited = event('ClinicVisitRecorded', { occurredAt: AT, visitNumber: 1 });
    expect(offered(actors.clinicNord, registered(), ...after.referredToClinic, visited)).toContainEqual({
      command: 'record-clinic-visit',
      reason: 'stage',
    });
  });

  it('offers an auditor and an administrator nothing, whatever is open', () => {
    const facts = [registered(), ...after.notified, ...after.referredToClinic, assigned];
    expect(offered(actors.auditor, ...facts)).toEqual([]);
    expect(offered(actors.admin, ...facts)).toEqual([]);
  });

  it('offers nothing on a closed case, nor on no case', () => {
    expect(offered(actors.aalborg, registered(), ...after.notified, ...after.closed)).toEqual([]);
    expect(availableCommands(fold([]), { actor: actors.aalborg, now: NOW, policies: POLICIES })).toEqual([]);
  });

  it('never offers a referrer the municipality’s decisions', () => {
    const facts = [
      registered(),
      ...after.notified,
      ...after.investigating,
      ...after.treatmentRequested,
      ...after.placementRequested,
    ];
    // Pausing and waiving are offered for her own clinic referral (PROP), which is still open.
    expect(commands(actors.gp, ...facts)).toEqual([
      'refer-to-clinic',
      'record-pregnancy-ended',
      'record-lost-contact',
      // Offered here by her role; the application offers it only where her identity is shown (CaseDisclosure.actions).
      'record-name',
      'pause-milestone',
      'waive-milestone',
    ]);
    // Nor another municipality's: only the responsible one decides.
    expect(commands(actors.aarhus, ...facts).filter((c) => COMMAND_PERMISSIONS[c].join() === 'municipality')).toEqual(
      [],
    );
    expect(commands(actors.aalborg, ...facts)).toEqual(
      expect.arrayContaining(['conclude-investigation', 'start-treatment', 'decide-residential-placement']),
    );
  });

  it('prefills the hand-off to acknowledge: the facility its placement, the new municipality the move (and not the former one)', () => {
    expect(offered(actors.facilityA, registered(), ...after.placementGranted)).toContainEqual({
      command: 'acknowledge-handoff',
      reason: 'meets-milestone',
      milestone: 'handoff-acceptance-1',
      prefill: { handoffId: 'handoff-1' },
    });
    expect(offered(actors.aarhus, registered(), transferred)[0]).toEqual({
      command: 'acknowledge-handoff',
      reason: 'meets-milestone',
      milestone: 'handoff-acceptance-1',
      prefill: { handoffId: 'handoff-1' },
    });
    expect(commands(actors.aalborg, registered(), transferred)).not.toContain('acknowledge-handoff');
  });

  it('offers a hand-off to acknowledge even when its milestone was waived', () => {
    const waived = event('MilestoneWaived', {
      occurredAt: AT,
      milestone: 'handoff-acceptance-1',
      reason: 'phoned instead',
    });
    expect(offered(actors.clinicNord, registered(), ...after.referredToClinic, waived)).toContainEqual({
      command: 'acknowledge-handoff',
      reason: 'stage',
      prefill: { handoffId: 'handoff-1' },
    });
  });

  describe('what fits the stage', () => {
    it('record-network-meeting once a coordinator is assigned', () => {
      expect(commands(actors.aalborg, registered())).not.toContain('record-network-meeting');
      expect(commands(actors.aalborg, registered(), assigned)).toContain('record-network-meeting');
    });

    it('record-contact-restored only while contact is lost, record-lost-contact only while it is not', () => {
      expect(commands(actors.gp, registered())).toEqual(expect.arrayContaining(['record-lost-contact']));
      expect(commands(actors.gp, registered())).not.toContain('record-contact-restored');
      expect(commands(actors.gp, registered(), ...after.contactLost)).toContain('record-contact-restored');
      expect(commands(actors.gp, registered(), ...after.contactLost)).not.toContain('record-lost-contact');
    });

    it('resume-milestone only for a paused milestone, with it prefilled (and not pause it again)', () => {
      const paused = event('MilestonePaused', {
        occurredAt: AT,
        milestone: 'coordinator-assignment-1',
        reason: 'in hospital',
        resumeBy: '2026-12-07T09:00:00.000Z',
      });
      expect(commands(actors.aalborg, registered())).not.toContain('resume-milestone');
      const offers = offered(actors.aalborg, registered(), paused);
      expect(offers.filter((o) => o.command === 'resume-milestone')).toEqual([
        {
          command: 'resume-milestone',
          reason: 'milestone-clock',
          milestone: 'coordinator-assignment-1',
          prefill: { milestone: 'coordinator-assignment-1' },
        },
      ]);
      expect(offers.filter((o) => o.command === 'pause-milestone').map((o) => o.milestone)).toEqual([
        'post-birth-plan-1',
      ]);
      // A paused milestone is not an obligation to meet now.
      expect(offers.filter((o) => o.reason === 'meets-milestone').map((o) => o.milestone)).not.toContain(
        'coordinator-assignment-1',
      );
    });

    it('record-birth and update-due-date only while she is pregnant; the postpartum check after the birth or the end of the pregnancy', () => {
      expect(commands(actors.clinicNord, registered(), ...after.referredToClinic)).toEqual(
        expect.arrayContaining(['record-birth', 'update-due-date']),
      );
      expect(commands(actors.clinicNord, registered(), ...after.referredToClinic)).not.toContain(
        'record-postpartum-check',
      );
      const ended = event('PregnancyEnded', { occurredAt: AT, reason: 'miscarriage' });
      for (const end of [after.born, [ended]]) {
        const offers = commands(actors.clinicNord, registered(), ...after.referredToClinic, ...end);
        expect(offers).not.toEqual(expect.arrayContaining(['record-birth']));
        expect(offers).not.toContain('update-due-date');
        expect(offers).not.toContain('record-pregnancy-ended');
        expect(offers).toContain('record-postpartum-check');
      }
    });

    it('close-case for the responsible municipality, not while she is admitted nor while a legal duty is open', () => {
      const byMunicipality = registered({ registeredBy: 'municipality:851' }); // no duty to notify opens
      expect(commands(actors.aalborg, byMunicipality)).toContain('close-case');
      expect(commands(actors.aalborg, registered())).not.toContain('close-case'); // the GP's duty to notify (LAW)
      expect(
        commands(
          actors.aalborg,
          byMunicipality,
          ...after.placementGranted,
          ...after.residentialConsent,
          ...after.admitted,
        ),
      ).not.toContain('close-case');
    });

    it('migrate-policy when a newer version of the case’s policy is loaded, with that version prefilled', () => {
      const policies = policyRegistry({ ...defaultPolicy(), version: 3 }, [defaultPolicy()]);
      const offers = (actor: Actor, facts: CaseEvent[]) =>
        availableCommands(fold(facts), { actor, now: NOW, policies });
      expect(offers(actors.aalborg, withMilestones(registered()))).toContainEqual({
        command: 'migrate-policy',
        reason: 'stage',
        prefill: { version: 3 },
      });
      expect(offers(actors.gp, withMilestones(registered())).map((o) => o.command)).not.toContain('migrate-policy');
      // POLICIES has version 3 loaded, but version 2 is the one new cases start under.
      expect(commands(actors.aalborg, registered())).not.toContain('migrate-policy');
      const onThree = registered({ policy: { name: 'pregnancy-substance-use', version: 3 } });
      expect(offers(actors.aalborg, withMilestones(onThree)).map((o) => o.command)).not.toContain('migrate-policy');
    });
  });

  describe('the commands that meet milestones', () => {
    it('every signal a milestone of the default policy is met by maps to a command some role may send', () => {
      const metBy = [...new Set(defaultPolicy().milestones.flatMap((m) => m.metBy))];
      expect(metBy.filter((s) => commandsMeeting([s]).length !== 1)).toEqual([]);
      for (const s of metBy) expect(COMMAND_PERMISSIONS[commandsMeeting([s])[0]].length).toBeGreaterThan(0);
    });

    const courses: [rule: string, facts: CaseEvent[], actor: Actor][] = [
      ['municipality-notification', [registered()], actors.gp],
      ['clinic-referral', [registered()], actors.gp],
      ['notification-assessment', [registered(), ...after.notified], actors.aalborg],
      ['notification-receipt', [registered(), ...after.notified], actors.aalborg],
      ['coordinator-assignment', [registered()], actors.aalborg],
      ['clinic-first-visit', [registered(), ...after.referredToClinic], actors.clinicNord],
      ['treatment-start', [registered(), ...after.treatmentRequested], actors.aalborg],
      ['child-welfare-investigation', [registered(), ...after.notified, ...after.investigating], actors.aalborg],
      ['residential-decision', [registered(), ...after.placementRequested], actors.aalborg],
      ['retention-contract-offer', [registered(), ...after.placementGranted], actors.aalborg],
      [
        'residential-admission',
        [registered(), ...after.placementGranted, ...after.residentialConsent],
        actors.facilityA,
      ],
      ['retention-episode', [...contracted, ...after.admitted, ...after.retentionEpisode], actors.facilityA],
      ['retention-total', contracted, actors.facilityA],
      ['network-meeting', [registered(), assigned], actors.coordinator],
      ['handoff-acceptance', [registered(), ...after.referredToClinic], actors.clinicNord],
      ['post-birth-plan', [registered()], actors.aalborg],
      ['health-visitor-visit', [registered(), ...after.born], actors.aalborg],
      ['postpartum-check', [registered(), ...after.born], actors.clinicNord],
      // Met when the new municipality acknowledges the move: offered to it, not to the former one that owns it.
      ['move-handover', [registered(), transferred], actors.aarhus],
    ];

    it('covers every rule of the default policy', () => {
      expect(courses.map(([rule]) => rule).sort()).toEqual(
        defaultPolicy()
          .milestones.map((m) => m.id)
          .sort(),
      );
    });

    it.each(courses)(
      '%s: an offer to meet a milestone, sent with its prefill and the form filled in, meets it',
      (rule, facts, actor) => {
        const state = fold(withMilestones(...facts)) as OpenCase;
        const open = Object.values(state.milestones).find((m) => m.rule === rule && m.status === 'open');
        expect(open).toBeDefined();
        const meets = offered(actor, ...facts)
          .filter((o) => o.reason === 'meets-milestone')
          .filter((o) => {
            const decision = decide(
              state,
              { type: o.command, data: { ...FORM[o.command], ...o.prefill } } as CaseCommand,
              { actor, now: NOW, policies: POLICIES },
            );
            if (!decision.ok) throw new Error(`${o.command} was offered but refused: ${decision.error.code}`);
            return decision.events.some((e) => e.type === 'MilestoneMet' && e.data.milestone === open?.id);
          });
        expect(meets.length).toBeGreaterThan(0);
      },
    );
  });
});
