import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** The tiers an organisation names people for; the case coordinator is alerted in the app. */
export const CONTACT_TIERS_BY_EMAIL = ['duty-inbox', 'team-lead', 'management'] as const;
export type EmailContactTier = (typeof CONTACT_TIERS_BY_EMAIL)[number];

export interface OrganisationContact {
  id: string;
  organisation: string;
  tier: EmailContactTier;
  name: string;
  email: string;
}

/** An email that could not be sent after its last attempt: kept and listed, never dropped silently. */
export interface EmailDeadLetter {
  deliveryId: string;
  organisation: string;
  recipient: string;
  caseId: string;
  alert: string;
  round: number;
  attempts: number;
  lastError: string;
  failedAt: string;
}

/** The organisations' contacts per tier, and the emails given up on, in PostgreSQL. */
export class ContactStore {
  constructor(private readonly dataSource: DataSource) {}

  async list(organisation: string): Promise<OrganisationContact[]> {
    const rows: OrganisationContact[] = await this.dataSource.query(
      `SELECT id, organisation, tier, name, email FROM organisation_contacts WHERE organisation = $1 ORDER BY tier, name, id`,
      [organisation],
    );
    return rows;
  }

  /** Replaces the organisation's contacts, in one transaction. */
  async replace(
    organisation: string,
    contacts: readonly { tier: EmailContactTier; name: string; email: string }[],
    by: string,
    now: Date,
  ): Promise<OrganisationContact[]> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`DELETE FROM organisation_contacts WHERE organisation = $1`, [organisation]);
      for (const c of contacts) {
        await tx.query(
          `INSERT INTO organisation_contacts (id, organisation, tier, name, email, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [randomUUID(), organisation, c.tier, c.name, c.email, by, now],
        );
      }
    });
    return this.list(organisation);
  }

  /** The contacts of these tiers of the organisation: who an alert's email goes to. */
  async reaching(organisation: string, tiers: readonly string[]): Promise<OrganisationContact[]> {
    return this.dataSource.query(
      `SELECT id, organisation, tier, name, email FROM organisation_contacts WHERE organisation = $1 AND tier = ANY($2::text[]) ORDER BY tier, id`,
      [organisation, tiers],
    );
  }

  async deadLetters(organisation: string, limit: number): Promise<EmailDeadLetter[]> {
    const rows: {
      delivery_id: string;
      organisation: string;
      recipient: string;
      case_id: string;
      alert: string;
      round: number;
      attempts: number;
      last_error: string;
      failed_at: Date;
    }[] = await this.dataSource.query(
      `SELECT * FROM email_dead_letters WHERE organisation = $1 ORDER BY failed_at DESC, delivery_id LIMIT $2`,
      [organisation, limit],
    );
    return rows.map((r) => ({
      deliveryId: r.delivery_id,
      organisation: r.organisation,
      recipient: r.recipient,
      caseId: r.case_id,
      alert: r.alert,
      round: r.round,
      attempts: r.attempts,
      lastError: r.last_error,
      failedAt: r.failed_at.toISOString(),
    }));
  }

  async deadLetter(letter: EmailDeadLetter): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO email_dead_letters (delivery_id, organisation, recipient, case_id, alert, round, attempts, last_error, failed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (delivery_id) DO UPDATE SET attempts = excluded.attempts, last_error = excluded.last_error, failed_at = excluded.failed_at`,
      [
        letter.deliveryId,
        letter.organisation,
        letter.recipient,
        letter.caseId,
        letter.alert,
        letter.round,
        letter.attempts,
        letter.lastError,
        letter.failedAt,
      ],
    );
  }
}
