import { useEffect, useState } from 'react';
import { useAlerts } from '../alerts-context';
import type { Api, Referral, ReferralDeadline } from '../api';
import { formatDateTime, useI18n } from '../i18n';
import { organisations } from '../organisations';
import { deadlineTiming, referralStatus, type DeadlineTiming } from '../referrals';
import { Link, navigate } from '../router';
import type { TextKey } from '../texts';
import { useLoad } from '../use-load';
import { useNow } from '../use-now';
import { LoadError } from './load-error';
import { RegisterConcern } from './register-concern';

const PAGE_SIZE = 20;
/** The receivers' acknowledgements raise no alert of hers: the page asks again this often. */
const REFRESH_MS = 15_000;

interface ReferralPage {
  items: Referral[];
  nextCursor: string | null;
}

/** The pill of a deadline's timing: kept in green, missed in red, the rest neutral. */
const TIMING_PILL: Record<DeadlineTiming['state'], string> = {
  kept: 'ladder-on-time',
  late: 'ladder-breached',
  overdue: 'ladder-breached',
  open: 'ladder-scheduled',
  scheduled: 'ladder-scheduled',
  waived: 'ladder-paused',
};

/**
 * The referrer's page: the referrals her organisations registered (GET /v1/referrals, newest first, a
 * page at a time), each with where it has got to, whether its hand-offs were acknowledged in time,
 * and whether its deadlines are kept. Only what her part in the case shows: no clinical detail.
 */
