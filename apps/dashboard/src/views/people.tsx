import { useState, type FormEvent } from 'react';
import { describeError, type Api } from '../api';
import { formatDateTime, roleName, useI18n } from '../i18n';
import { organisations } from '../organisations';
import { peopleOf, type DirectoryPerson } from '../people';
import { useLoad } from '../use-load';
import { LoadError } from './load-error';

/** The platform's own administration: not an organisation with people of its own to keep here. */
const PLATFORM = 'pathway:platform';

/**
 * "Medarbejdere": the administrator keeps her organisation's list of people, from which cases and
 * deadlines are assigned (GET/POST /v1/organisations/{id}/people, PUT/DELETE …/{personId}): those
 * who signed in, and those she adds. The platform administrator chooses the organisation first.
 */
export function PeopleView({
  api,
  organisations: own,
  platform,
}: {
  api: Api;
  organisations: readonly string[];
  platform: boolean;
}) {
  const { t } = useI18n();
  const orgs = useLoad(() => organisations(api), [api]);
  const orgName = (id: string) => orgs.data?.find((o) => o.id === id)?.name ?? id;
  const choices = platform ? (orgs.data ?? []).map((o) => o.id).filter((o) => o !== PLATFORM) : [...own];
  const [chosen, setChosen] = useState(platform ? '' : (own[0] ?? ''));

  return (
    <section aria-labelledby="people-view-title">
      <h1 id="people-view-title">{t('people.title')}</h1>
      <p className="hint">{t('people.hint')}</p>
      <LoadError error={orgs.error} />
      {(platform || own.length > 1) && (
        <p>
          <label>
            {t('people.organisation')}{' '}
            <select value={chosen} data-testid="people-organisation" onChange={(e) => setChosen(e.target.value)}>
              <option value="">{t('people.chooseOrganisation')}</option>
              {choices.map((o) => (
                <option key={o} value={o}>
                  {orgName(o)}
                </option>
              ))}
            </select>
          </label>
        </p>
      )}
      {chosen && <Directory key={chosen} api={api} organisation={chosen} name={orgName(chosen)} />}
    </section>
  );
}

