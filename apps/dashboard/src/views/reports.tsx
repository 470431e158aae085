import { useState } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { describeError, type Api, type Title } from '../api';
import { formatDuration, localDate, useI18n } from '../i18n';
import { INTERVAL_LABELS, label } from '../labels';
import { definitionText } from '../report-definitions';
import { useLoad } from '../use-load';
import { LoadError } from './load-error';

const DAY = 86_400_000;
const GROUP_BYS = ['milestone', 'municipality', 'region', 'organisation'] as const;

interface HandlingRow {
  measure: string;
  kind: 'milestone' | 'interval';
  group: { id: string; name: string } | null;
  count: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
  breached: number | null;
  breachRate: number | null;
}

interface AnnualCounts {
  anyTreatment: number;
  residential: number;
}
interface AnnualReport {
  year: number;
  definitions: string[];
  municipalities: ({ code: string; name: string; region: string } & AnnualCounts)[];
  regions: ({ code: string; name: string } & AnnualCounts)[];
  national: AnnualCounts;
}
interface CapacityReport {
  facilities: {
    id: string;
    name: string;
    places: number;
    retentionPlaces: number;
    occupied: number;
    awaitingAdmission: number;
    longestWaitMs: number | null;
  }[];
}

/** The calendar date `days` before the date (YYYY-MM-DD). */
const daysBefore = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - days * DAY).toISOString().slice(0, 10);

export function Reports({ api }: { api: Api }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">{t('reports.title')}</h1>
      <HandlingTimes api={api} />
      <Annual api={api} />
      <Capacity api={api} />
    </section>
  );
}

function CsvButton({ api, path, filename, testId }: { api: Api; path: string; filename: string; testId: string }) {
  const { t, language } = useI18n();
  const [error, setError] = useState<string>();
  return (
    <>
      <button
        type="button"
        data-testid={testId}
        onClick={() => api.downloadCsv(path, filename).catch((e: unknown) => setError(describeError(e, language)))}
      >
        {t('reports.csv')}
      </button>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </>
  );
}

