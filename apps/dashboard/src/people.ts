import type { Api } from './api';

/** A person as the case and its milestones name her. */
export interface PersonRef {
  id: string;
  name: string;
  organisation: string;
}

/** A person of an organisation's directory (GET /v1/organisations/{id}/people). */
export interface DirectoryPerson extends PersonRef {
  role: string | null;
  knownBy: 'signed-in' | 'added-by-admin';
  /** When she last signed in (null: added by the administrator, not seen yet). */
  lastSeenAt?: string | null;
}

/** The people of these organisations (those the caller may read: her own), by name. */
export async function peopleOf(api: Api, organisations: readonly string[]): Promise<DirectoryPerson[]> {
  const lists = await Promise.all(
    organisations.map((o) =>
      api.get<{ people: DirectoryPerson[] }>(`/v1/organisations/${encodeURIComponent(o)}/people`).then((r) => r.people),
    ),
  );
  return lists.flat();
}

/** `Mia Sørensen`, and her organisation when the list has more than one. */
export function personLabel(p: PersonRef, severalOrganisations: boolean, orgName: (id: string) => string): string {
  return severalOrganisations ? `${p.name} (${orgName(p.organisation)})` : p.name;
}
