import { defaultPolicy, shippedPolicies } from '@app/pathway';
import { createTestDatabase, type TestDatabase } from '@test/support/database';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';
import { LivePolicyRegistry, PolicyStore } from './policy-store';

/**
 * An installation upgrades: its database holds the policy version it ran (the first shipped one),
 * and the new release starts with the next one active. Both must start, and the old cases keep
 * their version; a shipped version edited in place would be refused here, as it is at start.
 */
describe('the policy store across an upgrade', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createDataSource({ url: db.url, poolSize: 2 }).initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('starts the new release on a database that ran the first version: both versions stay readable', async () => {
    const [first, ...later] = shippedPolicies();
    const store = new PolicyStore(ds);
    await store.register(first); // the installation as it ran before the upgrade
    await store.register(defaultPolicy()); // the new release's start
    const registry = new LivePolicyRegistry(defaultPolicy(), store);
    await registry.refresh();
    expect(registry.versions().map((p) => p.version)).toEqual([first.version, ...later.map((p) => p.version)]);
    expect(registry.get({ name: first.name, version: first.version })).toEqual(first);
  });

  it('knows every shipped version before it has read the database, and after (imported streams pinned to one)', async () => {
    const registry = new LivePolicyRegistry(defaultPolicy(), new PolicyStore(ds));
    expect(shippedPolicies().map((p) => registry.get(p))).toEqual(shippedPolicies());
    await registry.refresh();
    expect(shippedPolicies().map((p) => registry.get(p))).toEqual(shippedPolicies());
  });

  it('refuses a shipped version whose content changed: a change is a new version', async () => {
    const [first] = shippedPolicies();
    const edited = { ...first, birth: { plausibleFromWeek: 22 } };
    await expect(new PolicyStore(ds).register(edited)).rejects.toThrow(
      'policy pregnancy-substance-use version 1 is already registered with different content: give the changed policy a new version',
    );
  });
});
