import { createContext, useContext, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, describeError, type Api, type JsonSchema } from '../api';
import { problemText } from '../error-texts';
import { useI18n } from '../i18n';
import { fieldHelp } from '../field-help';
import { FIELD_LABELS, VALUE_LABELS, label } from '../labels';
import type { Language } from '../texts';
import { organisationName, organisations, placeableFacilities, type Organisation } from '../organisations';
import { useLoad } from '../use-load';
import { CoordinatorField, PeopleApi } from './person-picker';

type Value = unknown;
type Values = Record<string, Value>;

/**
 * A form for a command body, drawn from its JSON Schema (the API's own): selects for enums, date and
 * time pickers for formats, fieldsets for objects, checkboxes for lists of choices. The API's field
 * errors (JSON pointers) appear next to their fields, other refusals above the buttons.
 */
export function SchemaForm({
  api,
  schema,
  initial = {},
  submitLabel,
  onSubmit,
  onCancel,
  testId,
}: {
  api: Api;
  schema: JsonSchema;
  initial?: Values;
  submitLabel: string;
  onSubmit: (body: Values) => Promise<void>;
  onCancel?: () => void;
  testId?: string;
}) {
  const { t, language } = useI18n();
  const [values, setValues] = useState<Values>(initial);
  // What went wrong is kept as the API said it and phrased when shown, so it follows a change of language.
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const orgs = useLoad(() => organisations(api), [api]);
  const details = failure instanceof ApiError ? failure.details : [];
  const problems = Object.fromEntries(details.map((d) => [d.field, problemText(d, language)]));
  const unplaced = details.filter((d) => !fieldExists(schema, d.field));
  const error =
    failure === undefined
      ? undefined
      : details.length > 0
        ? unplaced
            .map((d) => t('error.field', { field: fieldName(d.field, language), problem: problemText(d, language) }))
            .join(' ') || undefined
        : describeError(failure, language);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setFailure(undefined);
    try {
      await onSubmit(clean(values) as Values);
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="stack schema-form" data-testid={testId} noValidate>
      <Organisations.Provider value={orgs.data ?? []}>
        <PeopleApi.Provider value={api}>
          <Fields schema={schema} path="" values={values} onChange={setValues} problems={problems} />
        </PeopleApi.Provider>
      </Organisations.Provider>
      {error && (
        <p role="alert" className="error" data-testid="form-error">
          {error}
        </p>
      )}
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('case.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

const Organisations = createContext<Organisation[]>([]);

function Fields({
  schema,
  path,
  values,
  onChange,
  problems,
}: {
  schema: JsonSchema;
  path: string;
  values: Values;
  onChange: (v: Values) => void;
  problems: Record<string, string>;
}) {
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, field]) => (
        <Field
          key={name}
          name={name}
          path={`${path}/${name}`}
          schema={field}
          required={required.has(name)}
          value={values[name]}
          problems={problems}
          onChange={(v) => onChange({ ...values, [name]: v })}
        />
      ))}
    </>
  );
}

