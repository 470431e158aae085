import type { Response } from './stack';

/**
 * The API's one error shape: exactly `{ code, message, details? }`, `code` an upper-snake stable
 * code and `message` text for people. Returns what is wrong, or null when the body has the shape.
 */
export function errorShapeProblem(body: unknown): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return `not an object: ${JSON.stringify(body)?.slice(0, 200)}`;
  const keys = Object.keys(body);
  const extra = keys.filter((k) => !['code', 'message', 'details'].includes(k));
  if (extra.length) return `unexpected keys ${extra.join(', ')}`;
  const { code, message } = body as Record<string, unknown>;
  if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(code))
    return `code is not a stable code: ${JSON.stringify(code)}`;
  if (typeof message !== 'string' || message.length === 0)
    return `message is not a non-empty string: ${JSON.stringify(message)}`;
  return null;
}

/** Asserts an error response: its status, its code, the error shape and a JSON content type. */
export function expectError(res: Response, status: number, code: string): void {
  // The whole body goes into the comparison, so that a failure shows the message and details.
  const received = res.body && typeof res.body === 'object' ? res.body : { body: res.body };
  expect({ status: res.status, ...received }).toMatchObject({ status, code });
  expect(errorShapeProblem(res.body)).toBeNull();
  expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
}

/** A 400's field problems without the rule each names (`keyword`, `params`): what a test of the English says compares. */
export function fieldProblems(details: unknown): { field: string; problem: string }[] {
  return (details as { field: string; problem: string }[]).map(({ field, problem }) => ({ field, problem }));
}
