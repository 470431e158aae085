import { useState, type FormEvent } from 'react';
import { describeError } from '../api';
import { useI18n } from '../i18n';
import { signInLocally, signInWithOidc, type Session, type SignInOptions } from '../session';
import type { TextKey } from '../texts';

/** The organisation kinds that usually go with a role, offered first. */
const KIND_OF_ROLE: Record<string, string> = {
  clinic: 'clinic',
  municipality: 'municipality',
  facility: 'facility',
  coordinator: 'municipality',
  auditor: 'municipality',
  referrer: 'gp',
};

type LocalOptions = NonNullable<SignInOptions['local']>;

/** The organisations a role may sign in for (as the API offers them), grouped by kind, the usual kind first. */
function fittingKinds(
  local: LocalOptions,
  role: string,
): { kind: string; organisations: LocalOptions['organisations'] }[] {
  const fitting = local.organisations.filter((o) => o.roles.includes(role));
  return [...new Set(fitting.map((o) => o.kind))]
    .sort((a, b) => Number(b === KIND_OF_ROLE[role]) - Number(a === KIND_OF_ROLE[role]))
    .map((kind) => ({ kind, organisations: fitting.filter((o) => o.kind === kind) }));
}

export function SignIn({ options, onSignedIn }: { options: SignInOptions; onSignedIn: (s: Session) => void }) {
  const { t, language } = useI18n();
  const local = options.local;
  const [role, setRole] = useState('coordinator');
  const [organisation, setOrganisation] = useState('municipality:851');
  const [sub, setSub] = useState('alice');
  const [error, setError] = useState<string>();

  /** A new role keeps the organisation if it fits, otherwise takes the first that does. */
  function chooseRole(next: string) {
    setRole(next);
    if (local && !local.organisations.some((o) => o.id === organisation && o.roles.includes(next)))
      setOrganisation(fittingKinds(local, next)[0]?.organisations[0]?.id ?? '');
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      onSignedIn(await signInLocally(role, organisation, sub));
    } catch (err) {
      setError(describeError(err, language));
    }
  }

  const kinds = local ? fittingKinds(local, role) : [];
  return (
    <>
      {options.oidc && (
        <section className="card">
          <button type="button" className="primary" onClick={() => void signInWithOidc(options.oidc!)}>
            {t('signIn.oidc', { provider: new URL(options.oidc.authority).host })}
          </button>
        </section>
      )}
      {local && (
        <section className="card">
          <h2>{t('signIn.local')}</h2>
          <p className="hint">{t('signIn.localHint')}</p>
          <form onSubmit={submit} className="stack">
            <label>
              {t('signIn.role')}
              <select name="role" value={role} onChange={(e) => chooseRole(e.target.value)}>
                {local.roles.map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}` as TextKey)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('signIn.organisation')}
              <select name="organisation" value={organisation} onChange={(e) => setOrganisation(e.target.value)}>
                {kinds.map(({ kind, organisations }) => (
                  <optgroup key={kind} label={kind}>
                    {organisations.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name} ({o.id})
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            </label>
            <label>
              {t('signIn.user')}
              <input
                name="sub"
                value={sub}
                onChange={(e) => setSub(e.target.value)}
                required
                pattern="[A-Za-z0-9._@\-]{1,100}"
                autoComplete="username"
              />
            </label>
            {error && (
              <p role="alert" className="error">
                {error}
              </p>
            )}
            <button type="submit" className="primary">
              {t('signIn.submit')}
            </button>
          </form>
        </section>
      )}
      {!local && !options.oidc && <p role="alert">{t('signIn.none')}</p>}
    </>
  );
}
