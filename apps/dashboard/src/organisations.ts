import type { Api } from './api';

export interface Organisation {
  id: string;
  kind: string;
  name: string;
  municipalityCode: string | null;
}

let cache: Promise<Organisation[]> | undefined;

/** The reference list of organisations (fetched once): names for codes and ids in forms. */
export function organisations(api: Api): Promise<Organisation[]> {
  cache ??= api.get<{ organisations: Organisation[] }>('/v1/organisations').then(
    (r) => r.organisations,
    (e: unknown) => {
      cache = undefined;
      throw e;
    },
  );
  return cache;
}

/** A readable name for a value of a field: a municipality code or an organisation id. */
export function organisationName(list: Organisation[], field: string, value: string): string | undefined {
  if (field === 'municipality') return list.find((o) => o.municipalityCode === value)?.name;
  return list.find((o) => o.id === value)?.name;
}
