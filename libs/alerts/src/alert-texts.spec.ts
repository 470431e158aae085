import type { AlertMessage } from './alert-message';
import { SAMPLE_CASE_ID, sampleAlertMessage } from './testing/sample-alert-message';
import { alertText } from './alert-texts';

const CASE_ID = SAMPLE_CASE_ID;

const breach = (overrides: Partial<AlertMessage> = {}): AlertMessage => sampleAlertMessage(overrides);

describe('alert subjects', () => {
  it('names a missed deadline in Danish with the title running on in lower case', () => {
    expect(alertText(breach()).subject).toBe('Frist overskredet: underretning vurderes (sag 7F3K)');
  });

  it('writes the same subject in English when asked', () => {
    expect(alertText(breach(), 'en').subject).toBe('Deadline missed: notification assessed (case 7F3K)');
  });

  it('words a warning as an approaching deadline', () => {
    const warning = breach({ kind: 'warning', step: 'warning', severity: 'info' });
    expect(alertText(warning).subject).toBe('Frist nærmer sig: underretning vurderes (sag 7F3K)');
    expect(alertText(warning, 'en').subject).toBe('Deadline approaching: notification assessed (case 7F3K)');
  });

  it('names the escalation level', () => {
    const escalation = breach({ kind: 'escalation', step: 'escalation-2', level: 2, severity: 'critical' });
    expect(alertText(escalation).subject).toBe('Eskaleret (niveau 2): underretning vurderes (sag 7F3K)');
    expect(alertText(escalation, 'en').subject).toBe('Escalated (level 2): notification assessed (case 7F3K)');
  });

  it('marks a re-send of an unacknowledged alert as a reminder, and only a re-send', () => {
    expect(alertText(breach({ round: 1 })).subject).toBe(
      'Påmindelse: Frist overskredet: underretning vurderes (sag 7F3K)',
    );
    expect(alertText(breach({ round: 3 }), 'en').subject).toBe(
      'Reminder: Deadline missed: notification assessed (case 7F3K)',
    );
    expect(alertText(breach({ round: 0 })).subject).not.toContain('Påmindelse');
  });
});

describe('alert bodies', () => {
  it('holds exactly the milestone, step, due time, owner, link and the call to acknowledge', () => {
    expect(alertText(breach()).body.split('\n')).toEqual([
      'Milepæl: Underretning vurderes',
      'Trin: Frist overskredet',
      'Frist: 24.11.2026 kl. 14:00',
      'Ansvarlig organisation: municipality:851',
      `Åbn sagen: http://localhost:3000/app/cases/${CASE_ID}`,
      '',
      'Alarmen skal kvitteres i Pathway.',
    ]);
    expect(alertText(breach({ kind: 'escalation', step: 'escalation-1', level: 1 }), 'en').body.split('\n')).toEqual([
      'Milestone: Notification assessed',
      'Step: Escalated (level 1)',
      'Due: 24 Nov 2026, 14:00 (Danish time)',
      'Responsible organisation: municipality:851',
      `Open the case: http://localhost:3000/app/cases/${CASE_ID}`,
      '',
      'This alert must be acknowledged in Pathway.',
    ]);
  });

  it('leaves out every field that is not meant for the reader and contains nothing CPR-shaped', () => {
    const message = breach({ raisedAt: '2026-11-24T13:07:42.000Z', severity: 'critical' });
    for (const language of ['da', 'en'] as const) {
      const { subject, body } = alertText(message, language);
      const text = `${subject}\n${body}`;
      expect(text).not.toContain(message.deliveryId);
      expect(text).not.toContain(message.alertId);
      expect(text).not.toContain('13:07');
      expect(text).not.toContain('critical');
      expect(text).not.toMatch(/\d{10}/);
      expect(text).not.toMatch(/\b\d{6}-?\d{4}\b/);
    }
  });
});

describe('due times', () => {
  /** The due-time line of the body of an alert due at `dueAt`. */
  const due = (dueAt: string, language: 'da' | 'en' = 'da') =>
    alertText(breach({ dueAt }), language)
      .body.split('\n')[2]
      .replace(/^(Frist|Due): /, '');

  it('reads the Copenhagen wall clock in summer (UTC+2) and in winter (UTC+1)', () => {
    expect(due('2026-07-01T12:00:00.000Z')).toBe('01.07.2026 kl. 14:00');
    expect(due('2026-11-24T13:00:00.000Z')).toBe('24.11.2026 kl. 14:00');
  });

  it('follows the clock change on the night it happens', () => {
    // Summer time ends on 25 October 2026 at 01:00 UTC: 02:30 local happens twice.
    expect(due('2026-10-25T00:30:00.000Z')).toBe('25.10.2026 kl. 02:30');
    expect(due('2026-10-25T01:30:00.000Z')).toBe('25.10.2026 kl. 02:30');
    // Summer time starts on 29 March 2026 at 01:00 UTC: 02:00–02:59 local never happens.
    expect(due('2026-03-29T00:59:00.000Z')).toBe('29.03.2026 kl. 01:59');
    expect(due('2026-03-29T01:00:00.000Z')).toBe('29.03.2026 kl. 03:00');
  });

  it('writes midnight as 00:00 and shows the local date, not the UTC one', () => {
    expect(due('2026-12-31T23:00:00.000Z')).toBe('01.01.2027 kl. 00:00');
    expect(due('2026-12-31T23:00:00.000Z', 'en')).toBe('1 Jan 2027, 00:00 (Danish time)');
  });

  it('refuses a due time that is not a time', () => {
    expect(() => alertText(breach({ dueAt: 'next week' }))).toThrow(RangeError);
  });
});
