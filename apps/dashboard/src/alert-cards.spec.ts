import { alertCards, durationParts, openCardCount } from './alert-cards';
import type { Alert } from './api';

const SEVERITY = { warning: 'info', breach: 'high', escalation: 'critical' } as const;

function alert(caseId: string, milestone: string, step: string, over: Partial<Alert> = {}): Alert {
  const kind = step.startsWith('escalation') ? 'escalation' : (step as 'warning' | 'breach');
  return {
    id: `${caseId}.${milestone}.${step}`,
    caseId,
    caseReference: caseId.toUpperCase(),
    milestone,
    rule: milestone.replace(/-\d+$/, ''),
    title: null,
    step,
    kind,
    level: step === 'escalation-2' ? 2 : step === 'escalation-1' ? 1 : 0,
    severity: SEVERITY[kind],
    owner: 'municipality:851',
    dueAt: '2026-11-25T12:00:00Z',
    raisedAt: '2026-11-25T12:00:00Z',
    status: 'open',
    acknowledged: null,
    audience: ['coordinator'],
    coordinator: null,
    ...over,
  };
}

describe('the inbox’s cards: one per milestone at its current level', () => {
  it('gathers a milestone’s warning, breach and escalations into one card that shows the highest step', () => {
    const ladder = ['warning', 'breach', 'escalation-1', 'escalation-2'].map((s) => alert('a', 'plan-1', s));
    const cards = alertCards(ladder, 'open');
    expect(cards).toHaveLength(1);
    expect(cards[0].top.step).toBe('escalation-2');
    expect(cards[0].alerts.map((a) => a.step)).toEqual(['escalation-2', 'escalation-1', 'breach', 'warning']);
    expect(openCardCount(ladder)).toBe(1);
    // An acknowledged step is not in the open card, but in the acknowledged one.
    const taken = { by: 'alice', organisation: 'municipality:851', at: '2026-11-25T12:01:00Z' };
    const partly = [
      ...ladder.slice(1),
      alert('a', 'plan-1', 'warning', { status: 'acknowledged', acknowledged: taken }),
    ];
    expect(alertCards(partly, 'open')[0].alerts).toHaveLength(3);
    expect(alertCards(partly, 'acknowledged').map((c) => c.alerts.map((a) => a.step))).toEqual([['warning']]);
  });

  it('orders open cards by severity (Kritisk, Høj, Info) then by the earliest due time', () => {
    const cards = alertCards(
      [
        alert('a', 'info-late-1', 'warning', { dueAt: '2026-11-25T09:00:00Z' }),
        alert('b', 'high-late-1', 'breach', { dueAt: '2026-11-25T11:00:00Z' }),
        alert('c', 'critical-1', 'escalation-1', { dueAt: '2026-11-25T13:00:00Z' }),
        alert('d', 'high-early-1', 'breach', { dueAt: '2026-11-25T10:00:00Z' }),
      ],
      'open',
    );
    expect(cards.map((c) => c.top.milestone)).toEqual(['critical-1', 'high-early-1', 'high-late-1', 'info-late-1']);
  });

  it('says how long in the two largest units: 2 h 15 min, 1 d 3 h, 45 s', () => {
    expect(durationParts((2 * 3600 + 15 * 60 + 30) * 1000)).toEqual([
      [2, 'h'],
      [15, 'min'],
    ]);
    expect(durationParts((86_400 + 3 * 3600 + 59) * 1000)).toEqual([
      [1, 'd'],
      [3, 'h'],
    ]);
    expect(durationParts(3600 * 1000)).toEqual([[1, 'h']]);
    expect(durationParts(-45_500)).toEqual([[45, 's']]);
  });
});
