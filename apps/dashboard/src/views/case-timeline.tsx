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
} from 'recharts';
import type { CaseView, HistoryEntry, MilestoneItem } from '../api';
import { formatDateTime, useI18n } from '../i18n';
import { humanise } from '../labels';
import { ladderState, timeLeft } from '../ladder';
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
  const start = Date.parse(`${view.estimatedDueDate}T00:00:00Z`) - 280 * DAY;
  const week = (iso: string | number) =>
    Math.round((((typeof iso === 'number' ? iso : Date.parse(iso)) - start) / (7 * DAY)) * 100) / 100;
  const nowWeek = week(now);
  const birthWeek = view.birthAt ? week(view.birthAt) : null;

  const points = events.map((e, i) => ({
    week: week(e.recordedAt),
    lane: i % 4,
    type: e.type,
    at: e.recordedAt,
    actor: e.actor?.id,
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
      <ReferenceLine
        x={40}
        stroke="#444"
        strokeDasharray="4 2"
        label={{ value: t('timeline.due'), position: 'insideTopRight', fontSize: 11 }}
      />
      {birthWeek !== null && (
        <ReferenceArea
          x1={birthWeek}
          x2={maxWeek}
          fill="#f3ecff"
          fillOpacity={0.6}
          label={{ value: t('timeline.birth'), position: 'insideTopLeft', fontSize: 11 }}
        />
      )}
      <ReferenceLine
        x={nowWeek}
        stroke="#b3261e"
        label={{ value: t('timeline.now'), position: 'insideTopLeft', fontSize: 11 }}
      />
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
      label={{ value: t('timeline.week'), position: 'insideBottomRight', offset: -4, fontSize: 12 }}
    />
  );

  return (
    <div className="timeline" data-testid="timeline" data-events={events.length} data-milestones={milestones.length}>
      <h3>{t('timeline.events')}</h3>
      <ResponsiveContainer width="100%" height={120}>
        <ScatterChart margin={{ top: 16, right: 24, bottom: 16, left: 160 }}>
          <CartesianGrid strokeDasharray="2 4" />
          {axis}
          <YAxis type="number" dataKey="lane" hide domain={[-1, 4]} />
          {markers}
          <Tooltip
            content={({ payload }) => {
              const p = payload?.[0]?.payload as (typeof points)[number] | undefined;
              return p ? (
                <div className="tooltip">
                  {humanise(p.type)}
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
          <XAxis type="number" domain={domain} ticks={ticks} allowDataOverflow />
          <YAxis type="category" dataKey="name" width={150} tick={{ fontSize: 11 }} interval={0} />
          {markers}
          {bars.flatMap((b) =>
            b.pauses.map((p, i) => (
              <ReferenceArea
                key={`${b.id}-pause-${i}`}
                x1={week(p.from)}
                x2={p.to ? week(p.to) : nowWeek}
                y1={b.name}
                y2={b.name}
                fill="#999"
                fillOpacity={0.45}
                label={{ value: t('timeline.pause'), fontSize: 10 }}
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
                  {b.status} · {t('work.due')} {t('timeline.week').toLowerCase()} {b.due}
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
      <details>
        <summary>
          {t('timeline.events')} ({events.length})
        </summary>
        <ol className="event-list" data-testid="event-list">
          {events.map((e) => (
            <li key={e.position} data-type={e.type}>
              {formatDateTime(e.recordedAt)} · {humanise(e.type)}
              {e.actor ? ` · ${e.actor.id}` : ''}
            </li>
          ))}
        </ol>
      </details>
    </div>
  );
}
