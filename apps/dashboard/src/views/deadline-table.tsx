import { Fragment, useState } from 'react';
import type { MilestoneItem } from '../api';
import {
  anchorText,
  audienceText,
  durationText,
  escalationText,
  ruleText,
  spanText,
  stepText,
  timeLeftText,
} from '../deadline-explain';
import { formatDateTime, useI18n } from '../i18n';
import { BASIS_LABELS, REASON_LABELS, label } from '../labels';
import { ladderState, timeLeft } from '../ladder';
import { useNow } from '../use-now';

/** Active first (the soonest due on top), then those closed, the latest closed first. */
function order(a: MilestoneItem, b: MilestoneItem): number {
  const closed = (m: MilestoneItem) => m.status === 'met' || m.status === 'waived';
  if (closed(a) !== closed(b)) return closed(a) ? 1 : -1;
  if (closed(a)) return (b.closedAt ?? '').localeCompare(a.closedAt ?? '');
  return Date.parse(a.dueAt) - Date.parse(b.dueAt);
}

/**
 * The case's deadlines: one row per milestone with its status, due time and time left, and under
 * it, on request (always in print), why it is due when it is: the rule, its basis, the event that
 * started the clock, the shortening by pregnancy week, pauses and the allowance left, the legal
 * limit, the escalation level and the birth-imminent rule, and who has been alerted.
 */
