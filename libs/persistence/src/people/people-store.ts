import type { Person } from '@app/pathway';
import type { DataSource } from 'typeorm';

/** How the directory knows a person: she signed in for the organisation, or its administrator added her. */
export type KnownBy = 'signed-in' | 'added-by-admin';

/** A person of an organisation's directory, as GET /v1/organisations/{id}/people lists her. */
export interface DirectoryPerson extends Person {
  /** The role of her token when she last signed in (null: added by an administrator, not seen yet). */
  role: string | null;
  knownBy: KnownBy;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
}

interface Row {
  organisation: string;
  person_id: string;
  name: string;
  role: string | null;
  known_by: KnownBy;
  first_seen_at: Date | null;
  last_seen_at: Date | null;
}

const COLUMNS = `organisation, person_id, name, role, known_by, first_seen_at, last_seen_at`;

const toPerson = (r: Row): DirectoryPerson => ({
  id: r.person_id,
  name: r.name,
  organisation: r.organisation,
  role: r.role,
  knownBy: r.known_by,
  firstSeenAt: r.first_seen_at?.toISOString() ?? null,
  lastSeenAt: r.last_seen_at?.toISOString() ?? null,
});

/**
 * The organisations' directory of people (table `people`): who a case or a milestone can be assigned
 * to. A person is recorded when she signs in (by the API at her first request in a process, never
 * at every request) and may be added, renamed and removed by the organisation's administrator. A
 * name the administrator gave is kept when she signs in again; one from her token follows the token.
 */
export class PeopleStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The organisation's people, by name. */
  async list(organisation: string): Promise<DirectoryPerson[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM people WHERE organisation = $1 ORDER BY lower(name), person_id`,
      [organisation],
    );
    return rows.map(toPerson);
  }

  async find(organisation: string, personId: string): Promise<DirectoryPerson | null> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM people WHERE organisation = $1 AND person_id = $2`,
      [organisation, personId],
    );
    return rows[0] ? toPerson(rows[0]) : null;
  }

  /** The person in every organisation whose directory knows her (what the case writer decides with). */
  async entriesOf(personId: string): Promise<Person[]> {
    const rows: Row[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM people WHERE person_id = $1`, [personId]);
    return rows.map((r) => ({ id: r.person_id, name: r.name, organisation: r.organisation }));
  }

  /** Records that she signed in for these organisations (first seen now, if not known; last seen now). */
  async signedIn(
    personId: string,
    name: string,
    role: string,
    organisations: readonly string[],
    now: Date,
  ): Promise<void> {
    if (organisations.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO people (organisation, person_id, name, role, known_by, first_seen_at, last_seen_at, updated_by, updated_at)
       SELECT o, $2, $3, $4, 'signed-in', $5, $5, $2, $5 FROM unnest($1::text[]) AS o
       ON CONFLICT (organisation, person_id) DO UPDATE SET
         name = CASE WHEN people.named_by_admin THEN people.name ELSE EXCLUDED.name END,
         role = EXCLUDED.role,
         first_seen_at = coalesce(people.first_seen_at, EXCLUDED.first_seen_at),
         last_seen_at = EXCLUDED.last_seen_at`,
      [organisations, personId, name, role, now],
    );
  }

  /** Adds a person the administrator names; false when the organisation knows her already. */
  async add(organisation: string, personId: string, name: string, by: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO people (organisation, person_id, name, known_by, named_by_admin, updated_by, updated_at)
       VALUES ($1, $2, $3, 'added-by-admin', true, $4, $5)
       ON CONFLICT (organisation, person_id) DO NOTHING RETURNING person_id`,
      [organisation, personId, name, by, now],
    );
    return rows.length === 1;
  }

  /** Renames a person (the name then stays when she signs in again); false when there is no such person. */
  async rename(organisation: string, personId: string, name: string, by: string, now: Date): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE people SET name = $3, named_by_admin = true, updated_by = $4, updated_at = $5
       WHERE organisation = $1 AND person_id = $2`,
      [organisation, personId, name, by, now],
    );
    return affected === 1;
  }

  /** Removes a person from the directory; false when there is no such person. */
  async remove(organisation: string, personId: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM people WHERE organisation = $1 AND person_id = $2`,
      [organisation, personId],
    );
    return affected === 1;
  }
}