function Field({
  name,
  path,
  schema,
  required,
  value,
  onChange,
  problems,
}: {
  name: string;
  path: string;
  schema: JsonSchema;
  required: boolean;
  value: Value;
  onChange: (v: Value) => void;
  problems: Record<string, string>;
}) {
  const { language } = useI18n();
  const orgs = useContext(Organisations);
  const id = `field${path.replace(/\//g, '-')}`;
  const optionLabel = (value: string) =>
    organisationName(orgs, name, value) ?? VALUE_LABELS[value]?.[language] ?? value;
  const problem = problems[path];
  // Help in the page's language (field-help.ts); in English the API's own description where there is none.
  const help =
    fieldHelp(name, schema.description ?? schema.items?.description, language) ??
    (language === 'en' ? schema.description : undefined);
  const hint = help && (
    <small id={`${id}-help`} className="hint" data-testid="field-help">
      {help}
    </small>
  );
  const describedBy = [help && `${id}-help`, problem && `${id}-problem`].filter(Boolean).join(' ') || undefined;
  const title = `${label(FIELD_LABELS, path in FIELD_LABELS ? path : name, language)}${required ? ' *' : ''}`;
  const wrap = (input: ReactNode) => (
    <div className={`field${problem ? ' invalid' : ''}`}>
      <label htmlFor={id}>{title}</label>
      {input}
      {hint}
      {problem && (
        <small id={`${id}-problem`} className="error" data-testid="field-error" data-field={path}>
          {problem}
        </small>
      )}
    </div>
  );
  const common = { id, name: path, 'aria-invalid': problem ? true : undefined, 'aria-describedby': describedBy };

  // A coordinator is chosen from the organisation's people, never typed (id, name, organisation).
  if (name === 'coordinator' && schema.type === 'object')
    return <CoordinatorField id={id} title={title} value={value} onChange={onChange} problem={problem} path={path} />;
  if (schema.type === 'object') {
    return (
      <fieldset className={problem ? 'invalid' : undefined} aria-describedby={describedBy}>
        <legend>{title}</legend>
        {hint}
        <Fields schema={schema} path={path} values={(value as Values) ?? {}} onChange={onChange} problems={problems} />
        {problem && (
          <small id={`${id}-problem`} className="error" data-testid="field-error" data-field={path}>
            {problem}
          </small>
        )}
      </fieldset>
    );
  }
  if (schema.type === 'array' && schema.items?.enum) {
    const chosen = (value as string[]) ?? [];
    return (
      <fieldset className={problem ? 'invalid' : undefined} aria-describedby={describedBy}>
        <legend>{title}</legend>
        {hint}
        {schema.items.enum.map((option) => (
          <label key={option} className="inline">
            <input
              type="checkbox"
              name={path}
              value={option}
              checked={chosen.includes(option)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, option] : chosen.filter((c) => c !== option))}
            />
            {optionLabel(option)}
          </label>
        ))}
        {problem && (
          <small id={`${id}-problem`} className="error" data-testid="field-error" data-field={path}>
            {problem}
          </small>
        )}
      </fieldset>
    );
  }
  // A facility is reference data the platform keeps (no enum in the schema): the ones not retired.
  const options = schema.enum ?? (name === 'facility' ? placeableFacilities(orgs) : undefined);
  if (options) {
    return wrap(
      <select {...common} value={(value as string) ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">—</option>
        {options
          .map((option) => ({ option, text: optionLabel(option) }))
          .sort((a, b) => a.text.localeCompare(b.text, 'da'))
          .map(({ option, text }) => (
            <option key={option} value={option}>
              {text}
            </option>
          ))}
      </select>,
    );
  }
  if (schema.type === 'boolean') {
    return wrap(
      <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />,
    );
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    return wrap(
      <input
        {...common}
        type="number"
        value={(value as number) ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />,
    );
  }
  if (schema.format === 'date') {
    return wrap(
      <input
        {...common}
        type="date"
        value={(value as string) ?? ''}
        onChange={(e) => onChange(e.target.value || undefined)}
      />,
    );
  }
  if (schema.format === 'date-time') {
    // The picker shows local time; the API gets the instant with its offset.
    const local = typeof value === 'string' ? toLocalInput(value) : '';
    return wrap(
      <input
        {...common}
        type="datetime-local"
        value={local}
        onChange={(e) => onChange(e.target.value ? new Date(e.target.value).toISOString() : undefined)}
      />,
    );
  }
  if (name === 'note') {
    return wrap(
      <textarea
        {...common}
        rows={2}
        value={(value as string) ?? ''}
        onChange={(e) => onChange(e.target.value || undefined)}
      />,
    );
  }
  return wrap(
    <input
      {...common}
      type="text"
      value={(value as string) ?? ''}
      onChange={(e) => onChange(e.target.value || undefined)}
    />,
  );
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Drops empty fields and empty objects, so an untouched optional field is not sent. */
function clean(value: Value): Value {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, clean(v)] as const)
      .filter(([, v]) => v !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value === '' ? undefined : value;
}

/** A field's name for people: the label of its last part (`/referrer/kind` → Type), or / for the whole body. */
function fieldName(pointer: string, language: Language): string {
  const last = pointer.split('/').filter(Boolean).pop();
  return last ? label(FIELD_LABELS, last, language) : '/';
}

function fieldExists(schema: JsonSchema, pointer: string): boolean {
  let s: JsonSchema | undefined = schema;
  for (const part of pointer.split('/').filter(Boolean)) s = s?.properties?.[part];
  return s !== undefined && pointer !== '';
}
