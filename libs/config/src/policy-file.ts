import fs from 'node:fs';
import {
  defaultDisclosurePolicy,
  defaultPolicy,
  parseDisclosurePolicy,
  parsePolicy,
  type DisclosurePolicy,
  type Policy,
} from '@app/pathway';

/** The active pathway policy: the one shipped with Pathway, or PATHWAY_POLICY_FILE's, validated. */
export function loadPolicy(file: string | undefined, problems: string[]): Policy | null {
  if (!file) return defaultPolicy();
  const parsed = readPolicyFile('PATHWAY_POLICY_FILE', file, problems, parsePolicy);
  return parsed && parsed.policy;
}

/** Who sees what of a case: the policy shipped with Pathway, or PATHWAY_DISCLOSURE_FILE's, validated. */
export function loadDisclosurePolicy(file: string | undefined, problems: string[]): DisclosurePolicy | null {
  if (!file) return defaultDisclosurePolicy();
  const parsed = readPolicyFile('PATHWAY_DISCLOSURE_FILE', file, problems, parseDisclosurePolicy);
  return parsed && parsed.policy;
}

/** Reads and checks a policy document; every problem is named with the variable and the file. */
function readPolicyFile<P>(
  variable: string,
  file: string,
  problems: string[],
  parse: (document: unknown) => { ok: true; policy: P } | { ok: false; problems: string[] },
): { policy: P } | null {
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(
      `${variable} ${file}: ${error instanceof SyntaxError ? `not valid JSON (${error.message})` : 'cannot be read'}`,
    );
    return null;
  }
  const parsed = parse(document);
  if (!parsed.ok) {
    problems.push(...parsed.problems.map((p) => `${variable} ${file}: ${p}`));
    return null;
  }
  return { policy: parsed.policy };
}
