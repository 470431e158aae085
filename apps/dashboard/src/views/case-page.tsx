import { useState } from 'react';
import { useAlerts } from '../alerts-context';
import { ApiError, type Api, type CaseAction, type CaseView, type HistoryEntry, type MilestoneItem } from '../api';
import { eventTitle, splitActions } from '../deadline-explain';
import { formatDate, formatDateTime, formatDay, roleName, useI18n } from '../i18n';
import { COMMAND_LABELS, EVENT_LABELS, READ_VIEW_LABELS, STAGE_LABELS, label } from '../labels';
import { organisationName, organisations } from '../organisations';
import { useLoad } from '../use-load';
import { CaseHistory } from './case-history';
import { CasePeople } from './case-people';
import { CaseTimeline } from './case-timeline';
import { DeadlineTable } from './deadline-table';
import { LoadError } from './load-error';
import { SchemaForm } from './schema-form';

interface Actor {
  /** Absent where the API does not show who (the logistics class). */
  id?: string;
  role: string;
  organisation: string | null;
}

interface CaseAudit {
  writes: { sequence: number; type: string; kind: string; actor: Actor; recordedAt: string }[];
  reads: { reader: Actor; view: string; readAt: string }[];
}

interface CaseData {
  view: CaseView;
  events: HistoryEntry[];
  milestones: MilestoneItem[];
  actions: CaseAction[];
  audit: CaseAudit;
  /** When the milestones were read: their time left counts down from then. */
  fetchedAt: number;
}

