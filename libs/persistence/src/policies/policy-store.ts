import { parsePolicy, shippedPolicies, type Policy, type PolicyRef, type PolicyRegistry } from '@app/pathway';
import type { DataSource } from 'typeorm';

/** A policy version already stored with other content: a changed policy needs a new version. */
class PolicyVersionConflict extends Error {
  override readonly name = 'PolicyVersionConflict';
}

/**
 * Every policy version the service has run, in PostgreSQL: a case pins its version, and that
 * version must stay readable after the active one changes.
 */
export class PolicyStore {
  constructor(private readonly dataSource: DataSource) {}

  async register(policy: Policy): Promise<void> {
    const document = JSON.stringify(policy);
    await this.dataSource.query(
      `INSERT INTO pathway_policies (name, version, document) VALUES ($1, $2, $3::jsonb) ON CONFLICT (name, version) DO NOTHING`,
      [policy.name, policy.version, document],
    );
    const [{ same }] = await this.dataSource.query(
      `SELECT document = $3::jsonb AS same FROM pathway_policies WHERE name = $1 AND version = $2`,
      [policy.name, policy.version, document],
    );
    if (!same) {
      throw new PolicyVersionConflict(
        `policy ${policy.name} version ${policy.version} is already registered with different content: give the changed policy a new version`,
      );
    }
  }

  async all(): Promise<Policy[]> {
    const rows: { document: unknown }[] = await this.dataSource.query(
      `SELECT document FROM pathway_policies ORDER BY name, version`,
    );
    return rows.flatMap((r) => {
      const parsed = parsePolicy(r.document);
      return parsed.ok ? [parsed.policy] : [];
    });
  }
}

/**
 * The registry of a running process: every version Pathway has shipped (cases recorded under one the
 * database does not hold, such as imported streams, still run), every stored version over them, and
 * the active one; refreshed when another process adds one.
 */
export class LivePolicyRegistry implements PolicyRegistry {
  private byKey = new Map<string, Policy>();

  constructor(
    readonly active: Policy,
    private readonly store: PolicyStore,
  ) {
    this.byKey = byKey([...shippedPolicies(), active]);
  }

  get(ref: PolicyRef): Policy | undefined {
    return this.byKey.get(key(ref));
  }

  versions(): Policy[] {
    return [...this.byKey.values()].sort((a, b) =>
      a.name === b.name ? a.version - b.version : a.name.localeCompare(b.name),
    );
  }

  async refresh(): Promise<void> {
    this.byKey = byKey([...shippedPolicies(), ...(await this.store.all()), this.active]);
  }
}

/** Later policies of the same name and version win (stored over shipped, the active over all). */
const byKey = (policies: Policy[]) => new Map(policies.map((p) => [key(p), p]));

function key(ref: PolicyRef): string {
  return `${ref.name}@${ref.version}`;
}
