import type { AlertMessage } from './alert-message';

/** The languages an alert can be written in: Danish for people, English for operators and integrators. */
export type AlertLanguage = 'da' | 'en';

/** What a person reads about an alert: a subject line and a short plain-text body. */
export interface AlertText {
  subject: string;
  body: string;
}

/** The deadlines are Danish obligations, so their times read in Danish wall-clock time whatever the server's zone. */
const TIME_ZONE = 'Europe/Copenhagen';

interface Wording {
  warning: string;
  breach: string;
  escalation: (level: number) => string;
  reminder: string;
  caseLabel: string;
  milestone: string;
  step: string;
  due: string;
  owner: string;
  link: string;
  acknowledge: string;
  dueTime: (parts: Record<string, string>) => string;
}

const WORDING: Record<AlertLanguage, Wording> = {
  da: {
    warning: 'Frist nærmer sig',
    breach: 'Frist overskredet',
    escalation: (level) => `Eskaleret (niveau ${level})`,
    reminder: 'Påmindelse: ',
    caseLabel: 'sag',
    milestone: 'Milepæl',
    step: 'Trin',
    due: 'Frist',
    owner: 'Ansvarlig organisation',
    link: 'Åbn sagen',
    acknowledge: 'Alarmen skal kvitteres i Pathway.',
    dueTime: (p) => `${p.day}.${p.month}.${p.year} kl. ${p.hour}:${p.minute}`,
  },
  en: {
    warning: 'Deadline approaching',
    breach: 'Deadline missed',
    escalation: (level) => `Escalated (level ${level})`,
    reminder: 'Reminder: ',
    caseLabel: 'case',
    milestone: 'Milestone',
    step: 'Step',
    due: 'Due',
    owner: 'Responsible organisation',
    link: 'Open the case',
    acknowledge: 'This alert must be acknowledged in Pathway.',
    dueTime: (p) => `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} (Danish time)`,
  },
};

const DATE_FORMATS: Record<AlertLanguage, Intl.DateTimeFormat> = {
  da: new Intl.DateTimeFormat('da-DK', {
    timeZone: TIME_ZONE,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }),
};

/**
 * The subject and plain-text body of an alert, for email and any other channel a person reads.
 *
 * The text holds only what the message carries about the obligation (milestone, step, due time,
 * owning organisation, link) and never anything that identifies the woman: the message has no CPR
 * number or clinical detail, and this function adds none. Times are shown in Copenhagen time.
 */
export function alertText(message: AlertMessage, language: AlertLanguage = 'da'): AlertText {
  const words = WORDING[language];
  const title = message.milestoneTitle[language];
  const reminder = message.round > 0 ? words.reminder : '';
  const subject = `${reminder}${stepHeadline(message, words)}: ${lowerFirst(title, language)} (${words.caseLabel} ${message.caseReference})`;
  const body = [
    `${words.milestone}: ${title}`,
    `${words.step}: ${stepHeadline(message, words)}`,
    `${words.due}: ${formatDueTime(message.dueAt, language)}`,
    `${words.owner}: ${message.owner}`,
    `${words.link}: ${message.link}`,
    '',
    words.acknowledge,
  ].join('\n');
  return { subject, body };
}

/** An instant as a Danish reader expects it (`24.11.2026 kl. 14:00`), or its English counterpart. */
function formatDueTime(iso: string, language: AlertLanguage = 'da'): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`not an ISO 8601 time: ${iso}`);
  const parts = Object.fromEntries(DATE_FORMATS[language].formatToParts(instant).map((p) => [p.type, p.value]));
  return WORDING[language].dueTime(parts);
}

function stepHeadline(message: AlertMessage, words: Wording): string {
  switch (message.kind) {
    case 'warning':
      return words.warning;
    case 'breach':
      return words.breach;
    case 'escalation':
      return words.escalation(message.level);
    default: {
      const unknown: never = message.kind;
      throw new Error(`unknown alert kind ${String(unknown)}`);
    }
  }
}

/** The title runs on inside the sentence, so its capital goes (`Underretning vurderes` → `underretning vurderes`). */
function lowerFirst(text: string, language: AlertLanguage): string {
  return text.charAt(0).toLocaleLowerCase(language) + text.slice(1);
}
