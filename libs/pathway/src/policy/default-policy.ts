import document from '../../policies/pregnancy-substance-use.v1.json';
import { parsePolicy } from './parse-policy';
import type { Policy } from './policy';

/** The policy shipped with Pathway: pregnancy-substance-use, version 1 (libs/pathway/policies/). */
export function defaultPolicy(): Policy {
  const parsed = parsePolicy(document);
  if (!parsed.ok) throw new Error(`the default policy is invalid:\n  ${parsed.problems.join('\n  ')}`);
  return parsed.policy;
}
