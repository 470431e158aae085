import type { HistoryEntry, MilestoneItem } from '../api';
import { eventTitle } from '../deadline-explain';
import { formatDateTime, useI18n } from '../i18n';
import { REASON_LABELS } from '../labels';

/** How many of the latest events a printed case shows. */
export const PRINTED_EVENTS = 15;

/**
 * The case's history, newest first, in the page's language: each event by name (a milestone's
 * naming its deadline), who recorded it, and its note and reason where the API shows them (the
 * events endpoint leaves out what the caller's part in the case may not see).
 */
export function CaseHistory({ events, milestones }: { events: HistoryEntry[]; milestones: MilestoneItem[] }) {
  const { t, language } = useI18n();
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : null);
  return (
    <ol className="event-list" data-testid="event-list">
      {[...events].reverse().map((e, i) => {
        const note = text(e.data.note);
        const reason = text(e.data.reason);
        const reasonText = reason && (REASON_LABELS[reason]?.[language] ?? reason);
        return (
          <li key={e.position} data-type={e.type} className={i >= PRINTED_EVENTS ? 'older' : undefined}>
            <span className="when">{formatDateTime(e.recordedAt)}</span> ·{' '}
            <strong data-testid="event-title">{eventTitle(e, milestones, language)}</strong>
            {e.actor ? ` · ${e.actor.id ?? e.actor.organisation ?? e.actor.role}` : ''}
            {reason && (
              <div className="event-detail" data-testid="event-reason">
                {t('history.reason')}: {reasonText}
              </div>
            )}
            {note && (
              <div className="event-detail" data-testid="event-note">
                {t('history.note')}: {note}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
