import { useEffect, useMemo, useState } from 'react';
import { alertCards, type AlertCard } from '../alert-cards';
import { useAlerts } from '../alerts-context';
import { describeError, type Alert } from '../api';
import { formatDateTime, useI18n } from '../i18n';
import { Link } from '../router';
import { useNow } from '../use-now';

type Tab = 'open' | 'acknowledged';
interface Filters {
  severity: '' | Alert['severity'];
  reference: string;
  rule: string;
  mine: boolean;
}

/**
 * The caller's alerts, live from the stream, calm: one card per milestone at its current level
 * (acknowledging it takes every open alert of the milestone), by severity then due time; filters,
 * bulk acknowledgement of the selected cards with one note, and a tab of the acknowledged.
 */
export function AlertInbox({ me }: { me: string }) {
  const { t, language } = useI18n();
  const { alerts, connected, acknowledge, loadAcknowledged } = useAlerts();
  const [tab, setTab] = useState<Tab>('open');
  const [filters, setFilters] = useState<Filters>({ severity: '', reference: '', rule: '', mine: false });
  const [selected, setSelected] = useState(new Set<string>());
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<number>();

  useEffect(() => {
    if (tab === 'acknowledged') loadAcknowledged().catch((err: unknown) => setError(describeError(err, language)));
  }, [tab, loadAcknowledged]);

  const open = useMemo(() => alertCards(alerts, 'open'), [alerts]);
  const cards = useMemo(() => {
    const reference = filters.reference.trim().toUpperCase();
    return (tab === 'open' ? open : alertCards(alerts, 'acknowledged')).filter(
      ({ top }) =>
        (!filters.severity || top.severity === filters.severity) &&
        (!reference || top.caseReference.toUpperCase().includes(reference)) &&
        (!filters.rule || top.rule === filters.rule) &&
        (!filters.mine || top.coordinator === me),
    );
  }, [tab, open, alerts, filters, me]);
  const rules = useMemo(() => {
    const titles = new Map<string, string>();
    for (const a of alerts) titles.set(a.rule, a.title?.[language] ?? a.rule);
    return [...titles].sort((a, b) => a[1].localeCompare(b[1], language));
  }, [alerts, language]);
  // Only shown open cards stay selected (one taken elsewhere, or filtered away, drops out).
  const chosen = tab === 'open' ? cards.filter((c) => selected.has(c.key)) : [];

  const take = async (taken: AlertCard[], text: string) => {
    setError(undefined);
    setDone(undefined);
    try {
      await acknowledge(
        taken.flatMap((c) => c.alerts.map((a) => a.id)),
        text.trim(),
      );
      setDone(taken.length);
      setSelected((s) => new Set([...s].filter((key) => !taken.some((c) => c.key === key))));
    } catch (err) {
      setError(describeError(err, language));
      throw err;
    }
  };
  const set = (change: Partial<Filters>) => setFilters((f) => ({ ...f, ...change }));

  return (
    <section aria-labelledby="alerts-title" className="inbox">
      <div className="title-row">
        <h1 id="alerts-title">{t('alerts.title')}</h1>
        <span className={`pill ${connected ? 'live' : 'offline'}`} data-testid="stream-state" role="status">
          {connected ? t('alerts.live') : t('alerts.offline')}
        </span>
      </div>
      <div className="tabs" role="group" aria-label={t('inbox.tabs')}>
        {(['open', 'acknowledged'] as const).map((name) => (
          <button
            key={name}
            type="button"
            aria-pressed={tab === name}
            data-testid={`tab-${name}`}
            onClick={() => setTab(name)}
          >
            {name === 'open' ? t('inbox.tab.open', { count: open.length }) : t('inbox.tab.acknowledged')}
          </button>
        ))}
      </div>
      <fieldset className="filters" data-testid="inbox-filters">
        <legend>{t('inbox.filters')}</legend>
        <label>
          {t('inbox.filter.severity')}
          <select value={filters.severity} onChange={(e) => set({ severity: e.target.value as Filters['severity'] })}>
            <option value="">{t('inbox.filter.all')}</option>
            {(['critical', 'high', 'info'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`severity.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('inbox.filter.reference')}
          <input value={filters.reference} onChange={(e) => set({ reference: e.target.value })} maxLength={40} />
        </label>
        <label>
          {t('inbox.filter.rule')}
          <select value={filters.rule} onChange={(e) => set({ rule: e.target.value })}>
            <option value="">{t('inbox.filter.all')}</option>
            {rules.map(([rule, title]) => (
              <option key={rule} value={rule}>
                {title}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={filters.mine} onChange={(e) => set({ mine: e.target.checked })} />{' '}
          {t('inbox.filter.mine')}
        </label>
      </fieldset>
      {tab === 'open' && cards.length > 0 && (
        <form
          className="inline-form bulk"
          data-testid="bulk-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (chosen.length)
              take(chosen, note).then(
                () => setNote(''),
                () => undefined,
              );
          }}
        >
          <label className="inline">
            <input
              type="checkbox"
              checked={chosen.length === cards.length}
              onChange={(e) => setSelected(new Set(e.target.checked ? cards.map((c) => c.key) : []))}
            />{' '}
            {t('inbox.selectAll')}
          </label>
          <span data-testid="selected-count">{t('inbox.selected', { count: chosen.length })}</span>
          <label htmlFor="bulk-note" className="visually-hidden">
            {t('inbox.bulkNote')}
          </label>
          <input
            id="bulk-note"
            placeholder={t('inbox.bulkNote')}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={2000}
          />
          <button type="submit" disabled={chosen.length === 0}>
            {t('inbox.bulkAcknowledge')}
          </button>
        </form>
      )}
      <div role="status" className="inbox-status">
        {done !== undefined && <span data-testid="acknowledged-count">{t('inbox.done', { count: done })}</span>}
        {error && <span className="error">{error}</span>}
      </div>
      {cards.length === 0 && (
        <p>
          {(tab === 'open' ? open : alertCards(alerts, 'acknowledged')).length > 0
            ? t('inbox.noMatch')
            : tab === 'open'
              ? t('alerts.empty')
              : t('inbox.emptyAcknowledged')}
        </p>
      )}
      <ul className="alerts" data-testid="alert-list" aria-live="polite">
        {cards.map((card) => (
          <AlertCardItem
            key={card.key}
            card={card}
            selected={selected.has(card.key)}
            onSelect={(on) =>
              setSelected((s) => {
                const next = new Set(s);
                if (on) next.add(card.key);
                else next.delete(card.key);
                return next;
              })
            }
            onAcknowledge={(text) => take([card], text)}
          />
        ))}
      </ul>
    </section>
  );
}

function AlertCardItem({
  card,
  selected,
  onSelect,
  onAcknowledge,
}: {
  card: AlertCard;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onAcknowledge: (note: string) => Promise<void>;
}) {
  const { t, language, span: formatSpan } = useI18n();
  const { clockOffsetMs } = useAlerts();
  const now = useNow() + clockOffsetMs;
  const [note, setNote] = useState('');
  const { top } = card;
  const title = top.title?.[language] ?? top.rule;
  const noteId = `note-${card.key}`;
  const late = now - Date.parse(top.dueAt);
  const span = formatSpan(late);
  const who = top.audience
    .map((tier) =>
      tier === 'coordinator'
        ? top.coordinator
          ? t('inbox.tier.coordinatorNamed', { name: top.coordinator })
          : t('inbox.tier.coordinator')
        : t(`inbox.tier.${tier}`),
    )
    .join(', ');
  const acknowledged = card.alerts.find((a) => a.acknowledged)?.acknowledged;
  return (
    <li
      className={`alert severity-${top.severity} status-${top.status}`}
      data-testid="alert"
      data-alert={top.id}
      data-alerts={card.alerts.map((a) => a.id).join(' ')}
      data-case={top.caseId}
      data-milestone={top.milestone}
      data-step={top.step}
      data-severity={top.severity}
      data-due={top.dueAt}
      data-status={top.status}
    >
      <div className="alert-head">
        {top.status === 'open' && (
          <input
            type="checkbox"
            checked={selected}
            onChange={(e) => onSelect(e.target.checked)}
            aria-label={t('inbox.select', { reference: top.caseReference, title })}
          />
        )}
        <span className={`pill severity-${top.severity}`}>{t(`severity.${top.severity}`)}</span>
        <strong>
          {top.kind === 'escalation' ? t('inbox.step', { level: top.level }) : t(`alertKind.${top.kind}`)}
        </strong>
        <span>{title}</span>
        <Link to={{ name: 'case', id: top.caseId }}>{top.caseReference}</Link>
      </div>
      <div className="alert-meta" data-testid="due">
        {t('inbox.due', { at: formatDateTime(top.dueAt) })} ·{' '}
        <strong data-testid="overdue">{t(late >= 0 ? 'inbox.overdue' : 'inbox.dueIn', { time: span })}</strong>
      </div>
      <div className="alert-meta" data-testid="alerted">
        {t('inbox.alerted', { who })} · {t('inbox.owner', { owner: top.owner })}
        {card.alerts.length > 1 && <> · {t('inbox.steps', { count: card.alerts.length })}</>}
      </div>
      {top.status === 'open' ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            onAcknowledge(note).then(
              () => setNote(''),
              () => undefined,
            );
          }}
        >
          <label htmlFor={noteId} className="visually-hidden">
            {t('alerts.note')}
          </label>
          <input
            id={noteId}
            placeholder={t('alerts.note')}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={2000}
          />
          <button type="submit">{t('alerts.acknowledge')}</button>
        </form>
      ) : (
        acknowledged && (
          <div className="alert-meta" data-testid="acknowledged">
            {t('alerts.acknowledged', { by: acknowledged.by, at: formatDateTime(acknowledged.at) })}
          </div>
        )
      )}
    </li>
  );
}
