import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { signInLocally, signInWithOidc, type Session, type SignInOptions } from '../session';
import type { TextKey } from '../texts';

/** The organisation kinds that usually go with a role, offered first. */
const KIND_OF_ROLE: Record<string, string> = {
  clinic: 'clinic',
  municipality: 'municipality',
  facility: 'facility',
  coordinator: 'municipality',
};

export function SignIn({ options, onSignedIn }: { options: SignInOptions; onSignedIn: (s: Session) => void }) {
  const { t } = useI18n();
  const local = options.local;
  const [role, setRole] = useState('coordinator');
  const [organisation, setOrganisation] = useState('municipality:851');
  const [sub, setSub] = useState('alice');
  const [error, setError] = useState<string>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    try {
      onSignedIn(await signInLocally(role, organisation, sub));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  const kinds = local
    ? [...new Set(local.organisations.map((o) => o.kind))].sort(
        (a, b) => Number(b === KIND_OF_ROLE[role]) - Number(a === KIND_OF_ROLE[role]),
      )
    : [];
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
              <select name="role" value={role} onChange={(e) => setRole(e.target.value)}>
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
                {kinds.map((kind) => (
                  <optgroup key={kind} label={kind}>
                    {local.organisations
                      .filter((o) => o.kind === kind)
                      .map((o) => (
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
