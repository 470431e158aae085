import { useState } from 'react';
import { describeError, type Api, type CaseView, type MilestoneItem } from '../api';
import { useI18n } from '../i18n';
import type { PersonRef } from '../people';
import { storedSession } from '../session';
import { PersonSelect } from './person-picker';

const ACTIVE = ['open', 'paused', 'breached'];

/**
 * Who works on the case: its caseworker and coordinator, and who does each active deadline. People
 * of the owning organisation choose from its list of people (never a typed id) or take the case or
 * a deadline themselves. Shown to those shown the logistics of the case (as the coordinator).
 */
export function CasePeople({
  api,
  view,
  milestones,
  onChanged,
}: {
  api: Api;
  view: CaseView & { caseworker?: PersonRef | null };
  milestones: (MilestoneItem & { assignee?: PersonRef | null })[];
  onChanged: () => void;
}) {
  const { t, language } = useI18n();
  const session = storedSession();
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  if (view.caseworker === undefined || !session) return null;
  const me = session.sub;
  const responsible = `municipality:${view.municipality.code}`;
  const ofResponsible =
    session.organisations.includes(responsible) && ['municipality', 'coordinator'].includes(session.role);
  const active = milestones.filter((m) => ACTIVE.includes(m.status));

  async function send(command: string, body: Record<string, unknown>) {
    setError(undefined);
    setSaved(false);
    try {
      await api.post(`/v1/cases/${encodeURIComponent(view.id)}/${command}`, body, {
        'idempotency-key': crypto.randomUUID(),
      });
      setSaved(true);
      onChanged();
    } catch (err) {
      setError(describeError(err, language));
    }
  }
  const name = (p: PersonRef | null | undefined) => (p ? p.name : t('own.nobody'));

  return (
    <section aria-labelledby="people-title" className="card" data-testid="case-people">
      <h2 id="people-title">{t('own.people')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('own.caseworker')}</dt>
          <dd data-testid="caseworker">{name(view.caseworker)}</dd>
        </div>
        <div>
          <dt>{t('own.coordinator')}</dt>
          <dd>{name(view.coordinator)}</dd>
        </div>
      </dl>
      {ofResponsible && (
        <div className="buttons">
          <Assign
            api={api}
            id="assign-caseworker"
            label={t('own.caseworker')}
            organisations={[responsible]}
            nobody={t('own.unassign')}
            onAssign={(p) => send('assign-caseworker', { person: p ? p.id : null })}
          />
          {view.caseworker?.id !== me && (
            <button type="button" data-testid="claim-case" onClick={() => void send('claim-case', {})}>
              {t('own.claimCase')}
            </button>
          )}
          <Assign
            api={api}
            id="assign-coordinator"
            label={t('own.coordinator')}
            onAssign={(p) =>
              p && send('assign-coordinator', { coordinator: { id: p.id, name: p.name, organisation: p.organisation } })
            }
          />
        </div>
      )}
      {active.length > 0 && (
        <>
          <h3>{t('own.milestones')}</h3>
          <table className="compact" data-testid="milestone-assignees">
            <thead>
              <tr>
                <th scope="col">{t('work.milestone')}</th>
                <th scope="col">{t('own.assignee')}</th>
                <th scope="col">{t('work.action')}</th>
              </tr>
            </thead>
            <tbody>
              {active.map((m) => {
                const title = m.title?.[language] ?? m.rule;
                const mine = session.organisations.includes(m.owner);
                return (
                  <tr key={m.milestone} data-milestone={m.milestone}>
                    <td>{title}</td>
                    <td data-testid="assignee">{name(m.assignee)}</td>
                    <td>
                      {mine && (
                        <div className="buttons">
                          <Assign
                            api={api}
                            id={`assign-${m.milestone}`}
                            label={`${t('own.assignee')}: ${title}`}
                            hideLabel
                            organisations={[m.owner]}
                            nobody={t('own.unassign')}
                            onAssign={(p) =>
                              send('assign-milestone', { milestone: m.milestone, person: p ? p.id : null })
                            }
                          />
                          {m.assignee?.id !== me && (
                            <button
                              type="button"
                              data-testid="claim-milestone"
                              onClick={() => void send('claim-milestone', { milestone: m.milestone })}
                            >
                              {t('own.claimMilestone')}
                            </button>
                          )}
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
      {saved && (
        <p role="status" className="success">
          {t('own.saved')}
        </p>
      )}
      {error && (
        <p role="alert" className="error" data-testid="people-error">
          {error}
        </p>
      )}
    </section>
  );
}

/** A person chosen from the list, and the button that assigns her. */
function Assign({
  api,
  id,
  label,
  hideLabel,
  organisations,
  nobody,
  onAssign,
}: {
  api: Api;
  id: string;
  label: string;
  hideLabel?: boolean;
  organisations?: readonly string[];
  nobody?: string;
  onAssign: (person: PersonRef | null) => unknown;
}) {
  const { t } = useI18n();
  const [person, setPerson] = useState<PersonRef | null | undefined>();
  return (
    <span className={`inline-form${hideLabel ? ' hidden-label' : ''}`} data-testid={id}>
      <PersonSelect
        api={api}
        id={`${id}-person`}
        label={label}
        value={person}
        onChange={setPerson}
        organisationsOf={organisations}
        nobody={nobody}
      />
      <button type="button" disabled={person === undefined} onClick={() => void onAssign(person ?? null)}>
        {t('own.assign')}
      </button>
    </span>
  );
}
