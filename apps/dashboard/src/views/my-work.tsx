import { useEffect, useState } from 'react';
import { useAlerts } from '../alerts-context';
import type { Api, MilestoneItem } from '../api';
import { formatDateTime, formatDuration, useI18n } from '../i18n';
import { COMMAND_LABELS, label } from '../labels';
import { escalationText } from '../deadline-explain';
import { ladderState, timeLeft } from '../ladder';
import { Link, navigate } from '../router';
import { useNow } from '../use-now';
import { organisations } from '../organisations';
import { useLoad } from '../use-load';
import { WorkScope, useWorkScope } from './work-scope';
import { RegisterConcern } from './register-concern';
import { LoadError } from './load-error';

const REFRESH_MS = 15_000;

interface WorkQueue {
  /** With who does each (absent for a role not shown it). */
  milestones: (MilestoneItem & { assignee?: { name: string } | null })[];
  fetchedAt: number;
}

/** The caller's open deadlines, soonest first, with live countdowns in the ladder's colours. */
export function MyWork({ api }: { api: Api }) {
  const { t, language, span } = useI18n();
  const { changes } = useAlerts();
  const now = useNow();
  const [registering, setRegistering] = useState(false);
  const [scope, setScope] = useWorkScope();
  const queue = useLoad<WorkQueue>(async () => {
    const work = await api.get<{ milestones: MilestoneItem[] }>(
      `/v1/milestones?limit=500${scope === 'mine' ? '&mine=true' : ''}`,
    );
    return { milestones: work.milestones, fetchedAt: Date.now() };
  }, [changes, scope]);
  const orgs = useLoad(() => organisations(api), [api]);
  const orgName = (id: string) => orgs.data?.find((o) => o.id === id)?.name ?? id;
  const { reload } = queue;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const rows = (queue.data?.milestones ?? [])
    .filter((m) => m.status === 'open' || m.status === 'paused' || m.status === 'breached')
    .map((m) => ({ m, left: timeLeft(m, queue.data!.fetchedAt, now) }))
    .sort((a, b) => (a.left ?? Infinity) - (b.left ?? Infinity));

  return (
    <section aria-labelledby="work-title">
      <div className="title-row">
        <h1 id="work-title">{t('work.title')}</h1>
        <button type="button" className="primary" onClick={() => setRegistering(true)}>
          {t('work.register')}
        </button>
      </div>
      {registering && (
        <RegisterConcern
          api={api}
          onCancel={() => setRegistering(false)}
          onRegistered={(id) => {
            setRegistering(false);
            navigate({ name: 'case', id });
          }}
        />
      )}
      <WorkScope scope={scope} onChange={setScope} />
      <LoadError error={queue.error} />
      {!queue.data && !queue.error && <p>{t('loading')}</p>}
      {queue.data && rows.length === 0 && <p>{t('work.empty')}</p>}
      {rows.length > 0 && (
        <table className="work stacked" data-testid="work-queue">
          <thead>
            <tr>
              <th scope="col">{t('work.left')}</th>
              <th scope="col">{t('work.state')}</th>
              <th scope="col">{t('work.milestone')}</th>
              <th scope="col">{t('work.case')}</th>
              <th scope="col">{t('work.owner')}</th>
              <th scope="col">{t('work.due')}</th>
              <th scope="col">{t('work.action')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ m, left }) => {
              const state = ladderState(m, left);
              return (
                <tr
                  key={`${m.caseId}/${m.milestone}`}
                  className={`ladder-${state}`}
                  data-testid="work-item"
                  data-milestone={m.milestone}
                  data-case={m.caseId}
                  data-state={state}
                >
                  <td className="countdown" data-testid="countdown" data-label={t('work.left')}>
                    {left === null ? '—' : left > 0 ? formatDuration(left) : t('time.overdue', { time: span(-left) })}
                  </td>
                  <td data-label={t('work.state')}>
                    <span className={`pill ladder-${state}`}>
                      {(state === 'escalated' && escalationText(m, language)) || t(`ladder.${state}`)}
                    </span>
                  </td>
                  <td data-label={t('work.milestone')}>{m.title?.[language] ?? m.rule}</td>
                  <td data-label={t('work.case')}>
                    <Link to={{ name: 'case', id: m.caseId }}>{m.reference}</Link>
                    {m.birthImminent && <span className="pill imminent">{t('work.birthImminent')}</span>}
                  </td>
                  <td data-label={t('work.owner')} data-testid="owner">
                    {m.assignee?.name ?? orgName(m.owner)}
                  </td>
                  <td data-label={t('work.due')}>{formatDateTime(m.dueAt)}</td>
                  <td data-label={t('work.action')}>
                    {m.meetsWith?.map((command) => label(COMMAND_LABELS, command, language)).join(' / ') || '—'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
