import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { SecretBox } from './secret-box';

/** An endpoint an organisation registered for its alerts. The secret is shown once, at creation. */
export interface WebhookSubscription {
  id: string;
  organisation: string;
  url: string;
  createdBy: string;
  createdAt: string;
}

/** A delivery that kept failing: kept, listed over the API, never dropped silently. */
export interface DeadLetter {
  deliveryId: string;
  subscriptionId: string;
  organisation: string;
  url: string;
  caseId: string;
  alert: string;
  round: number;
  attempts: number;
  lastStatus: number | null;
  lastError: string;
  failedAt: string;
}

interface SubscriptionRow {
  id: string;
  organisation: string;
  url: string;
  secret: string;
  created_by: string;
  created_at: Date;
}

const view = (r: SubscriptionRow): WebhookSubscription => ({
  id: r.id,
  organisation: r.organisation,
  url: r.url,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
});

/** Webhook subscriptions and the dead-letter list, in PostgreSQL. */
export class WebhookStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
  ) {}

  /** Registers an endpoint with a new random signing secret, returned this once. */
  async create(
    organisation: string,
    url: string,
    createdBy: string,
    now: Date,
  ): Promise<WebhookSubscription & { secret: string }> {
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const rows: SubscriptionRow[] = await this.dataSource.query(
      `INSERT INTO webhook_subscriptions (id, organisation, url, secret, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [randomUUID(), organisation, url, this.secrets.seal(secret), createdBy, now],
    );
    return { ...view(rows[0]), secret };
  }

  async list(organisations: readonly string[]): Promise<WebhookSubscription[]> {
    const rows: SubscriptionRow[] = await this.dataSource.query(
      `SELECT * FROM webhook_subscriptions WHERE organisation = ANY($1::text[]) ORDER BY created_at, id`,
      [organisations],
    );
    return rows.map(view);
  }

  /** Deletes one of these organisations' subscriptions; false when there is none such. */
  async delete(id: string, organisations: readonly string[]): Promise<boolean> {
    // As a SELECT: TypeORM answers a bare DELETE with [rows, count], not the rows.
    const [{ n }]: { n: number }[] = await this.dataSource.query(
      `WITH gone AS (DELETE FROM webhook_subscriptions WHERE id = $1 AND organisation = ANY($2::text[]) RETURNING id) SELECT count(*)::int AS n FROM gone`,
      [id, organisations],
    );
    return n > 0;
  }

  /** The organisation's endpoints with their secrets, for delivery. */
  async endpointsOf(organisation: string): Promise<(WebhookSubscription & { secret: string })[]> {
    const rows: SubscriptionRow[] = await this.dataSource.query(
      `SELECT * FROM webhook_subscriptions WHERE organisation = $1 ORDER BY id`,
      [organisation],
    );
    return rows.map((r) => ({ ...view(r), secret: this.secrets.open(r.secret) }));
  }

  async endpoint(id: string): Promise<(WebhookSubscription & { secret: string }) | null> {
    const rows: SubscriptionRow[] = await this.dataSource.query(`SELECT * FROM webhook_subscriptions WHERE id = $1`, [
      id,
    ]);
    return rows[0] ? { ...view(rows[0]), secret: this.secrets.open(rows[0].secret) } : null;
  }

  async deadLetter(letter: DeadLetter): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO webhook_dead_letters (delivery_id, subscription_id, organisation, url, case_id, alert, round, attempts, last_status, last_error, failed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (delivery_id) DO UPDATE SET attempts = excluded.attempts, last_status = excluded.last_status, last_error = excluded.last_error, failed_at = excluded.failed_at`,
      [
        letter.deliveryId,
        letter.subscriptionId,
        letter.organisation,
        letter.url,
        letter.caseId,
        letter.alert,
        letter.round,
        letter.attempts,
        letter.lastStatus,
        letter.lastError,
        letter.failedAt,
      ],
    );
  }

  async deadLetters(organisations: readonly string[], limit: number): Promise<DeadLetter[]> {
    const rows: {
      delivery_id: string;
      subscription_id: string;
      organisation: string;
      url: string;
      case_id: string;
      alert: string;
      round: number;
      attempts: number;
      last_status: number | null;
      last_error: string;
      failed_at: Date;
    }[] = await this.dataSource.query(
      `SELECT * FROM webhook_dead_letters WHERE organisation = ANY($1::text[]) ORDER BY failed_at DESC, delivery_id LIMIT $2`,
      [organisations, limit],
    );
    return rows.map((r) => ({
      deliveryId: r.delivery_id,
      subscriptionId: r.subscription_id,
      organisation: r.organisation,
      url: r.url,
      caseId: r.case_id,
      alert: r.alert,
      round: r.round,
      attempts: r.attempts,
      lastStatus: r.last_status,
      lastError: r.last_error,
      failedAt: r.failed_at.toISOString(),
    }));
  }
}
