import type { Api, JsonSchema } from '../api';
import { useI18n } from '../i18n';
import { useLoad } from '../use-load';
import { SchemaForm } from './schema-form';
import { LoadError } from './load-error';

interface OpenApi {
  paths: Record<string, { post?: { requestBody?: { content: Record<string, { schema: JsonSchema }> } } }>;
}

/** Opens a case: the form is drawn from the API's own schema of POST /v1/cases. */
export function RegisterConcern({
  api,
  onRegistered,
  onCancel,
}: {
  api: Api;
  onRegistered: (caseId: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const schema = useLoad(async () => {
    const doc = (await (await fetch('/docs-json')).json()) as OpenApi;
    return doc.paths['/v1/cases'].post!.requestBody!.content['application/json'].schema;
  }, []);
  return (
    <section className="card" aria-labelledby="register-title">
      <h2 id="register-title">{t('work.register')}</h2>
      <LoadError error={schema.error} />
      {schema.data && (
        <SchemaForm
          api={api}
          testId="register-form"
          schema={schema.data}
          submitLabel={t('case.send')}
          onCancel={onCancel}
          onSubmit={async (body) => {
            const created = await api.post<{ id: string }>('/v1/cases', body);
            onRegistered(created.id);
          }}
        />
      )}
    </section>
  );
}
