import version1 from '../../policies/pregnancy-substance-use.v1.json';
import version2 from '../../policies/pregnancy-substance-use.v2.json';
import { parsePolicy } from './parse-policy';
import { policyRegistry, type Policy, type PolicyRegistry } from './policy';

/**
 * Every version of pregnancy-substance-use Pathway has shipped, oldest first (libs/pathway/policies/).
 * A shipped version is never edited: databases hold it as it was, and its cases run under it; a change
 * is a new version (docs/adr/0011).
 */
export const SHIPPED_POLICY_DOCUMENTS: readonly unknown[] = [version1, version2];

/** The policy shipped with Pathway: the newest version of pregnancy-substance-use. */
export function defaultPolicy(): Policy {
  return shippedPolicies()[SHIPPED_POLICY_DOCUMENTS.length - 1];
}

let shipped: readonly Policy[] | undefined;

/**
 * Every shipped version, parsed once (cases recorded under an earlier one still run under it). The
 * parsed policy is the document itself (parsePolicy checks, it does not copy), so parsing again gave
 * the same objects: the registry's refresh and every defaultPolicy() need not redo it.
 */
export function shippedPolicies(): Policy[] {
  shipped ??= SHIPPED_POLICY_DOCUMENTS.map((document) => {
    const parsed = parsePolicy(document);
    if (!parsed.ok) throw new Error(`a shipped policy is invalid:\n  ${parsed.problems.join('\n  ')}`);
    return parsed.policy;
  });
  return [...shipped];
}

/** The default policy active, every shipped version known: what a service knows before it reads its database. */
export function shippedPolicyRegistry(): PolicyRegistry {
  return policyRegistry(defaultPolicy(), shippedPolicies());
}
