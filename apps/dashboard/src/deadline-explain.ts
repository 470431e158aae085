import { durationParts } from './alert-cards';
import type { CaseAction, Explanation, HistoryEntry, MilestoneAlerted, MilestoneItem } from './api';
import { EVENT_LABELS, SIGNAL_LABELS, humanise, label } from './labels';
import { TEXTS, type Language, type TextKey } from './texts';

/**
 * The words that explain a deadline (the case page's deadline table, its history and its print),
 * made from what the API says about it: its rule, anchor, scaling, pauses, cap and ladder. Pure:
 * the language is a parameter, dates are formatted by the caller's `at`.
 */

type Values = Record<string, string | number>;

/** One text of the dashboard in `language` with its {placeholders} filled (as useI18n's t). */
export function text(language: Language, key: TextKey, values: Values = {}): string {
  return TEXTS[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * An ISO 8601 duration of a policy in words, counted as its calendar says: P6D in weekdays is
 * "6 hverdage", P1D in working days "1 arbejdsdag", PT24H "24 timer", P4M "4 måneder". Null for
 * a duration of nothing (P0D) or one it cannot read (shown as it is).
 */
export function durationText(iso: string, calendar: Explanation['calendar'], language: Language): string | null {
  const m = DURATION.exec(iso);
  if (!m) return iso;
  const [years, months, weeks, days, hours, minutes, seconds] = m.slice(1).map((c) => Number(c ?? 0));
  const dayUnit =
    calendar === 'working-days'
      ? (['workingDay', 'workingDays'] as const)
      : calendar === 'weekdays'
        ? (['weekday', 'weekdays'] as const)
        : (['day', 'days'] as const);
  const parts: [number, readonly [string, string]][] = [
    [years, ['year', 'years']],
    [months, ['month', 'months']],
    [weeks, ['week', 'weeks']],
    [days, dayUnit],
    [hours, ['hour', 'hours']],
    [minutes, ['minute', 'minutes']],
    [seconds, ['second', 'seconds']],
  ];
  const words = parts
    .filter(([n]) => n > 0)
    .map(([n, [one, many]]) => `${n} ${text(language, `deadline.unit.${n === 1 ? one : many}` as TextKey)}`);
  return words.length ? words.join(' ') : null;
}

/** What started the clock: "modtaget underretning", or "28 dage før terminsdatoen" for a clock set by the due date. */
export function anchorText(signal: string, language: Language): string {
  const beforeDueDate = /^due-date-minus-(P.+)$/.exec(signal);
  if (beforeDueDate) {
    return text(language, 'deadline.dueDateMinus', {
      duration: durationText(beforeDueDate[1], 'calendar', language) ?? beforeDueDate[1],
    });
  }
  return SIGNAL_LABELS[signal]?.[language] ?? humanise(signal).toLowerCase();
}

/** The rule in words: "6 hverdage efter modtaget underretning", "Samme dag som bevilget døgnbehandling, inden dagens udgang". */
export function ruleText(
  e: Pick<Explanation, 'duration' | 'calendar' | 'anchor' | 'endOfDay'>,
  language: Language,
): string {
  const anchor = anchorText(e.anchor.signal, language);
  const duration = durationText(e.duration, e.calendar, language);
  const fromDueDate = e.anchor.signal.startsWith('due-date-minus-');
  const rule = !duration
    ? text(language, 'deadline.ruleSameDay', { anchor })
    : text(language, fromDueDate ? 'deadline.ruleFrom' : 'deadline.ruleText', { duration, anchor });
  return e.endOfDay ? `${rule}${text(language, 'deadline.endOfDay')}` : rule;
}

/** A span of time as the inbox says it: "2 d 3 t", "15 min". */
export function spanText(ms: number, language: Language): string {
  return durationParts(ms)
    .map(([n, unit]) => `${n} ${text(language, `inbox.unit.${unit}`)}`)
    .join(' ');
}

/** "3 d 4 t tilbage" or "overskredet med 2 t 5 min"; null when the clock does not run (met, waived, paused). */
export function timeLeftText(left: number | null, language: Language): string | null {
  if (left === null) return null;
  return left >= 0
    ? text(language, 'deadline.left', { time: spanText(left, language) })
    : text(language, 'deadline.overdue', { time: spanText(-left, language) });
}

/** "Eskaleret, trin 1 af 2", or null while the ladder has not escalated. */
export function escalationText(
  m: Pick<MilestoneItem, 'level' | 'escalationLevels'>,
  language: Language,
): string | null {
  const level = /^escalation-(\d)$/.exec(m.level ?? '')?.[1];
  if (!level) return null;
  return text(language, 'deadline.escalated', { level, of: Math.max(Number(level), m.escalationLevels ?? 2) });
}

/** A ladder step by name: "Advarsel", "Frist overskredet", "Eskalering 2". */
export function stepText(a: Pick<MilestoneAlerted, 'kind' | 'level'>, language: Language): string {
  return a.kind === 'escalation'
    ? text(language, 'inbox.step', { level: a.level })
    : text(language, `alertKind.${a.kind}`);
}

/** Who an alert reached: "koordinator, teamleder". */
export function audienceText(audience: MilestoneAlerted['audience'], language: Language): string {
  return audience.map((tier) => text(language, `inbox.tier.${tier}`)).join(', ');
}

/**
 * An event of the history by name, naming the deadline a milestone event is about:
 * "Frist eskaleret (trin 2): Børnefaglig undersøgelse afsluttes".
 */
export function eventTitle(
  entry: Pick<HistoryEntry, 'type' | 'data'>,
  milestones: readonly Pick<MilestoneItem, 'milestone' | 'title'>[],
  language: Language,
): string {
  const name = label(EVENT_LABELS, entry.type, language);
  const level = entry.type === 'MilestoneEscalated' ? entry.data.level : undefined;
  const withLevel = typeof level === 'number' ? `${name} (${text(language, 'history.step', { level })})` : name;
  const deadline = milestoneOf(entry);
  if (!deadline) return withLevel;
  const m = milestones.find((x) => x.milestone === deadline);
  return `${withLevel}: ${m?.title?.[language] ?? deadline}`;
}

/** The milestone instance an event is about: its own `milestone`, or an alert's (`<milestone>.<step>`). */
function milestoneOf(entry: Pick<HistoryEntry, 'type' | 'data'>): string | null {
  if (typeof entry.data.milestone === 'string') return entry.data.milestone;
  if (entry.type.startsWith('Alert') && typeof entry.data.alert === 'string') return entry.data.alert.split('.')[0];
  return null;
}

/**
 * The actions that meet an open deadline (the API offers them with reason `meets-milestone` and the
 * milestone they meet), soonest due first, each with that deadline; and the rest in the API's order.
 */
export function splitActions(
  actions: readonly CaseAction[],
  milestones: readonly MilestoneItem[],
): { meeting: { action: CaseAction; meets: MilestoneItem }[]; rest: CaseAction[] } {
  const active = (m: MilestoneItem) => m.status === 'open' || m.status === 'paused' || m.status === 'breached';
  const meeting: { action: CaseAction; meets: MilestoneItem }[] = [];
  const rest: CaseAction[] = [];
  for (const action of actions) {
    const meets =
      action.reason === 'meets-milestone'
        ? milestones.find((m) => m.milestone === action.milestone && active(m))
        : undefined;
    if (meets) meeting.push({ action, meets });
    else rest.push(action);
  }
  meeting.sort((a, b) => Date.parse(a.meets.dueAt) - Date.parse(b.meets.dueAt));
  return { meeting, rest };
}