export function Referrals({ api, organisations: mine }: { api: Api; organisations: readonly string[] }) {
  const { t } = useI18n();
  const { changes } = useAlerts();
  const now = useNow();
  const [registering, setRegistering] = useState(false);
  /** The cursor of each page visited, the first page's undefined: back is the one before. */
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const referrals = useLoad(
    async () => ({
      page: cursors.length,
      ...(await api.get<ReferralPage>(
        `/v1/referrals?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )),
    }),
    [cursor, changes],
  );
  const { reload } = referrals;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const orgs = useLoad(() => organisations(api), [api]);
  const orgName = (id: string) => orgs.data?.find((o) => o.id === id)?.name ?? id;
  const municipalityName = (code: string) =>
    orgs.data?.find((o) => o.kind === 'municipality' && o.municipalityCode === code)?.name ?? code;
  const page = referrals.data?.page ?? 1;

  return (
    <section aria-labelledby="referrals-title" className="referrals">
      <div className="title-row">
        <h1 id="referrals-title">{t('referrals.title')}</h1>
        <button type="button" className="primary" onClick={() => setRegistering(true)}>
          {t('work.register')}
        </button>
      </div>
      <p className="hint">{t('referrals.intro', { organisations: mine.map(orgName).join(', ') })}</p>
      {registering && (
        <RegisterConcern
          api={api}
          onCancel={() => setRegistering(false)}
          onRegistered={(id) => {
            setRegistering(false);
            navigate({ name: 'case', id });
          }}
        />
      )}
      <LoadError error={referrals.error} />
      {!referrals.data && !referrals.error && <p>{t('loading')}</p>}
      {referrals.data?.items.length === 0 && <p>{t('referrals.empty')}</p>}
      {!!referrals.data?.items.length && (
        <ul className="referral-list" data-testid="referrals">
          {referrals.data.items.map((r) => (
            <ReferralCard key={r.caseId} referral={r} now={now} orgName={orgName} municipalityName={municipalityName} />
          ))}
        </ul>
      )}
      {referrals.data && (page > 1 || referrals.data.nextCursor) && (
        <nav className="buttons" aria-label={t('find.pages')}>
          <button type="button" disabled={page === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            {t('find.previous')}
          </button>
          <span>{t('referrals.page', { page })}</span>
          <button
            type="button"
            disabled={!referrals.data.nextCursor}
            onClick={() => {
              const next = referrals.data?.nextCursor;
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

function ReferralCard({
  referral: r,
  now,
  orgName,
  municipalityName,
}: {
  referral: Referral;
  now: number;
  orgName: (id: string) => string;
  municipalityName: (code: string) => string;
}) {
  const { t, language } = useI18n();
  const status = referralStatus(r);
  const headingId = `referral-${r.caseId}`;
  return (
    <li className="card referral" data-testid="referral" data-case={r.caseId} data-status={status}>
      <div className="referral-head">
        <h2 id={headingId}>
          <Link to={{ name: 'case', id: r.caseId }}>{r.reference}</Link>
        </h2>
        <span className={`pill referral-${status}`} data-testid="referral-status">
          {t(`referrals.status.${status}`)}
        </span>
        <span className="hint">{t('referrals.registered', { at: formatDateTime(r.registeredAt) })}</span>
      </div>
      <h3>{t('referrals.handoffs')}</h3>
      {r.handoffs.length === 0 && r.notifications.length === 0 ? (
        <p className="hint">{t('referrals.noHandoffs')}</p>
      ) : (
        <ul className="facts-list">
          {r.handoffs.map((h) => (
            <li
              key={`${h.kind}/${h.sentAt}/${h.to}`}
              data-testid="handoff"
              data-kind={h.kind}
              data-acknowledged={h.acknowledgedAt ? 'yes' : 'no'}
            >
              <strong>
                {t(
                  h.kind === 'clinic-referral' || h.kind === 'municipality-notification'
                    ? (`referrals.handoff.${h.kind}` as TextKey)
                    : 'referrals.handoff.other',
                  { to: orgName(h.to) },
                )}
              </strong>{' '}
              · {t('referrals.sent', { at: formatDateTime(h.sentAt) })}
              <div data-testid="acknowledgement">
                {h.acknowledgedAt
                  ? t('referrals.acknowledged', { at: formatDateTime(h.acknowledgedAt) })
                  : t('referrals.notAcknowledged')}
                {h.acknowledgement && (
                  <>
                    {' '}
                    <Timing deadline={h.acknowledgement} now={now} />
                  </>
                )}
              </div>
            </li>
          ))}
          {r.notifications.map((n) => (
            <li key={`${n.municipality}/${n.notifiedAt}`} data-testid="notification">
              <strong>{t('referrals.notification', { municipality: municipalityName(n.municipality) })}</strong>
              <div>
                {n.receiptConfirmedAt
                  ? t('referrals.receipt', { at: formatDateTime(n.receiptConfirmedAt) })
                  : t('referrals.noReceipt')}{' '}
                · {t(n.assessed ? 'referrals.assessed' : 'referrals.notAssessed')}
              </div>
            </li>
          ))}
        </ul>
      )}
      {r.deadlines.length > 0 && (
        <>
          <h3>{t('referrals.deadlines')}</h3>
          <ul className="facts-list">
            {r.deadlines.map((d) => (
              <li key={d.milestone} data-testid="deadline" data-milestone={d.milestone}>
                <strong>{d.title?.[language] ?? d.milestone}</strong> ·{' '}
                {t('referrals.owner', { owner: orgName(d.owner) })}
                <div>
                  <Timing deadline={d} now={now} />
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </li>
  );
}

/** Whether a deadline was kept and by how much: a pill, and the due time with the margin, lateness or time left. */
function Timing({ deadline, now }: { deadline: ReferralDeadline; now: number }) {
  const { t, span } = useI18n();
  const timing = deadlineTiming(deadline, now);
  // Late by any part of a second is late by a second: never "0 s after the deadline".
  const missed = timing.state === 'late' || timing.state === 'overdue';
  const time = span(missed ? Math.ceil(timing.ms / 1000) * 1000 : timing.ms);
  return (
    <span data-testid="timing" data-timing={timing.state}>
      <span className={`pill ${TIMING_PILL[timing.state]}`}>{t(`referrals.timing.${timing.state}`)}</span>{' '}
      {t(`referrals.when.${timing.state}`, { due: formatDateTime(deadline.dueAt), time })}
    </span>
  );
}
