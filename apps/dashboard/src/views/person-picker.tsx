import { createContext, useContext } from 'react';
import type { Api } from '../api';
import { useI18n } from '../i18n';
import { organisations } from '../organisations';
import { peopleOf, personLabel, type PersonRef } from '../people';
import { storedSession } from '../session';
import { useLoad } from '../use-load';

/** A person's key in a select: her organisation and her id. */
const keyOf = (p: PersonRef) => `${p.organisation}\u0000${p.id}`;

/**
 * Chooses a person from the directories of these organisations (default: the signed-in person's
 * own), never a typed id. `value` null: nobody (offered when `nobody` is given).
 */
export function PersonSelect({
  api,
  id,
  label,
  value,
  onChange,
  organisationsOf,
  nobody,
  testId,
}: {
  api: Api;
  id: string;
  label: string;
  value: PersonRef | null | undefined;
  onChange: (person: PersonRef | null | undefined) => void;
  organisationsOf?: readonly string[];
  /** The label of the choice "nobody" (unassign); without it, not offered. */
  nobody?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const own = organisationsOf ?? storedSession()?.organisations ?? [];
  const people = useLoad(() => peopleOf(api, own), [api, own.join()]);
  const orgs = useLoad(() => organisations(api), [api]);
  const orgName = (o: string) => orgs.data?.find((x) => x.id === o)?.name ?? o;
  const list = people.data ?? [];
  const several = new Set(list.map((p) => p.organisation)).size > 1;
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        data-testid={testId}
        value={value === null ? 'none' : value ? keyOf(value) : ''}
        onChange={(e) =>
          onChange(e.target.value === 'none' ? null : (list.find((p) => keyOf(p) === e.target.value) ?? undefined))
        }
      >
        <option value="">{t('own.choose')}</option>
        {nobody && <option value="none">{nobody}</option>}
        {list.map((p) => (
          <option key={keyOf(p)} value={keyOf(p)}>
            {personLabel(p, several, orgName)}
          </option>
        ))}
      </select>
      {people.data && list.length === 0 && <small className="hint">{t('own.noPeople')}</small>}
    </>
  );
}

/** The API for the people fields of a form (SchemaForm provides it). */
export const PeopleApi = createContext<Api | null>(null);

/** The coordinator field of assign-coordinator: chosen from the people of the caller's organisations. */
export function CoordinatorField({
  id,
  title,
  value,
  onChange,
  problem,
  path,
}: {
  id: string;
  title: string;
  value: unknown;
  onChange: (v: unknown) => void;
  /** The API's problem with the field, shown as the form's other fields show theirs. */
  problem?: string;
  path: string;
}) {
  const api = useContext(PeopleApi);
  const person = value as PersonRef | undefined;
  if (!api) return null;
  return (
    <div className={`field${problem ? ' invalid' : ''}`}>
      <PersonSelect
        api={api}
        id={id}
        label={title}
        value={person}
        testId="coordinator-select"
        onChange={(p) => onChange(p ? { id: p.id, name: p.name, organisation: p.organisation } : undefined)}
      />
      {problem && (
        <small className="error" data-testid="field-error" data-field={path}>
          {problem}
        </small>
      )}
    </div>
  );
}

/** A list filter by person (coordinator, caseworker): the people of the caller's organisations, by id; '' for all. */
export function PeopleFilter({
  api,
  label,
  value,
  onChange,
  testId,
}: {
  api: Api;
  label: string;
  value: string;
  onChange: (id: string) => void;
  testId?: string;
}) {
  const { t } = useI18n();
  const own = storedSession()?.organisations ?? [];
  const people = useLoad(() => peopleOf(api, own), [api, own.join()]);
  const ids = [...new Map((people.data ?? []).map((p) => [p.id, p])).values()];
  return (
    <label>
      {label}
      <select value={value} data-testid={testId} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('own.any')}</option>
        {ids.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}