/** One organisation's people: the list, adding, renaming and removing (after a confirmation). */
function Directory({ api, organisation, name }: { api: Api; organisation: string; name: string }) {
  const { t, language } = useI18n();
  const path = `/v1/organisations/${encodeURIComponent(organisation)}/people`;
  const people = useLoad(() => peopleOf(api, [organisation]), [api, path]);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [newId, setNewId] = useState('');
  const [newName, setNewName] = useState('');
  /** The person being renamed, and her new name. */
  const [renaming, setRenaming] = useState<{ id: string; name: string }>();
  /** The person whose removal awaits confirmation. */
  const [removing, setRemoving] = useState<string>();

  async function run(action: () => Promise<unknown>, message: string) {
    setError(undefined);
    setDone(undefined);
    try {
      await action();
      setDone(message);
      people.reload();
      return true;
    } catch (err) {
      setError(describeError(err, language));
      return false;
    }
  }
  async function add(e: FormEvent) {
    e.preventDefault();
    const person = { id: newId.trim(), name: newName.trim() };
    if (await run(() => api.post(path, person), t('people.added', { name: person.name }))) {
      setNewId('');
      setNewName('');
    }
  }
  async function rename(e: FormEvent) {
    e.preventDefault();
    if (!renaming) return;
    const { id, name: newName } = renaming;
    if (
      await run(
        () => api.put(`${path}/${encodeURIComponent(id)}`, { name: newName.trim() }),
        t('people.renamed', { name: newName.trim() }),
      )
    )
      setRenaming(undefined);
  }
  async function remove(person: DirectoryPerson) {
    if (
      await run(
        () => api.delete(`${path}/${encodeURIComponent(person.id)}`),
        t('people.removed', { name: person.name }),
      )
    )
      setRemoving(undefined);
  }

  return (
    <section className="card" aria-labelledby="people-directory-title" data-testid="people-directory">
      <h2 id="people-directory-title">{name}</h2>
      <LoadError error={people.error} />
      {!people.data && !people.error && <p>{t('loading')}</p>}
      {people.data?.length === 0 && <p>{t('people.empty')}</p>}
      {!!people.data?.length && (
        <table className="stacked" data-testid="people-list">
          <thead>
            <tr>
              <th scope="col">{t('people.name')}</th>
              <th scope="col">{t('people.id')}</th>
              <th scope="col">{t('people.role')}</th>
              <th scope="col">{t('people.knownBy')}</th>
              <th scope="col">{t('people.lastSeen')}</th>
              <th scope="col">{t('work.action')}</th>
            </tr>
          </thead>
          <tbody>
            {people.data.map((p) => (
              <tr key={p.id} data-testid="person" data-person={p.id}>
                <td data-label={t('people.name')} data-testid="person-name">
                  {renaming?.id === p.id ? (
                    <form className="inline-form" onSubmit={(e) => void rename(e)}>
                      <label htmlFor={`rename-${p.id}`}>{t('people.newName')}</label>
                      <input
                        id={`rename-${p.id}`}
                        value={renaming.name}
                        maxLength={200}
                        required
                        onChange={(e) => setRenaming({ id: p.id, name: e.target.value })}
                      />
                      <button type="submit" className="primary">
                        {t('people.save')}
                      </button>
                      <button type="button" onClick={() => setRenaming(undefined)}>
                        {t('people.cancel')}
                      </button>
                    </form>
                  ) : (
                    p.name
                  )}
                </td>
                <td data-label={t('people.id')}>
                  <code>{p.id}</code>
                </td>
                <td data-label={t('people.role')}>{p.role ? roleName(p.role, language) : '—'}</td>
                <td data-label={t('people.knownBy')} data-testid="known-by">
                  {t(p.knownBy === 'signed-in' ? 'people.signedIn' : 'people.addedByAdmin')}
                </td>
                <td data-label={t('people.lastSeen')}>{p.lastSeenAt ? formatDateTime(p.lastSeenAt) : '—'}</td>
                <td data-label={t('work.action')}>
                  {removing === p.id ? (
                    <span className="buttons" role="group" aria-label={t('people.confirmRemove', { name: p.name })}>
                      <span>{t('people.confirmRemove', { name: p.name })}</span>
                      <button type="button" data-testid="confirm-remove" onClick={() => void remove(p)}>
                        {t('people.remove')}
                      </button>
                      <button type="button" onClick={() => setRemoving(undefined)}>
                        {t('people.cancel')}
                      </button>
                    </span>
                  ) : (
                    <span className="buttons">
                      <button
                        type="button"
                        data-testid="rename"
                        aria-label={t('people.renameOf', { name: p.name })}
                        onClick={() => setRenaming({ id: p.id, name: p.name })}
                      >
                        {t('people.rename')}
                      </button>
                      <button
                        type="button"
                        data-testid="remove"
                        aria-label={t('people.removeOf', { name: p.name })}
                        onClick={() => setRemoving(p.id)}
                      >
                        {t('people.remove')}
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 id="add-person-title">{t('people.add')}</h3>
      <form
        className="filters"
        onSubmit={(e) => void add(e)}
        data-testid="add-person"
        aria-labelledby="add-person-title"
      >
        <label>
          {t('people.id')}
          <input
            name="id"
            value={newId}
            required
            maxLength={200}
            autoComplete="off"
            aria-describedby="add-person-hint"
            onChange={(e) => setNewId(e.target.value)}
          />
        </label>
        <label>
          {t('people.name')}
          <input
            name="name"
            value={newName}
            required
            maxLength={200}
            autoComplete="off"
            onChange={(e) => setNewName(e.target.value)}
          />
        </label>
        <button type="submit" className="primary">
          {t('people.addSubmit')}
        </button>
        <small id="add-person-hint" className="hint">
          {t('people.idHint')}
        </small>
      </form>
      {done && (
        <p role="status" className="success" data-testid="people-done">
          {done}
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
