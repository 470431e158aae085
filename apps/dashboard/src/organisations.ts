import type { Api } from './api';

export interface Organisation {
  id: string;
  kind: string;
  name: string;
  municipalityCode: string | null;
  /** Residential facilities: when the platform administrator retired it (no new placements). */
  retiredAt?: string | null;
}

let cache: Promise<Organisation[]> | undefined;

/**
 * The reference list of organisations (fetched once): names for codes and ids in forms. The
 * residential facilities come from GET /v1/facilities, as the platform administrator keeps them.
 */
export function organisations(api: Api): Promise<Organisation[]> {
  cache ??= Promise.all([
    api.get<{ organisations: Organisation[] }>('/v1/organisations'),
    api.get<{ facilities: { id: string; name: string; municipalityCode: string; retiredAt: string | null }[] }>(
      '/v1/facilities',
    ),
  ]).then(
    ([r, f]) => [
      ...r.organisations.filter((o) => o.kind !== 'facility'),
      ...f.facilities.map((x) => ({
        id: x.id,
        kind: 'facility',
        name: x.name,
        municipalityCode: null,
        retiredAt: x.retiredAt,
      })),
    ],
    (e: unknown) => {
      cache = undefined;
      throw e;
    },
  );
  return cache;
}

/** The facilities a placement may go to now: not retired. */
export function placeableFacilities(list: Organisation[]): string[] {
  return list.filter((o) => o.kind === 'facility' && !o.retiredAt).map((o) => o.id);
}

/** A readable name for a value of a field: a municipality code or an organisation id. */
export function organisationName(list: Organisation[], field: string, value: string): string | undefined {
  if (field === 'municipality') return list.find((o) => o.municipalityCode === value)?.name;
  return list.find((o) => o.id === value)?.name;
}
