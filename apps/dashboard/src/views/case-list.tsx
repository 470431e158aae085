import { useState, type FormEvent } from 'react';
import type { Api, CaseView } from '../api';
import { formatDate, useI18n } from '../i18n';
import { STAGE_LABELS, label } from '../labels';
import { organisations } from '../organisations';
import type { PersonRef } from '../people';
import { Link } from '../router';
import { useLoad } from '../use-load';
import { LoadError } from './load-error';
import { PeopleFilter } from './person-picker';

const PAGE_SIZE = 50;
const SORTS = ['registered', 'due-date', 'reference'] as const;

interface Filters {
  /** What was searched for: a reference, her CPR number or her name ('' for none). */
  q: string;
  stage: string;
  municipality: string;
  overdue: boolean;
  birthImminent: boolean;
  sort: (typeof SORTS)[number];
  /** A person's id ('' for any), chosen from the organisation's people. */
  coordinator: string;
  caseworker: string;
}

const NO_FILTERS: Filters = {
  q: '',
  stage: '',
  municipality: '',
  overdue: false,
  birthImminent: false,
  sort: 'registered',
  coordinator: '',
  caseworker: '',
};

interface CasePage {
  items: (CaseView & { caseworker?: PersonRef | null })[];
  total: number;
  nextCursor: string | null;
}

/**
 * The cases the caller may see (the API scopes them to the caller's organisations): one search box
 * for a reference, her CPR number or her name, filters, sorting and pages. Always POST
 * /v1/cases/search, so that neither a CPR number nor a name ever travels in a URL; the API records
 * a CPR or name search in each case found.
 */