function HandlingTimes({ api }: { api: Api }) {
  const { t, language, number } = useI18n();
  // Both days inclusive, whole Copenhagen days (the API's meaning): up to and including today.
  const [to, setTo] = useState(() => localDate(Date.now()));
  const [from, setFrom] = useState(() => daysBefore(to, 365));
  const [groupBy, setGroupBy] = useState<(typeof GROUP_BYS)[number]>('milestone');
  const [measure, setMeasure] = useState('');
  const query = `from=${from}&to=${to}&groupBy=${groupBy}`;
  const report = useLoad(
    () =>
      api
        .get<{ rows: HandlingRow[]; definitions: string[] }>(`/v1/reports/handling-times?${query}`)
        .then((answer) => ({ ...answer, period: `${from}/${to}` })),
    [query],
  );
  const titles = useLoad(async () => {
    const pathway = await api.get<{ active: { milestones: { id: string; title: Title }[] } }>('/v1/pathway');
    return new Map(pathway.active.milestones.map((m) => [m.id, m.title]));
  }, []);
  const measureName = (measure: string) =>
    titles.data?.get(measure)?.[language] ?? label(INTERVAL_LABELS, measure, language);
  const rows = report.data?.rows ?? [];
  const measures = [...new Set(rows.map((r) => r.measure))];
  const shownMeasure = groupBy === 'milestone' ? '' : measures.includes(measure) ? measure : (measures[0] ?? '');
  const name = (r: HandlingRow) => (groupBy === 'milestone' ? measureName(r.measure) : (r.group?.name ?? '—'));
  const chart = rows
    .filter((r) => groupBy === 'milestone' || r.measure === shownMeasure)
    .map((r) => ({
      name: name(r),
      median: r.medianMs / DAY,
      p90: r.p90Ms / DAY,
      breachRate: r.breachRate === null ? null : r.breachRate * 100,
      row: r,
    }));

  return (
    <section className="card" aria-labelledby="handling-title">
      <h2 id="handling-title">{t('reports.handling')}</h2>
      <div className="filters">
        <label>
          {t('reports.from')}{' '}
          <input type="date" value={from} onChange={(e) => e.target.value && setFrom(e.target.value)} />
        </label>
        <label>
          {t('reports.to')} <input type="date" value={to} onChange={(e) => e.target.value && setTo(e.target.value)} />
        </label>
        <label>
          {t('reports.groupBy')}{' '}
          <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as (typeof GROUP_BYS)[number])}>
            {GROUP_BYS.map((g) => (
              <option key={g} value={g}>
                {t(`groupBy.${g}`)}
              </option>
            ))}
          </select>
        </label>
        {groupBy !== 'milestone' && (
          <label>
            {t('groupBy.milestone')}{' '}
            <select value={shownMeasure} onChange={(e) => setMeasure(e.target.value)}>
              {measures.map((m) => (
                <option key={m} value={m}>
                  {measureName(m)}
                </option>
              ))}
            </select>
          </label>
        )}
        <CsvButton
          api={api}
          path={`/v1/reports/handling-times?${query}`}
          filename={`handling-times-${from}-${to}-${groupBy}.csv`}
          testId="csv-handling-times"
        />
      </div>
      <LoadError error={report.error} />
      {report.data && chart.length === 0 && <p>{t('reports.empty')}</p>}
      {chart.length > 0 && (
        <>
          <ResponsiveContainer width="100%" height={Math.min(900, 90 + chart.length * 34)}>
            <ComposedChart data={chart} layout="vertical" margin={{ top: 8, right: 32, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="2 4" />
              <XAxis
                xAxisId="days"
                type="number"
                orientation="bottom"
                tickFormatter={(days: number) => TICK.format(days)}
                label={{ value: t('reports.days'), position: 'insideBottomRight', offset: -4, fontSize: 12 }}
              />
              <XAxis xAxisId="rate" type="number" orientation="top" domain={[0, 100]} unit=" %" />
              <YAxis type="category" dataKey="name" width={220} tick={{ fontSize: 11 }} interval={0} />
              <Tooltip
                formatter={(value, key) =>
                  key === t('reports.breachRate')
                    ? `${number(Number(value))} %`
                    : `${number(Number(value))} ${t('reports.days')}`
                }
              />
              <Legend />
              <Bar
                xAxisId="days"
                dataKey="median"
                name={t('reports.median')}
                fill="#1f5fa8"
                isAnimationActive={false}
              />
              <Bar xAxisId="days" dataKey="p90" name={t('reports.p90')} fill="#7fa7d6" isAnimationActive={false} />
              <Line
                xAxisId="rate"
                dataKey="breachRate"
                name={t('reports.breachRate')}
                stroke="#b3261e"
                strokeWidth={0}
                dot={{ r: 5, fill: '#b3261e' }}
                isAnimationActive={false}
                connectNulls={false}
              />
            </ComposedChart>
          </ResponsiveContainer>
          <table className="compact" data-testid="handling-table" data-period={report.data?.period} tabIndex={0}>
            <thead>
              <tr>
                <th scope="col">{groupBy === 'milestone' ? t('groupBy.milestone') : t(`groupBy.${groupBy}`)}</th>
                <th scope="col">{t('reports.count')}</th>
                <th scope="col">{t('reports.median')}</th>
                <th scope="col">{t('reports.p90')}</th>
                <th scope="col">{t('reports.max')}</th>
                <th scope="col">{t('reports.breachRate')}</th>
              </tr>
            </thead>
            <tbody>
              {chart.map(({ name: n, row }) => (
                <tr key={`${row.measure}/${row.group?.id ?? ''}`}>
                  <th scope="row">{n}</th>
                  <td>{row.count}</td>
                  <td>{formatDuration(row.medianMs)}</td>
                  <td>{formatDuration(row.p90Ms)}</td>
                  <td>{formatDuration(row.maxMs)}</td>
                  <td>{row.breachRate === null ? '—' : `${number(row.breachRate * 100)} %`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {report.data && <Definitions lines={report.data.definitions} />}
    </section>
  );
}

/** The chart's day ticks in Danish form (a decimal comma), as precise as a short period needs. */
const TICK = new Intl.NumberFormat('da-DK', { maximumSignificantDigits: 3 });

function Definitions({ lines }: { lines: string[] }) {
  const { t, language } = useI18n();
  return (
    <details>
      <summary>{t('reports.definitions')}</summary>
      <ul>
        {lines.map((l) => (
          <li key={l}>{definitionText(l, language)}</li>
        ))}
      </ul>
    </details>
  );
}

function Annual({ api }: { api: Api }) {
  const { t } = useI18n();
  const [year, setYear] = useState(() => Number(localDate(Date.now()).slice(0, 4)));
  const report = useLoad(() => api.get<AnnualReport>(`/v1/reports/annual?year=${year}`), [year]);
  const r = report.data;
  return (
    <section className="card" aria-labelledby="annual-title">
      <h2 id="annual-title">{t('reports.annual')}</h2>
      <div className="filters">
        <label>
          {t('reports.year')}{' '}
          <input
            type="number"
            min={1970}
            max={2999}
            value={year}
            onChange={(e) => Number(e.target.value) >= 1970 && setYear(Number(e.target.value))}
          />
        </label>
        <CsvButton
          api={api}
          path={`/v1/reports/annual?year=${year}`}
          filename={`annual-${year}.csv`}
          testId="csv-annual"
        />
      </div>
      <LoadError error={report.error} />
      {r && (
        <>
          <table className="compact" data-testid="annual-table" tabIndex={0}>
            <thead>
              <tr>
                <th scope="col">{t('annual.area')}</th>
                <th scope="col">{t('annual.anyTreatment')}</th>
                <th scope="col">{t('annual.residential')}</th>
              </tr>
            </thead>
            <tbody>
              <tr className="total">
                <th scope="row">Danmark</th>
                <td>{r.national.anyTreatment}</td>
                <td>{r.national.residential}</td>
              </tr>
              {r.regions.map((g) => (
                <tr key={g.code} className="subtotal">
                  <th scope="row">{g.name}</th>
                  <td>{g.anyTreatment}</td>
                  <td>{g.residential}</td>
                </tr>
              ))}
              {r.municipalities
                .filter((m) => m.anyTreatment + m.residential > 0)
                .map((m) => (
                  <tr key={m.code}>
                    <th scope="row">{m.name}</th>
                    <td>{m.anyTreatment}</td>
                    <td>{m.residential}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <Definitions lines={r.definitions} />
        </>
      )}
    </section>
  );
}

function Capacity({ api }: { api: Api }) {
  const { t } = useI18n();
  const report = useLoad(() => api.get<CapacityReport>('/v1/reports/capacity'), []);
  return (
    <section className="card" aria-labelledby="capacity-title">
      <h2 id="capacity-title">{t('reports.capacity')}</h2>
      <div className="filters">
        <CsvButton api={api} path="/v1/reports/capacity" filename="capacity.csv" testId="csv-capacity" />
      </div>
      <LoadError error={report.error} />
      {report.data && (
        <table className="compact" data-testid="capacity-table" tabIndex={0}>
          <thead>
            <tr>
              <th scope="col">{t('capacity.facility')}</th>
              <th scope="col">{t('capacity.places')}</th>
              <th scope="col">{t('capacity.retention')}</th>
              <th scope="col">{t('capacity.occupied')}</th>
              <th scope="col">{t('capacity.awaiting')}</th>
              <th scope="col">{t('capacity.wait')}</th>
            </tr>
          </thead>
          <tbody>
            {report.data.facilities.map((f) => (
              <tr key={f.id}>
                <th scope="row">{f.name}</th>
                <td>{f.places}</td>
                <td>{f.retentionPlaces}</td>
                <td>{f.occupied}</td>
                <td>{f.awaitingAdmission}</td>
                <td>{f.longestWaitMs === null ? '—' : formatDuration(f.longestWaitMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
