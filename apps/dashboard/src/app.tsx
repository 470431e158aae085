import { useEffect, useMemo, useState } from 'react';
import { openCardCount } from './alert-cards';
import { AlertsProvider, useAlerts } from './alerts-context';
import { Api, describeError } from './api';
import { roleName, useI18n } from './i18n';
import { Link, navigate, useRoute, type Route } from './router';
import {
  completeOidcSignIn,
  forgetSession,
  keepSession,
  storedSession,
  type Session,
  type SignInOptions,
} from './session';
import { type Language, type TextKey } from './texts';
import { AlertInbox } from './views/alert-inbox';
import { CasePage } from './views/case-page';
import { CaseList } from './views/case-list';
import { CaseloadsView } from './views/caseloads';
import { MyWork } from './views/my-work';
import { PeopleView } from './views/people';
import { Referrals } from './views/referrals';
import { Reports } from './views/reports';
import { SignIn } from './views/sign-in';

export function App() {
  const { t } = useI18n();
  const [session, setSession] = useState<Session | null>(storedSession);
  const [options, setOptions] = useState<SignInOptions>();
  /** Why the user is on the sign-in page again: the API refused the token, or the provider's answer failed. */
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    fetch('/v1/sign-in')
      .then((r) => r.json() as Promise<SignInOptions>)
      .then(
        async (o) => {
          setOptions(o);
          if (!o.oidc) return;
          try {
            const back = await completeOidcSignIn(o.oidc);
            if (back) signedIn(back);
          } catch (error) {
            setNotice(t('signIn.failed', { message: error instanceof Error ? error.message : String(error) }));
          }
        },
        () => setOptions({ local: null, oidc: null }),
      );
    // Once, at load: the provider's answer (?code&state) is in the URL only then.
  }, []);

  function signedIn(s: Session) {
    keepSession(s);
    setNotice(undefined);
    setSession(s);
  }

  const api = useMemo(
    () =>
      session &&
      new Api(session.token, (message) => {
        forgetSession();
        setNotice(t('signIn.refused', { message }));
        setSession(null);
      }),
    [session],
  );

  if (!session || !api) {
    return (
      <main id="main" className="sign-in-page">
        <h1>{t('app.title')}</h1>
        {notice && (
          <p role="alert" className="error" data-testid="sign-in-notice">
            {notice}
          </p>
        )}
        {options ? <SignIn options={options} onSignedIn={signedIn} /> : <p>{t('loading')}</p>}
      </main>
    );
  }
  return (
    <AlertsProvider api={api}>
      <Shell
        session={session}
        api={api}
        onSignOut={() => {
          forgetSession();
          setSession(null);
        }}
      />
    </AlertsProvider>
  );
}

/** The platform's own administration: its administrator may open the queue view. */
const PLATFORM = 'pathway:platform';

/**
 * Opens the queue view (/admin/queues) for the platform administrator: its page's own requests
 * carry no token, so the API first puts this session's token in a cookie for that path only.
 */
function QueuesButton({ api }: { api: Api }) {
  const { t, language } = useI18n();
  const [failure, setFailure] = useState<string>();
  async function open() {
    try {
      await api.post('/v1/admin/queue-session', undefined);
      window.location.assign('/admin/queues/');
    } catch (error) {
      setFailure(t('nav.queuesFailed', { message: describeError(error, language) }));
    }
  }
  return (
    <>
      <button type="button" onClick={() => void open()}>
        {t('nav.queues')}
      </button>
      {failure && (
        <span role="alert" className="error">
          {failure}
        </span>
      )}
    </>
  );
}

const NAV: { route: Route; label: TextKey }[] = [
  { route: { name: 'work' }, label: 'nav.work' },
  { route: { name: 'alerts' }, label: 'nav.alerts' },
  { route: { name: 'cases' }, label: 'nav.cases' },
  { route: { name: 'reports' }, label: 'nav.reports' },
  { route: { name: 'caseloads' }, label: 'own.caseloadsNav' },
];

/**
 * The referrer follows her referrals (her start page), her own deadlines' alerts and her cases: no
 * work queue or reports, which are the receiving organisations'.
 */
const REFERRER_NAV: { route: Route; label: TextKey }[] = [
  { route: { name: 'referrals' }, label: 'referrals.nav' },
  { route: { name: 'alerts' }, label: 'nav.alerts' },
  { route: { name: 'cases' }, label: 'nav.cases' },
];

function Shell({ session, api, onSignOut }: { session: Session; api: Api; onSignOut: () => void }) {
  const { t, language, setLanguage } = useI18n();
  const route = useRoute();
  const referrer = session.role === 'referrer';
  // The organisation's administrator (or the platform's) keeps its list of people.
  const nav = referrer
    ? REFERRER_NAV
    : session.role === 'admin'
      ? [...NAV, { route: { name: 'people' } as Route, label: 'people.nav' as TextKey }]
      : NAV;
  const { alerts, unseenCritical, markSeen, sound, setSound } = useAlerts();
  // One per milestone at its current level, as the inbox shows them.
  const openAlerts = openCardCount(alerts);

  useEffect(() => {
    if (route.name === 'alerts') markSeen();
  }, [route.name, unseenCritical, markSeen]);

  // The referrer's start page is her referrals, not a work queue.
  useEffect(() => {
    if (referrer && route.name === 'work') navigate({ name: 'referrals' }, { replace: true });
  }, [referrer, route.name]);

  return (
    <>
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <span className="brand">{t('app.title')}</span>
        <nav aria-label={t('app.title')}>
          {nav.map(({ route: r, label }) => (
            <Link
              key={r.name}
              to={r}
              aria-current={route.name === r.name || (r.name === 'cases' && route.name === 'case') ? 'page' : undefined}
            >
              {t(label)}
              {r.name === 'alerts' && openAlerts > 0 && (
                <span className={`badge${unseenCritical > 0 ? ' critical' : ''}`} data-testid="alert-count">
                  {openAlerts}
                </span>
              )}
            </Link>
          ))}
        </nav>
        <div className="who">
          <span data-testid="who">
            {session.name ? (
              <>
                <span title={session.sub}>{session.name}</span> <small data-testid="who-id">({session.sub})</small>
              </>
            ) : (
              session.sub
            )}{' '}
            · {roleName(session.role, language)} · {session.organisations.join(', ')}
          </span>
          <label className="inline">
            <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} /> {t('nav.sound')}
          </label>
          <label className="inline">
            {t('nav.language')}{' '}
            <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
              <option value="da">Dansk</option>
              <option value="en">English</option>
            </select>
          </label>
          {session.role === 'admin' && session.organisations.includes(PLATFORM) && <QueuesButton api={api} />}
          <button type="button" onClick={onSignOut}>
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route.name === 'work' && !referrer && <MyWork api={api} />}
        {route.name === 'referrals' && <Referrals api={api} organisations={session.organisations} />}
        {route.name === 'alerts' && <AlertInbox me={session.sub} />}
        {route.name === 'cases' && <CaseList api={api} role={session.role} />}
        {route.name === 'case' && <CasePage api={api} caseId={route.id} />}
        {route.name === 'reports' && <Reports api={api} />}
        {route.name === 'caseloads' && <CaseloadsView api={api} />}
        {route.name === 'people' && session.role === 'admin' && (
          <PeopleView
            api={api}
            organisations={session.organisations}
            platform={session.organisations.includes(PLATFORM)}
          />
        )}
      </main>
    </>
  );
}
