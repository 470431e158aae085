import { useState } from 'react';
import { useI18n } from '../i18n';
import { storedSession } from '../session';

export type Scope = 'mine' | 'organisation';

const KEY = 'pathway.work.scope';

/**
 * Whether "Mit arbejde" shows her work (the default) or her organisation's queue, remembered in
 * this browser. A referrer is not shown who does what (the logistics): her organisation's queue only.
 */
export function useWorkScope(): [Scope | null, (scope: Scope) => void] {
  const canChoose = storedSession()?.role !== 'referrer';
  const [scope, setScope] = useState<Scope>(() =>
    localStorage.getItem(KEY) === 'organisation' ? 'organisation' : 'mine',
  );
  return [
    canChoose ? scope : null,
    (next) => {
      localStorage.setItem(KEY, next);
      setScope(next);
    },
  ];
}

/** The toggle between her work and her organisation's. */
export function WorkScope({ scope, onChange }: { scope: Scope | null; onChange: (scope: Scope) => void }) {
  const { t } = useI18n();
  if (scope === null) return null;
  return (
    <fieldset className="scope" data-testid="work-scope">
      <legend>{t('own.show')}</legend>
      {(['mine', 'organisation'] as const).map((s) => (
        <label key={s} className="inline">
          <input type="radio" name="work-scope" value={s} checked={scope === s} onChange={() => onChange(s)} />{' '}
          {t(s === 'mine' ? 'own.mine' : 'own.organisation')}
        </label>
      ))}
    </fieldset>
  );
}
