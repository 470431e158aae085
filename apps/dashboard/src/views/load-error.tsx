import { describeError } from '../api';
import { useI18n } from '../i18n';

/** What went wrong loading a view's data, in the user's language. */
export function LoadError({ error }: { error: Error | undefined }) {
  const { t, language } = useI18n();
  return error ? (
    <p role="alert" className="error">
      {t('error.generic', { message: describeError(error, language) })}
    </p>
  ) : null;
}
