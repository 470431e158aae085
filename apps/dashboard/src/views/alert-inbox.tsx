import { useState } from 'react';
import { useAlerts } from '../alerts-context';
import type { Alert } from '../api';
import { formatDateTime, useI18n } from '../i18n';
import { Link } from '../router';

/** Alerts of the caller, live from the stream; acknowledging one takes an optional note. */
export function AlertInbox() {
  const { t } = useI18n();
  const { alerts, connected } = useAlerts();
  return (
    <section aria-labelledby="alerts-title">
      <div className="title-row">
        <h1 id="alerts-title">{t('alerts.title')}</h1>
        <span className={`pill ${connected ? 'live' : 'offline'}`} data-testid="stream-state" role="status">
          {connected ? t('alerts.live') : t('alerts.offline')}
        </span>
      </div>
      {alerts.length === 0 && <p>{t('alerts.empty')}</p>}
      <ul className="alerts" data-testid="alert-list" aria-live="polite">
        {alerts.map((a) => (
          <AlertItem key={a.id} alert={a} />
        ))}
      </ul>
    </section>
  );
}

function AlertItem({ alert }: { alert: Alert }) {
  const { t, language } = useI18n();
  const { acknowledge } = useAlerts();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string>();
  const noteId = `note-${alert.id}`;
  return (
    <li
      className={`alert severity-${alert.severity} status-${alert.status}`}
      data-testid="alert"
      data-alert={alert.id}
      data-status={alert.status}
    >
      <div className="alert-head">
        <span className={`pill severity-${alert.severity}`}>{t(`severity.${alert.severity}`)}</span>
        <strong>{t(`alertKind.${alert.kind}`)}</strong>
        <span>{alert.title?.[language] ?? alert.rule}</span>
        <Link to={{ name: 'case', id: alert.caseId }}>{alert.caseReference}</Link>
      </div>
      <div className="alert-meta">
        {t('alerts.raised', { at: formatDateTime(alert.raisedAt) })} · {alert.owner}
      </div>
      {alert.status === 'open' ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            setError(undefined);
            acknowledge(alert.id, note.trim()).catch((err: unknown) =>
              setError(err instanceof Error ? err.message : String(err)),
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
          {error && (
            <span role="alert" className="error">
              {error}
            </span>
          )}
        </form>
      ) : (
        alert.acknowledged && (
          <div className="alert-meta" data-testid="acknowledged">
            {t('alerts.acknowledged', { by: alert.acknowledged.by, at: formatDateTime(alert.acknowledged.at) })}
          </div>
        )
      )}
    </li>
  );
}
