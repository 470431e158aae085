import type { Api, CaseView } from '../api';
import { formatDate, useI18n } from '../i18n';
import { STAGE_LABELS, label } from '../labels';
import { Link } from '../router';
import { useLoad } from '../use-load';
import { LoadError } from './load-error';

/** The cases the caller may see (the API scopes them to the caller's organisations). */
export function CaseList({ api }: { api: Api }) {
  const { t, language } = useI18n();
  const cases = useLoad(() => api.get<{ items: CaseView[] }>('/v1/cases?limit=200'), []);
  return (
    <section aria-labelledby="cases-title">
      <h1 id="cases-title">{t('cases.title')}</h1>
      <LoadError error={cases.error} />
      {cases.data?.items.length === 0 && <p>{t('cases.empty')}</p>}
      {!!cases.data?.items.length && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('work.case')}</th>
              <th scope="col">{t('case.stage')}</th>
              <th scope="col">{t('case.week')}</th>
              <th scope="col">{t('case.due')}</th>
              <th scope="col">{t('case.municipality')}</th>
              <th scope="col">{t('case.coordinator')}</th>
            </tr>
          </thead>
          <tbody>
            {cases.data.items.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={{ name: 'case', id: c.id }}>{c.reference}</Link>
                  {c.birthImminent && <span className="pill imminent">{t('work.birthImminent')}</span>}
                </td>
                <td>{c.stage ? label(STAGE_LABELS, c.stage, language) : '—'}</td>
                <td>{c.gestationalAge ? `${c.gestationalAge.weeks}+${c.gestationalAge.days}` : '—'}</td>
                <td>{c.estimatedDueDate ? formatDate(c.estimatedDueDate) : '—'}</td>
                <td>{c.municipality.name}</td>
                <td>{c.coordinator ? c.coordinator.name : c.coordinator === null ? t('case.none') : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