export function CaseList({ api, role }: { api: Api; role: string }) {
  const { t, language } = useI18n();
  // The referrer is not shown stage, deadlines and due date in her own referrals (the shipped
  // disclosure policy), so the API refuses her those filters (FILTER_NOT_SHOWN): not offered.
  const logistics = role !== 'referrer';
  const sorts = logistics ? SORTS : SORTS.filter((s) => s !== 'due-date');
  const [search, setSearch] = useState('');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  /** The cursor of each page visited, the first page's undefined: back is the one before. */
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  // Each answer carries the page it answers: while the next one loads, the rows shown and the page
  // number said stay the same page's.
  const cases = useLoad(
    async () => ({
      page: cursors.length,
      ...(await api.post<CasePage>('/v1/cases/search', {
        ...(filters.q && { q: filters.q }),
        ...(filters.stage && { stage: filters.stage }),
        ...(filters.municipality && { municipality: filters.municipality }),
        ...(filters.overdue && { overdue: true }),
        ...(filters.birthImminent && { birthImminent: true }),
        ...(filters.coordinator && { coordinator: filters.coordinator }),
        ...(filters.caseworker && { caseworker: filters.caseworker }),
        sort: filters.sort,
        limit: PAGE_SIZE,
        ...(cursor && { cursor }),
      })),
    }),
    [filters, cursor],
  );
  const orgs = useLoad(() => organisations(api), [api]);
  const municipalities = (orgs.data ?? [])
    .filter((o) => o.kind === 'municipality' && o.municipalityCode)
    .sort((a, b) => a.name.localeCompare(b.name, 'da'));
  const change = (next: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...next }));
    setCursors([undefined]);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change({ q: search.trim() });
  };
  const page = cases.data?.page ?? 1;
  const pages = cases.data ? Math.max(1, Math.ceil(cases.data.total / PAGE_SIZE)) : 1;
  const filtered = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);

  return (
    <section aria-labelledby="cases-title">
      <h1 id="cases-title">{t('cases.title')}</h1>
      <form role="search" className="filters" onSubmit={submit} aria-label={t('find.label')}>
        <label>
          {t('find.search')}
          <input
            type="search"
            name="q"
            autoComplete="off"
            maxLength={100}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            aria-describedby="find-hint"
          />
        </label>
        <button type="submit" className="primary">
          {t('find.submit')}
        </button>
        {logistics && (
          <label>
            {t('case.stage')}
            <select value={filters.stage} onChange={(e) => change({ stage: e.target.value })}>
              <option value="">{t('find.all')}</option>
              {Object.keys(STAGE_LABELS).map((s) => (
                <option key={s} value={s}>
                  {label(STAGE_LABELS, s, language)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('find.municipality')}
          <select value={filters.municipality} onChange={(e) => change({ municipality: e.target.value })}>
            <option value="">{t('find.all')}</option>
            {municipalities.map((m) => (
              <option key={m.id} value={m.municipalityCode!}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('find.sort')}
          <select value={filters.sort} onChange={(e) => change({ sort: e.target.value as (typeof SORTS)[number] })}>
            {sorts.map((s) => (
              <option key={s} value={s}>
                {t(`find.sort.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {logistics && (
          <>
            <PeopleFilter
              api={api}
              label={t('own.filterCoordinator')}
              value={filters.coordinator}
              testId="filter-coordinator"
              onChange={(coordinator) => change({ coordinator })}
            />
            <PeopleFilter
              api={api}
              label={t('own.filterCaseworker')}
              value={filters.caseworker}
              testId="filter-caseworker"
              onChange={(caseworker) => change({ caseworker })}
            />
            <label className="inline">
              <input
                type="checkbox"
                checked={filters.overdue}
                onChange={(e) => change({ overdue: e.target.checked })}
              />
              {t('find.overdue')}
            </label>
            <label className="inline">
              <input
                type="checkbox"
                checked={filters.birthImminent}
                onChange={(e) => change({ birthImminent: e.target.checked })}
              />
              {t('find.birthImminent')}
            </label>
          </>
        )}
        {filtered && (
          <button
            type="button"
            onClick={() => {
              setSearch('');
              change(NO_FILTERS);
            }}
          >
            {t('find.clear')}
          </button>
        )}
      </form>
      <p id="find-hint" className="hint">
        {t('find.hint')}
      </p>
      <LoadError error={cases.error} />
      <p role="status" data-testid="case-count">
        {cases.data && (filtered ? t('find.count', { count: cases.data.total }) : '')}
      </p>
      {cases.data?.items.length === 0 && <p>{filtered ? t('find.noMatch') : t('cases.empty')}</p>}
      {!!cases.data?.items.length && (
        <table className="stacked" data-testid="case-list">
          <thead>
            <tr>
              <th scope="col">{t('work.case')}</th>
              <th scope="col">{t('case.stage')}</th>
              <th scope="col">{t('case.week')}</th>
              <th scope="col">{t('case.due')}</th>
              <th scope="col">{t('case.municipality')}</th>
              <th scope="col">{t('case.coordinator')}</th>
              <th scope="col">{t('own.caseworker')}</th>
            </tr>
          </thead>
          <tbody>
            {cases.data.items.map((c) => (
              <tr key={c.id} data-case={c.id}>
                <td data-label={t('work.case')}>
                  <Link to={{ name: 'case', id: c.id }}>{c.reference}</Link>
                  {c.birthImminent && <span className="pill imminent">{t('work.birthImminent')}</span>}
                </td>
                <td data-label={t('case.stage')}>{c.stage ? label(STAGE_LABELS, c.stage, language) : '—'}</td>
                <td data-label={t('case.week')}>
                  {c.gestationalAge ? `${c.gestationalAge.weeks}+${c.gestationalAge.days}` : '—'}
                </td>
                <td data-label={t('case.due')}>{c.estimatedDueDate ? formatDate(c.estimatedDueDate) : '—'}</td>
                <td data-label={t('case.municipality')}>{c.municipality.name}</td>
                <td data-label={t('case.coordinator')}>
                  {c.coordinator ? c.coordinator.name : c.coordinator === null ? t('case.none') : '—'}
                </td>
                {/* The caseworker is logistics, as the coordinator: left out of the answer where it is not shown. */}
                <td data-label={t('own.caseworker')} data-testid="caseworker">
                  {c.caseworker ? c.caseworker.name : c.caseworker === null ? t('case.none') : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cases.data && pages > 1 && (
        <nav className="buttons" aria-label={t('find.pages')}>
          <button type="button" disabled={page === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            {t('find.previous')}
          </button>
          <span>{t('find.page', { page, pages })}</span>
          <button
            type="button"
            disabled={!cases.data.nextCursor}
            onClick={() => {
              const next = cases.data?.nextCursor;
              if (next) setCursors((c) => [...c, next]);
            }}
          >
            {t('find.next')}
          </button>
        </nav>
      )}
    </section>
  );
}