export function DeadlineTable({
  milestones,
  fetchedAt,
  ownerName = (id) => id,
}: {
  milestones: MilestoneItem[];
  fetchedAt: number;
  /** The name of the organisation whose obligation a deadline is. */
  ownerName?: (id: string) => string;
}) {
  const { t } = useI18n();
  const now = useNow(30_000);
  if (milestones.length === 0) return <p>{t('deadline.none')}</p>;
  return (
    <div className="table-scroll">
      <table className="deadlines" data-testid="deadline-table">
        <thead>
          <tr>
            <th scope="col">{t('deadline.col.deadline')}</th>
            <th scope="col">{t('deadline.col.status')}</th>
            <th scope="col">{t('deadline.col.due')}</th>
            <th scope="col">{t('deadline.col.left')}</th>
          </tr>
        </thead>
        <tbody>
          {[...milestones].sort(order).map((m) => (
            <DeadlineRows key={m.milestone} m={m} left={timeLeft(m, fetchedAt, now)} owner={ownerName(m.owner)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DeadlineRows({ m, left, owner }: { m: MilestoneItem; left: number | null; owner: string }) {
  const { t, language } = useI18n();
  const [open, setOpen] = useState(false);
  const state = ladderState(m, left);
  const status =
    m.status === 'met'
      ? t(m.late ? 'deadline.status.late' : 'deadline.status.met')
      : m.status === 'waived'
        ? t('deadline.status.waived')
        : t(`ladder.${state}`);
  const rowClass = m.status === 'met' || m.status === 'waived' ? 'closed' : `ladder-${state}`;
  const escalation = escalationText(m, language);
  const panel = `explain-${m.milestone}`;
  return (
    <Fragment>
      <tr className={rowClass} data-testid="deadline-row" data-milestone={m.milestone} data-status={m.status}>
        <th scope="row">
          {m.title?.[language] ?? m.rule}
          <br />
          <button
            type="button"
            className="link"
            aria-expanded={open}
            aria-controls={panel}
            data-testid="explain"
            onClick={() => setOpen(!open)}
          >
            {t('deadline.why')}
          </button>
        </th>
        <td>
          <span
            className={`pill ${m.status === 'met' || m.status === 'waived' ? 'ladder-scheduled' : `ladder-${state}`}`}
          >
            {status}
          </span>
          {escalation && (
            <div className="escalation" data-testid="escalation">
              {escalation}
            </div>
          )}
        </td>
        <td className="when">{formatDateTime(m.dueAt)}</td>
        <td className="countdown" data-testid="left">
          {timeLeftText(left, language) ??
            (m.closedAt
              ? t('deadline.closedAt', { at: formatDateTime(m.closedAt) })
              : m.status === 'paused'
                ? t('deadline.pausedNow')
                : '—')}
        </td>
      </tr>
      <tr className="explanation-row" id={panel} hidden={!open} data-milestone={m.milestone}>
        <td colSpan={4}>
          <Explanation m={m} owner={owner} />
        </td>
      </tr>
    </Fragment>
  );
}

function Explanation({ m, owner }: { m: MilestoneItem; owner: string }) {
  const { t, language } = useI18n();
  const e = m.explanation;
  if (!e) return null;
  const at = formatDateTime;
  const birth = e.birthImminent;
  const birthStep = birth && m.ladder?.find((s) => s.step === birth.step);
  const active = m.status === 'open' || m.status === 'paused' || m.status === 'breached';
  const reason = (r: string) => REASON_LABELS[r]?.[language] ?? r;
  return (
    <dl className="explanation" data-testid="deadline-explanation">
      <div>
        <dt>{t('deadline.rule')}</dt>
        <dd data-testid="rule">{ruleText(e, language)}</dd>
      </div>
      <div>
        <dt>{t('deadline.basis')}</dt>
        <dd data-testid="basis">{label(BASIS_LABELS, e.basis, language)}</dd>
      </div>
      <div>
        <dt>{t('deadline.anchor')}</dt>
        <dd data-testid="anchor">
          {t('deadline.anchorText', { at: at(e.anchor.at), signal: anchorText(e.anchor.signal, language) })}
        </dd>
      </div>
      <div>
        <dt>{t('deadline.scaling')}</dt>
        <dd data-testid="scaling">
          {e.scaling && e.scaling.factor < 1
            ? t('deadline.scaled', {
                percent: Math.round(e.scaling.factor * 100),
                week: e.scaling.week,
                unscaled: at(e.unscaledDueAt),
              })
            : t('deadline.notScaled')}
        </dd>
      </div>
      <div>
        <dt>{t('deadline.pauses')}</dt>
        <dd data-testid="pauses">
          {m.pauses.length > 0 && (
            <ul>
              {m.pauses.map((p) => (
                <li key={p.from}>
                  {t('deadline.pauseItem', {
                    from: at(p.from),
                    to: p.to ? at(p.to) : t('deadline.pauseOngoing'),
                    reason: p.reason ? reason(p.reason) : '—',
                  })}
                </li>
              ))}
            </ul>
          )}
          {m.pauseAllowance
            ? t('deadline.allowance', {
                used: spanText(m.pauseAllowance.usedMs, language),
                total: durationText(m.pauseAllowance.total, 'calendar', language) ?? m.pauseAllowance.total,
                left: spanText(m.pauseAllowance.leftMs, language),
              })
            : m.pauses.length === 0 && t(e.maxPause ? 'deadline.noPauses' : 'deadline.notPausable')}
        </dd>
      </div>
      {e.legalCap && (
        <div>
          <dt>{t('deadline.legalCap')}</dt>
          <dd data-testid="legal-cap">
            {t('deadline.legalCapText', {
              at: at(e.legalCap.at),
              duration: durationText(e.legalCap.duration, 'calendar', language) ?? e.legalCap.duration,
            })}
            {e.legalCap.applied && t('deadline.capApplied')}
          </dd>
        </div>
      )}
      {e.notLaterThan && (
        <div>
          <dt>{t('deadline.notLaterThan')}</dt>
          <dd>
            {t('deadline.notLaterThanText', {
              at: at(e.notLaterThan.at),
              duration:
                durationText(e.notLaterThan.beforeDueDate, 'calendar', language) ?? e.notLaterThan.beforeDueDate,
            })}
            {e.notLaterThan.applied && t('deadline.capApplied')}
          </dd>
        </div>
      )}
      <div>
        <dt>{t('deadline.escalation')}</dt>
        <dd data-testid="escalation-why">
          {escalationText(m, language) ?? t('deadline.notEscalated')}
          {birth?.applied && birthStep?.firedAt && (
            <p data-testid="birth-imminent-why">
              {t('deadline.birthImminent', { week: birth.week, at: at(birth.at) })}
            </p>
          )}
          {birth?.applied && birthStep && !birthStep.firedAt && active && (
            <p>{t('deadline.birthImminentAhead', { week: birth.week, at: at(birth.at) })}</p>
          )}
        </dd>
      </div>
      <div>
        <dt>{t('deadline.alerted')}</dt>
        <dd data-testid="alerted">
          {m.alerted?.length ? (
            <ul>
              {m.alerted.map((a) => (
                <li key={a.step}>
                  {t('deadline.alertedItem', {
                    step: stepText(a, language),
                    at: at(a.raisedAt),
                    who: audienceText(a.audience, language),
                  })}
                  {a.acknowledged &&
                    `; ${t('deadline.alertedAck', { by: a.acknowledged.by, at: at(a.acknowledged.at) })}`}
                </li>
              ))}
            </ul>
          ) : (
            t('deadline.noAlerts')
          )}
        </dd>
      </div>
      {m.lostContact && (
        <div>
          <dt>{t('case.contactLost')}</dt>
          <dd>{m.lostContact.text[language]}</dd>
        </div>
      )}
      <div>
        <dt>{t('deadline.owner')}</dt>
        <dd data-testid="owner">{owner}</dd>
      </div>
    </dl>
  );
}
