import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { formatSpan } from './alert-cards';
import { TEXTS, type Language, type TextKey } from './texts';

const TIME_ZONE = 'Europe/Copenhagen';
// Dates and times are Danish whatever the language: dd.mm.yyyy and 24-hour clock, in Copenhagen time.
const dateTime = new Intl.DateTimeFormat('da-DK', {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatDateTime(iso: string | number): string {
  return dateTime.format(new Date(iso));
}

const day = new Intl.DateTimeFormat('da-DK', {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** The Copenhagen date of an instant, in Danish form. */
export function formatDay(iso: string): string {
  return day.format(new Date(iso));
}

const isoDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Copenhagen date (YYYY-MM-DD) of an instant: what a report's day means. */
export function localDate(instant: number | Date): string {
  const parts = Object.fromEntries(isoDay.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** A calendar date (YYYY-MM-DD, no time zone) in Danish form. */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-');
  return d && m && y ? `${d}.${m}.${y}` : isoDate;
}

/** 3 d 04:05:06, 04:05:06 or 00:42: what a countdown shows. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86_400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(Math.floor((total % 86_400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return days > 0 ? `${days} d ${clock}` : clock;
}

/**
 * A role's name in a language (`coordinator` → "Tovholder"). An identity provider's token may carry a
 * role this page has no name for: it is shown as it is rather than fail to render.
 */
export function roleName(role: string, language: Language): string {
  const key = `role.${role}`;
  return key in TEXTS[language] ? TEXTS[language][key as TextKey] : role;
}

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: TextKey, values?: Record<string, string | number>) => string;
  number: (n: number) => string;
  /** A span of time in words, its two largest units: "2 t 15 min", "3 dage", "1 dag 4 t"; seconds under a minute. */
  span: (ms: number) => string;
}

const Context = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() =>
    localStorage.getItem('pathway.language') === 'en' ? 'en' : 'da',
  );
  // The page's language follows the texts, also when English was chosen before this load (index.html says da).
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(() => {
    const numbers = new Intl.NumberFormat('da-DK', { maximumFractionDigits: 1 });
    return {
      language,
      setLanguage: (l) => {
        localStorage.setItem('pathway.language', l);
        setLanguageState(l);
      },
      t: (key, values = {}) =>
        TEXTS[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`)),
      number: (n) => numbers.format(n),
      span: (ms) => formatSpan(ms, language),
    };
  }, [language]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(Context);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
