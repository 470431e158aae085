import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who an organisation's alerts go to by email, per contact tier (its duty inbox, team lead and
 * management), kept by an administrator; and the emails that could not be sent in the end.
 */
export class OrganisationContacts1763900000007 implements MigrationInterface {
  name = 'OrganisationContacts1763900000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organisation_contacts (
        id           uuid        NOT NULL,
        organisation text        NOT NULL,
        tier         text        NOT NULL,
        name         text        NOT NULL,
        email        text        NOT NULL,
        updated_by   text        NOT NULL,
        updated_at   timestamptz NOT NULL,
        CONSTRAINT organisation_contacts_pkey PRIMARY KEY (id),
        CONSTRAINT organisation_contacts_tier CHECK (tier IN ('duty-inbox', 'team-lead', 'management'))
      )`);
    await q.query(`CREATE INDEX organisation_contacts_organisation ON organisation_contacts (organisation, tier)`);
    await q.query(`
      CREATE TABLE email_dead_letters (
        delivery_id  text        NOT NULL,
        organisation text        NOT NULL,
        recipient    text        NOT NULL,
        case_id      uuid        NOT NULL,
        alert        text        NOT NULL,
        round        integer     NOT NULL,
        attempts     integer     NOT NULL,
        last_error   text        NOT NULL,
        failed_at    timestamptz NOT NULL,
        CONSTRAINT email_dead_letters_pkey PRIMARY KEY (delivery_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE email_dead_letters`);
    await q.query(`DROP TABLE organisation_contacts`);
  }
}
