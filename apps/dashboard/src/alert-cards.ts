import type { Alert } from './api';
import { TEXTS, type Language } from './texts';

/**
 * One card of the inbox: a milestone of a case at its current level. Its ladder raises an alert per
 * step (warning, breach, escalation 1 and 2); the card shows the highest step's, and acknowledging
 * the card acknowledges every alert of the milestone it holds.
 */
export interface AlertCard {
  /** `<caseId>.<milestone instance>` */
  key: string;
  /** The highest step's alert: it stands for the milestone. */
  top: Alert;
  /** Every alert of the milestone in this card (the open ones, or the acknowledged ones). */
  alerts: Alert[];
}

const SEVERITY_ORDER: Readonly<Record<Alert['severity'], number>> = { critical: 0, high: 1, info: 2 };

/** How far up the ladder a step is: warning, breach, escalation 1, escalation 2. */
function height(alert: Alert): number {
  if (alert.kind === 'warning') return 0;
  if (alert.kind === 'breach') return 1;
  return 1 + alert.level;
}

/**
 * The cards of the alerts with `status`, one per milestone: the open inbox by severity (Kritisk
 * before Høj before Info) then the earliest due time; the acknowledged, the latest taken first.
 */
export function alertCards(alerts: readonly Alert[], status: 'open' | 'acknowledged'): AlertCard[] {
  const byMilestone = new Map<string, Alert[]>();
  for (const alert of alerts) {
    if (alert.status !== status) continue;
    const key = `${alert.caseId}.${alert.milestone}`;
    byMilestone.set(key, [...(byMilestone.get(key) ?? []), alert]);
  }
  const cards = [...byMilestone].map(([key, group]): AlertCard => {
    const sorted = [...group].sort((a, b) => height(b) - height(a) || b.raisedAt.localeCompare(a.raisedAt));
    return { key, top: sorted[0], alerts: sorted };
  });
  if (status === 'acknowledged') {
    const takenAt = (card: AlertCard) =>
      card.alerts.map((a) => a.acknowledged?.at ?? '').sort()[card.alerts.length - 1];
    return cards.sort((a, b) => takenAt(b).localeCompare(takenAt(a)) || a.key.localeCompare(b.key));
  }
  return cards.sort(
    (a, b) =>
      SEVERITY_ORDER[a.top.severity] - SEVERITY_ORDER[b.top.severity] ||
      Date.parse(a.top.dueAt) - Date.parse(b.top.dueAt) ||
      a.key.localeCompare(b.key),
  );
}

/** The number of open cards: what the navigation's badge counts. */
export function openCardCount(alerts: readonly Alert[]): number {
  return alertCards(alerts, 'open').length;
}

/** Whole units of a duration, the two largest that are not zero: [[2, 'h'], [15, 'min']]; seconds under a minute. */
export function durationParts(ms: number): [number, 'd' | 'h' | 'min' | 's'][] {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  if (seconds < 60) return [[seconds, 's']];
  const parts: [number, 'd' | 'h' | 'min'][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor((seconds % 86_400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'min'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts.slice(first, first + 2).filter(([n]) => n > 0);
}

/** A span of time in words in a language: "2 t 15 min", "3 dage", "1 dag 4 t" (English "2 h 15 min", "3 days"). */
export function formatSpan(ms: number, language: Language): string {
  const texts = TEXTS[language];
  return durationParts(ms)
    .map(([n, unit]) =>
      unit === 'd'
        ? (n === 1 ? texts['span.day'] : texts['span.days']).replace('{n}', String(n))
        : `${n} ${texts[`inbox.unit.${unit}`]}`,
    )
    .join(' ');
}
