import type { Api } from '../api';
import { useI18n } from '../i18n';
import { organisations } from '../organisations';
import { storedSession } from '../session';
import { useLoad } from '../use-load';
import { LoadError } from './load-error';

interface Counts {
  casesAsCaseworker: number;
  casesAsCoordinator: number;
  openMilestones: number;
  overdueMilestones: number;
}

interface Caseloads {
  at: string;
  caseloads: (Counts & { person: { id: string; name: string; inDirectory: boolean } })[];
  unassigned: Omit<Counts, 'casesAsCoordinator'>;
}

/** "Sagsbelastning": for each of the signed-in person's organisations, the load of each of its people. */
export function CaseloadsView({ api }: { api: Api }) {
  const { t } = useI18n();
  const own = storedSession()?.organisations ?? [];
  const loads = useLoad(
    () =>
      Promise.all(
        own.map(async (o) => ({
          organisation: o,
          ...(await api.get<Caseloads>(`/v1/organisations/${encodeURIComponent(o)}/caseloads`)),
        })),
      ),
    [api, own.join()],
  );
  const orgs = useLoad(() => organisations(api), [api]);
  const orgName = (id: string) => orgs.data?.find((o) => o.id === id)?.name ?? id;
  return (
    <section aria-labelledby="caseloads-title">
      <h1 id="caseloads-title">{t('own.caseloadsTitle')}</h1>
      <LoadError error={loads.error} />
      {!loads.data && !loads.error && <p>{t('loading')}</p>}
      {loads.data?.map(({ organisation, caseloads, unassigned }) => (
        <section key={organisation} className="card" aria-labelledby={`caseloads-${organisation}`}>
          <h2 id={`caseloads-${organisation}`}>{orgName(organisation)}</h2>
          <p className="hint">{t('own.caseloadsHint', { organisation: orgName(organisation) })}</p>
          <table className="work" data-testid="caseloads" data-organisation={organisation}>
            <thead>
              <tr>
                <th scope="col">{t('own.person')}</th>
                <th scope="col">{t('own.casesAsCaseworker')}</th>
                <th scope="col">{t('own.casesAsCoordinator')}</th>
                <th scope="col">{t('own.openMilestones')}</th>
                <th scope="col">{t('own.overdueMilestones')}</th>
              </tr>
            </thead>
            <tbody>
              {caseloads.map((c) => (
                <tr key={c.person.id} data-testid="caseload" data-person={c.person.id}>
                  <th scope="row">
                    {c.person.name} {!c.person.inDirectory && <small>{t('own.notInDirectory')}</small>}
                  </th>
                  <td data-testid="as-caseworker">{c.casesAsCaseworker}</td>
                  <td data-testid="as-coordinator">{c.casesAsCoordinator}</td>
                  <td data-testid="open-milestones">{c.openMilestones}</td>
                  <td data-testid="overdue-milestones">{c.overdueMilestones}</td>
                </tr>
              ))}
              <tr data-testid="caseload" data-person="">
                <th scope="row">{t('own.unassignedRow')}</th>
                <td>{unassigned.casesAsCaseworker}</td>
                <td>—</td>
                <td>{unassigned.openMilestones}</td>
                <td>{unassigned.overdueMilestones}</td>
              </tr>
            </tbody>
          </table>
        </section>
      ))}
    </section>
  );
}
