import { createHash } from 'node:crypto';
import { SHIPPED_POLICY_DOCUMENTS, defaultPolicy, shippedPolicies } from './default-policy';

/**
 * The content of every shipped version, as databases hold it (PolicyStore refuses to start when the
 * file of a stored version differs). A failure here means a shipped policy was edited: put the change
 * in a new version file instead, add it to SHIPPED_POLICY_DOCUMENTS, and pin it here (docs/adr/0011).
 */
const SHIPPED_CONTENT = [
  '2d5400a3e32bf1222ae98603164972c964293254c8e3ee1590266de090be24a3', // version 1
  '743e749aa8e72ad9ee7a9734b91e0e1e75f75b21711ebc9a150724219b1d0f55', // version 2
];

describe('the shipped pathway policies', () => {
  it('are versions 1, 2, … in order, each valid, the newest the default', () => {
    expect(shippedPolicies().map((p) => [p.name, p.version])).toEqual(
      SHIPPED_CONTENT.map((_, i) => ['pregnancy-substance-use', i + 1]),
    );
    expect(defaultPolicy()).toEqual(shippedPolicies()[SHIPPED_CONTENT.length - 1]);
  });

  it('are never edited once shipped', () => {
    expect(SHIPPED_POLICY_DOCUMENTS.map((d) => createHash('sha256').update(JSON.stringify(d)).digest('hex'))).toEqual(
      SHIPPED_CONTENT,
    );
  });
});
