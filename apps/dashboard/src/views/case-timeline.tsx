import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
  type YAxisTickContentProps,
} from 'recharts';
import { useEffect, useState } from 'react';
import type { CaseView, HistoryEntry, MilestoneItem } from '../api';
import { eventTitle } from '../deadline-explain';
import { formatDateTime, useI18n } from '../i18n';
import { ladderState, timeLeft } from '../ladder';
import type { TextKey } from '../texts';
import { useNow } from '../use-now';

const DAY = 86_400_000;
const COLOURS = {
  met: '#1b7f3b',
  late: '#b3261e',
  open: '#1f5fa8',
  warning: '#a15c00',
  breached: '#b3261e',
  escalated: '#6b1d8f',
  paused: '#6b6b6b',
  scheduled: '#9fb7d6',
  waived: '#8a8a8a',
};

/** What the legend explains, in the order it lists them: each milestone colour by its text. */
const LEGEND: [keyof typeof COLOURS, TextKey][] = [
  ['open', 'timeline.legend.open'],
  ['warning', 'timeline.legend.warning'],
  ['breached', 'timeline.legend.breached'],
  ['escalated', 'timeline.legend.escalated'],
  ['paused', 'timeline.legend.paused'],
  ['scheduled', 'timeline.legend.scheduled'],
  ['met', 'timeline.legend.met'],
  ['late', 'timeline.legend.late'],
  ['waived', 'timeline.legend.waived'],
];

/** The milestone names' axis: its width, and the characters of a name that fit in it on one line (11 px text). */
const NAME_AXIS = { wide: { width: 150, chars: 22 }, narrow: { width: 96, chars: 14 } };
const NARROW = '(max-width: 600px)';

/** A milestone's name cut to `chars`, on one line (its full name is the tick's title and in the tooltip). */
function shortName(name: string, chars: number): string {
  return name.length > chars ? `${name.slice(0, chars - 1).trimEnd()}…` : name;
}

/** Whether the page is phone-narrow: the names' axis takes less of the chart there. */
function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(NARROW).matches);
  useEffect(() => {
    const query = window.matchMedia(NARROW);
    const changed = () => setNarrow(query.matches);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, []);
  return narrow;
}

/**
 * The case on a pregnancy-week axis (week 0 = 280 days before the due date; 40 = the due date; weeks
 * go on after the birth): the events as points, each milestone as a bar from its opening to when it
 * was met or waived (an open one to its due time, or now when overdue), its pauses shaded, and lines for the due date, birth and now.
 */
