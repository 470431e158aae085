import { defaultPolicy } from '../../policy/default-policy';
import { parsePolicy } from '../../policy/parse-policy';
import { policyRegistry } from '../../policy/policy';
import { event } from '../case.events';
import { AT, NOW, actors, after, given, registered, withMilestones } from '../testing/given-when-then';

// NOW is Monday 23 November 2026. Due dates are chosen by hand so that NOW is at a given week:
// gestational days = 280 − days until the due date.
const WEEK_16 = '2027-05-10'; // 168 days ahead: 112 days = 16+0
const WEEK_21_6 = '2027-03-30'; // 127 days ahead: 153 days = 21+6
const WEEK_22_0 = '2027-03-29'; // 126 days ahead: 154 days = 22+0

describe('close-case over an open legal duty', () => {
  // Registered by the GP and notified: municipality-notification is met; the investigation (LAW) is open.
  const investigating = () => withMilestones(registered(), ...after.notified, ...after.investigating);

  it.each(['completed', 'declined-help', 'duplicate', 'other'] as const)(
    'given an open child-welfare investigation, when the case is closed as %s, then it is refused LEGAL_DUTY_OPEN',
    (reason) => {
      given(...investigating())
        .when({ type: 'close-case', data: { reason } }, actors.aalborg)
        .thenRefused('LEGAL_DUTY_OPEN');
    },
  );

  it.each(['pregnancy-ended', 'moved-abroad', 'died'] as const)(
    'given an open child-welfare investigation, when the case is closed as %s, then it closes and the duty is waived with that reason',
    (reason) => {
      const decision = given(...investigating()).when({ type: 'close-case', data: { reason } }, actors.aalborg);
      decision.then([event('CaseClosed', { occurredAt: AT, reason })]);
      expect(decision.events()).toContainEqual(
        event('MilestoneWaived', {
          occurredAt: AT,
          milestone: 'child-welfare-investigation-1',
          reason: `waived: case-closed (${reason})`,
          signal: 'case-closed',
        }),
      );
    },
  );

  it('given no legal duty open (only PROP and REC milestones), when the case is closed as completed, then it closes', () => {
    // Registered by the municipality itself: no duty to notify opens.
    given(...withMilestones(registered({ registeredBy: 'municipality:851' })))
      .when({ type: 'close-case', data: { reason: 'completed' } }, actors.aalborg)
      .then([event('CaseClosed', { occurredAt: AT, reason: 'completed' })]);
  });

  it('given a signed retention contract (its total, LAW, open), when the case is closed as completed, then it closes: closing ends the contract, which meets that duty', () => {
    const history = withMilestones(
      registered({ registeredBy: 'municipality:851' }),
      ...after.placementGranted,
      ...after.residentialConsent,
      ...after.contractSigned,
    );
    const events = given(...history)
      .when({ type: 'close-case', data: { reason: 'completed' } }, actors.aalborg)
      .events();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['RetentionContractEnded', 'CaseClosed']));
  });

  it('given a policy whose moot reasons are only "died", when closed as moved-abroad over an open duty, then it is refused', () => {
    const policies = policyRegistry({ ...defaultPolicy(), closure: { mootReasons: ['died'] } });
    given(...investigating())
      .when({ type: 'close-case', data: { reason: 'moved-abroad' } }, actors.aalborg, NOW, policies)
      .thenRefused('LEGAL_DUTY_OPEN');
  });
});

describe('record-birth before a plausible week', () => {
  it.each([
    ['16+0', WEEK_16],
    ['21+6', WEEK_21_6],
  ])(
    'given week %s, when a birth is recorded, then it is refused BIRTH_TOO_EARLY, naming record-pregnancy-ended',
    (_, due) => {
      const when = given(registered({ estimatedDueDate: due })).when(
        { type: 'record-birth', data: {} },
        actors.clinicNord,
      );
      when.thenRefused('BIRTH_TOO_EARLY');
      if (!when.decision.ok) expect(when.decision.error.message).toContain('record-pregnancy-ended');
    },
  );

  it('given week 22+0, when a birth is recorded, then it is recorded', () => {
    given(registered({ estimatedDueDate: WEEK_22_0 }))
      .when({ type: 'record-birth', data: {} }, actors.clinicNord)
      .then([event('BirthRecorded', { occurredAt: AT })]);
  });

  it('given week 16, when the pregnancy is recorded as ended instead, then it is recorded', () => {
    given(registered({ estimatedDueDate: WEEK_16 }))
      .when({ type: 'record-pregnancy-ended', data: { reason: 'miscarriage' } }, actors.clinicNord)
      .then([event('PregnancyEnded', { occurredAt: AT, reason: 'miscarriage' })]);
  });

  it('given a policy with plausibleFromWeek 24, when a birth is recorded at 22+0, then it is refused', () => {
    const policies = policyRegistry({ ...defaultPolicy(), birth: { plausibleFromWeek: 24 } });
    given(registered({ estimatedDueDate: WEEK_22_0 }))
      .when({ type: 'record-birth', data: {} }, actors.clinicNord, NOW, policies)
      .thenRefused('BIRTH_TOO_EARLY');
  });
});

describe('the policy fields of these limits', () => {
  const doc = () => JSON.parse(JSON.stringify(defaultPolicy())) as Record<string, unknown>;

  it('ships closure.mootReasons and birth.plausibleFromWeek 22 in version 1', () => {
    expect(defaultPolicy().closure).toEqual({ mootReasons: ['pregnancy-ended', 'moved-abroad', 'died'] });
    expect(defaultPolicy().birth).toEqual({ plausibleFromWeek: 22 });
  });

  it('refuses an unknown close reason and a week out of range, naming the field', () => {
    const parsed = parsePolicy({ ...doc(), closure: { mootReasons: ['gone'] }, birth: { plausibleFromWeek: 50 } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problems).toContainEqual(expect.stringMatching(/^closure\.mootReasons\[0\]: must be one of/));
      expect(parsed.problems).toContainEqual(
        expect.stringMatching(/^birth\.plausibleFromWeek: must be a whole number/),
      );
    }
  });
});