/** One case: where it stands, its timeline, what the caller may do now, and who did and who looked. */
export function CasePage({ api, caseId }: { api: Api; caseId: string }) {
  const { t, language } = useI18n();
  // Reloaded when one of this case's alerts changes (a ladder step fired, a deadline met), not on every
  // alert of the caller: each load is recorded in the case's read audit.
  const { alerts } = useAlerts();
  const alertKey = alerts
    .filter((a) => a.caseId === caseId)
    .map((a) => `${a.id}:${a.status}`)
    .join();
  const [sent, setSent] = useState<string>();
  // Names for the organisations that own the deadlines (the reference list, fetched once).
  const orgs = useLoad(() => organisations(api), [api]);
  /**
   * Who did or looked, as people say it: "hansen (Tovholder, Aalborg)"; the engine as itself; without
   * the person's id where the API leaves it out (who does the work is not shown to every reader).
   */
  const actorText = (a: Actor) => {
    if (a.role === 'system') return t('case.actorSystem');
    const org = a.organisation && (organisationName(orgs.data ?? [], 'owner', a.organisation) ?? a.organisation);
    const where = [roleName(a.role, language), org].filter(Boolean).join(', ');
    return a.id ? `${a.id} (${where})` : where;
  };
  const data = useLoad<CaseData>(async () => {
    const base = `/v1/cases/${encodeURIComponent(caseId)}`;
    const [view, events, milestones, actions, audit] = await Promise.all([
      api.get<CaseView>(base),
      api.get<{ events: HistoryEntry[] }>(`${base}/events`),
      api.get<{ milestones: MilestoneItem[] }>(`${base}/milestones`),
      api.get<{ actions: CaseAction[] }>(`${base}/actions`),
      api.get<CaseAudit>(`${base}/audit`),
    ]);
    return {
      view,
      events: events.events,
      milestones: milestones.milestones,
      actions: actions.actions,
      audit,
      fetchedAt: Date.now(),
    };
  }, [caseId, alertKey]);

  if (data.error) {
    const missing = data.error instanceof ApiError && data.error.status === 404;
    return missing ? (
      <p role="alert" className="error">
        {t('case.notFound')}
      </p>
    ) : (
      <LoadError error={data.error} />
    );
  }
  if (!data.data) return <p>{t('loading')}</p>;
  const { view, events, milestones, actions, audit, fetchedAt } = data.data;
  const eventOf = new Map(events.map((e) => [e.sequence, e]));
  const consent = view.consent && Object.entries(view.consent).filter(([, state]) => state !== null);

  return (
    <article aria-labelledby="case-title" data-testid="case-page" data-version={view.version}>
      <div className="title-row">
        <h1 id="case-title">
          {t('work.case')} {view.reference}
        </h1>
        {view.birthImminent && <span className="pill imminent">{t('work.birthImminent')}</span>}
        <button type="button" className="print-button" data-testid="print" onClick={() => window.print()}>
          {t('print.button')}
        </button>
      </div>
      {sent && (
        <p role="status" className="success" data-testid="sent">
          {t('case.sent', { command: label(COMMAND_LABELS, sent, language) })}
        </p>
      )}
      <dl className="facts">
        {/* Her name: in the answer (null when none was recorded) exactly where her identity is shown. */}
        {view.name !== undefined && (
          <div>
            <dt>{t('name.case')}</dt>
            <dd data-testid="name">{view.name ?? t('name.none')}</dd>
          </div>
        )}
        <div>
          <dt>{t('case.stage')}</dt>
          <dd data-testid="stage">{view.stage ? label(STAGE_LABELS, view.stage, language) : '—'}</dd>
        </div>
        <div>
          <dt>{t('case.week')}</dt>
          <dd>
            {view.gestationalAge
              ? `${view.gestationalAge.weeks}+${view.gestationalAge.days}`
              : view.birthAt
                ? t('case.born', { at: formatDateTime(view.birthAt) })
                : '—'}
          </dd>
        </div>
        <div>
          <dt>{t('case.due')}</dt>
          <dd>{view.estimatedDueDate ? formatDate(view.estimatedDueDate) : '—'}</dd>
        </div>
        <div>
          <dt>{t('case.municipality')}</dt>
          <dd>
            {view.municipality.name} ({view.municipality.code})
          </dd>
        </div>
        <div>
          <dt>{t('case.coordinator')}</dt>
          <dd data-testid="coordinator">
            {view.coordinator
              ? `${view.coordinator.name} (${organisationName(orgs.data ?? [], 'owner', view.coordinator.organisation) ?? view.coordinator.organisation})`
              : view.coordinator === null
                ? t('case.none')
                : '—'}
          </dd>
        </div>
        <div>
          <dt>{t('case.consent')}</dt>
          <dd>
            {!consent
              ? '—'
              : consent.length
                ? consent
                    .map(
                      ([scope, state]) => `${scope}: ${t(state === 'given' ? 'consent.given' : 'consent.withdrawn')}`,
                    )
                    .join(', ')
                : t('consent.none')}
          </dd>
        </div>
        {view.contactLostSince && (
          <div>
            <dt>{t('case.contactLost')}</dt>
            <dd data-testid="contact-lost">
              {t('case.contactLostSince', { at: formatDateTime(view.contactLostSince) })}
            </dd>
          </div>
        )}
        {!!view.earlierCases?.length && (
          <div>
            <dt>{t('case.earlier')}</dt>
            <dd>
              <ul data-testid="earlier-cases">
                {view.earlierCases.map((c) => (
                  <li key={c.reference}>
                    {t('case.earlierItem', {
                      reference: c.reference,
                      from: formatDay(c.detectedAt),
                      to: c.closedAt ? formatDay(c.closedAt) : t('case.stillOpen'),
                      stage: label(STAGE_LABELS, c.stage, language),
                    })}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        )}
      </dl>
      <CasePeople api={api} view={view} milestones={milestones} onChanged={data.reload} />

      <section aria-labelledby="actions-title" className="card actions">
        <h2 id="actions-title">{t('case.actions')}</h2>
        <Actions
          api={api}
          caseId={caseId}
          actions={actions}
          milestones={milestones}
          onSent={(command) => {
            setSent(command);
            data.reload();
          }}
        />
      </section>

      <section aria-labelledby="deadlines-title" className="card">
        <h2 id="deadlines-title">{t('deadline.title')}</h2>
        <DeadlineTable
          milestones={milestones}
          fetchedAt={fetchedAt}
          ownerName={(id) => organisationName(orgs.data ?? [], 'owner', id) ?? id}
        />
      </section>

      <section aria-labelledby="timeline-title" className="card timeline-card">
        <h2 id="timeline-title">{t('case.timeline')}</h2>
        <CaseTimeline view={view} events={events} milestones={milestones} />
      </section>

      <section aria-labelledby="history-title" className="card">
        <h2 id="history-title">{t('history.title')}</h2>
        <CaseHistory events={events} milestones={milestones} />
      </section>

      <section aria-labelledby="audit-title" className="card audit">
        <h2 id="audit-title">{t('case.audit')}</h2>
        <div className="columns">
          <div>
            <h3>{t('case.writes')}</h3>
            <table className="compact" data-testid="audit-writes" tabIndex={0}>
              <tbody>
                {audit.writes.map((w) => (
                  <tr key={w.sequence}>
                    <td className="when">{formatDateTime(w.recordedAt)}</td>
                    <td>
                      {eventOf.has(w.sequence)
                        ? eventTitle(eventOf.get(w.sequence)!, milestones, language)
                        : label(EVENT_LABELS, w.type, language)}
                    </td>
                    <td>{actorText(w.actor)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div>
            <h3>{t('case.reads')}</h3>
            <table className="compact" data-testid="audit-reads" tabIndex={0}>
              <tbody>
                {readsByMinute(audit.reads).map((r) => (
                  <tr key={`${r.readAt}/${r.reader.id}`}>
                    <td className="when">{formatDateTime(r.readAt)}</td>
                    <td>{r.views.map((v) => label(READ_VIEW_LABELS, v, language)).join(', ')}</td>
                    <td>{actorText(r.reader)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </section>
    </article>
  );
}

/**
 * Reads, newest first, one row per reader and minute with the views read: opening a case reads four
 * (case, events, milestones, audit), each recorded on its own.
 */
function readsByMinute(reads: CaseAudit['reads']): { reader: Actor; readAt: string; views: string[] }[] {
  const rows = new Map<string, { reader: Actor; readAt: string; views: string[] }>();
  for (const r of [...reads].reverse()) {
    const key = `${r.reader.id}|${r.reader.role}|${r.reader.organisation}|${r.readAt.slice(0, 16)}`;
    const row = rows.get(key) ?? rows.set(key, { reader: r.reader, readAt: r.readAt, views: [] }).get(key)!;
    if (!row.views.includes(r.view)) row.views.push(r.view);
  }
  return [...rows.values()];
}

function Actions({
  api,
  caseId,
  actions,
  milestones,
  onSent,
}: {
  api: Api;
  caseId: string;
  actions: CaseAction[];
  milestones: MilestoneItem[];
  onSent: (command: string) => void;
}) {
  const { t, language } = useI18n();
  const [open, setOpen] = useState<{ action: CaseAction; key: string }>();
  if (actions.length === 0) return <p>{t('case.noActions')}</p>;
  const titleOf = (milestone?: string) => {
    const m = milestone ? milestones.find((x) => x.milestone === milestone) : undefined;
    return m?.title?.[language] ?? milestone;
  };
  const name = (a: CaseAction) =>
    `${label(COMMAND_LABELS, a.command, language)}${a.milestone ? ` – ${titleOf(a.milestone)}` : ''}`;
  const { meeting, rest } = splitActions(actions, milestones);
  const button = (a: CaseAction, meets?: MilestoneItem) => (
    <button
      key={`${a.command}/${a.milestone ?? ''}`}
      type="button"
      className={meets ? 'primary meets' : undefined}
      data-command={a.command}
      data-meets={meets?.milestone}
      aria-expanded={open?.action === a}
      onClick={() => setOpen({ action: a, key: crypto.randomUUID() })}
    >
      {meets ? label(COMMAND_LABELS, a.command, language) : name(a)}
      {meets && (
        <small>
          {t('actions.meets', {
            deadline: meets.title?.[language] ?? meets.rule,
            at: formatDateTime(meets.dueAt),
          })}
        </small>
      )}
    </button>
  );
  return (
    <>
      {meeting.length > 0 && (
        <div className="buttons meeting" role="group" aria-label={t('case.actions')} data-testid="actions-meeting">
          {meeting.map(({ action, meets }) => button(action, meets))}
        </div>
      )}
      {rest.length > 0 && (
        <details className="more-actions" data-testid="more-actions" open={meeting.length === 0 || undefined}>
          <summary>{t('actions.more', { count: rest.length })}</summary>
          <div className="buttons" role="group" aria-label={t('actions.more', { count: rest.length })}>
            {rest.map((a) => button(a))}
          </div>
        </details>
      )}
      {open && (
        <div className="action-form">
          <h3>{name(open.action)}</h3>
          <SchemaForm
            api={api}
            key={open.key}
            testId="action-form"
            schema={open.action.body}
            initial={open.action.prefill}
            submitLabel={t('case.send')}
            onCancel={() => setOpen(undefined)}
            onSubmit={async (body) => {
              // One key per opened form: a double click or a retry cannot send the command twice.
              await api.post(`/v1/cases/${encodeURIComponent(caseId)}/${open.action.command}`, body, {
                'idempotency-key': open.key,
              });
              setOpen(undefined);
              onSent(open.action.command);
            }}
          />
        </div>
      )}
    </>
  );
}
