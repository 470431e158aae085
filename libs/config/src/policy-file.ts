import fs from 'node:fs';
import { defaultPolicy, parsePolicy, type Policy } from '@app/pathway';

/** The active pathway policy: the one shipped with Pathway, or PATHWAY_POLICY_FILE's, validated. */
export function loadPolicy(file: string | undefined, problems: string[]): Policy | null {
  if (!file) return defaultPolicy();
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(
      `PATHWAY_POLICY_FILE ${file}: ${error instanceof SyntaxError ? `not valid JSON (${error.message})` : 'cannot be read'}`,
    );
    return null;
  }
  const parsed = parsePolicy(document);
  if (!parsed.ok) {
    problems.push(...parsed.problems.map((p) => `PATHWAY_POLICY_FILE ${file}: ${p}`));
    return null;
  }
  return parsed.policy;
}