export function CaseTimeline({
  view,
  events,
  milestones,
}: {
  view: CaseView;
  events: HistoryEntry[];
  milestones: MilestoneItem[];
}) {
  const { t, language } = useI18n();
  const now = useNow(30_000);
  const nameAxis = NAME_AXIS[useNarrow() ? 'narrow' : 'wide'];
  const start = Date.parse(`${view.estimatedDueDate}T00:00:00Z`) - 280 * DAY;
  const week = (iso: string | number) =>
    Math.round((((typeof iso === 'number' ? iso : Date.parse(iso)) - start) / (7 * DAY)) * 100) / 100;
  const nowWeek = week(now);
  const birthWeek = view.birthAt ? week(view.birthAt) : null;

  const points = events.map((e, i) => ({
    week: week(e.recordedAt),
    lane: i % 4,
    title: eventTitle(e, milestones, language),
    at: e.recordedAt,
    actor: e.actor && (e.actor.id ?? e.actor.organisation ?? e.actor.role),
  }));
  const bars = milestones.map((m) => {
    const opened = week(m.openedAt ?? m.explanation?.anchor?.at ?? m.dueAt);
    // An open milestone spans its whole window, to the due time (or now, when later).
    const closed = m.closedAt ? week(m.closedAt) : Math.max(nowWeek, week(m.dueAt));
    const state =
      m.status === 'met'
        ? m.late
          ? 'late'
          : 'met'
        : m.status === 'waived'
          ? 'waived'
          : ladderState(m, timeLeft(m, now, now));
    return {
      name: m.title?.[language] ?? m.rule,
      id: m.milestone,
      range: [opened, Math.max(closed, opened + 0.05)] as [number, number],
      due: week(m.dueAt),
      state,
      status: m.status,
      pauses: m.pauses,
    };
  });
  const maxWeek = Math.ceil(
    Math.max(42, nowWeek + 1, ...points.map((p) => p.week + 1), ...bars.map((b) => b.range[1] + 1)),
  );
  const minWeek = Math.floor(Math.min(0, ...points.map((p) => p.week), ...bars.map((b) => b.range[0])));
  const domain: [number, number] = [minWeek, maxWeek];
  const ticks = Array.from({ length: Math.floor((maxWeek - minWeek) / 2) + 1 }, (_, i) => minWeek + i * 2);
  const markers = (
    <>
      <ReferenceLine x={40} stroke="#444" strokeDasharray="4 2" />
      {birthWeek !== null && <ReferenceArea x1={birthWeek} x2={maxWeek} fill="#f3ecff" fillOpacity={0.6} />}
      <ReferenceLine x={nowWeek} stroke="#b3261e" />
    </>
  );
  const axis = (
    <XAxis
      type="number"
      dataKey="week"
      domain={domain}
      ticks={ticks}
      allowDataOverflow
      tickFormatter={(w: number) => `${w}`}
      tick={{ fontSize: 11 }}
    />
  );

  return (
    <div className="timeline" data-testid="timeline" data-events={events.length} data-milestones={milestones.length}>
      <h3>{t('timeline.events')}</h3>
      <ResponsiveContainer width="100%" height={120}>
        <ScatterChart margin={{ top: 16, right: 24, bottom: 16, left: nameAxis.width + 10 }}>
          <CartesianGrid strokeDasharray="2 4" />
          {axis}
          <YAxis type="number" dataKey="lane" hide domain={[-1, 4]} />
          {markers}
          <Tooltip
            content={({ payload }) => {
              const p = payload?.[0]?.payload as (typeof points)[number] | undefined;
              return p ? (
                <div className="tooltip">
                  {p.title}
                  <br />
                  {formatDateTime(p.at)}
                  {p.actor ? ` · ${p.actor}` : ''}
                </div>
              ) : null;
            }}
          />
          <Scatter data={points} fill="#1f5fa8" isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
      <h3>{t('case.milestones')}</h3>
      <ResponsiveContainer width="100%" height={Math.max(80, 28 * bars.length + 48)}>
        <BarChart data={bars} layout="vertical" margin={{ top: 8, right: 24, bottom: 16, left: 8 }} barCategoryGap={4}>
          <CartesianGrid strokeDasharray="2 4" horizontal={false} />
          <XAxis type="number" domain={domain} ticks={ticks} allowDataOverflow tick={{ fontSize: 11 }} />
          <YAxis
            type="category"
            dataKey="id"
            width={nameAxis.width}
            interval={0}
            tick={({ x, y, payload }: YAxisTickContentProps) => {
              const id = String(payload.value);
              const name = bars.find((b) => b.id === id)?.name ?? id;
              return (
                <text x={x} y={y} dy={4} textAnchor="end" fontSize={11} fill="#4a4a4f">
                  <title>{name}</title>
                  {shortName(name, nameAxis.chars)}
                </text>
              );
            }}
          />
          {markers}
          {bars.flatMap((b) =>
            b.pauses.map((p, i) => (
              <ReferenceArea
                key={`${b.id}-pause-${i}`}
                x1={week(p.from)}
                x2={p.to ? week(p.to) : nowWeek}
                y1={b.id}
                y2={b.id}
                fill="#999"
                fillOpacity={0.45}
              />
            )),
          )}
          <Tooltip
            content={({ payload }) => {
              const b = payload?.[0]?.payload as (typeof bars)[number] | undefined;
              return b ? (
                <div className="tooltip">
                  {b.name}
                  <br />
                  {t(LEGEND.find(([state]) => state === b.state)?.[1] ?? 'timeline.legend.open')} · {t('work.due')}{' '}
                  {t('timeline.week').toLowerCase()} {b.due}
                </div>
              ) : null;
            }}
          />
          <Bar dataKey="range" isAnimationActive={false}>
            {bars.map((b) => (
              <Cell key={b.id} fill={COLOURS[b.state as keyof typeof COLOURS] ?? COLOURS.open} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <ul className="timeline-legend" data-testid="timeline-legend" aria-label={t('timeline.legend')}>
        <li>
          <span className="swatch dot" style={{ background: '#1f5fa8' }} aria-hidden="true" />
          {t('timeline.legend.event')}
        </li>
        {LEGEND.map(([state, key]) => (
          <li key={state} data-state={state}>
            <span className="swatch" style={{ background: COLOURS[state] }} aria-hidden="true" />
            {t(key)}
          </li>
        ))}
        <li className="lines">{t('timeline.legend.lines')}</li>
        <li className="lines">{t('timeline.legend.axis')}</li>
      </ul>
    </div>
  );
}
