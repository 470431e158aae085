import { containsCpr } from '@app/pathway';
import { traceIdProblem } from '../http/request-id';
import { ValidationError } from '../http/validation';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const IF_MATCH = /^(?:W\/)?"?([1-9][0-9]{0,8})"?$/;

/**
 * Reads the command headers: `Idempotency-Key` (a replay by the same subject for the same organisation
 * returns the first response; the case writer looks it up after the access check),
 * `If-Match: "<version>"` (refuse unless the case is at that version) and `X-Correlation-Id` (else the
 * request's `X-Request-Id`).
 */
export function commandOptions(headers: Record<string, string | undefined>, allowIfMatch = false) {
  const problems: { field: string; problem: string }[] = [];
  const key = headers['idempotency-key'];
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
    problems.push({ field: 'Idempotency-Key', problem: 'must be 1 to 200 visible ASCII characters' });
  // Both are stored in plain text with the events (the correlation id is shown in the history): never a CPR number.
  else if (key !== undefined && containsCpr(key))
    problems.push({ field: 'Idempotency-Key', problem: 'must not contain a CPR number' });
  const correlation = headers['x-correlation-id'];
  const correlationProblem = correlation === undefined ? undefined : traceIdProblem(correlation);
  if (correlationProblem) problems.push({ field: 'X-Correlation-Id', problem: correlationProblem });
  let expectedVersion: number | undefined;
  const ifMatch = headers['if-match'];
  if (ifMatch !== undefined && ifMatch.trim() !== '*') {
    const m = allowIfMatch ? IF_MATCH.exec(ifMatch.trim()) : null;
    if (m) expectedVersion = Number(m[1]);
    else
      problems.push({
        field: 'If-Match',
        problem: allowIfMatch ? 'must be the case version as an ETag, e.g. "3"' : 'is not accepted here',
      });
  }
  if (problems.length) throw new ValidationError(problems);
  // RFC 7240: a command answers with its new version and events; the case too on request.
  const withCase = /(^|[,;\s])return=representation($|[,;\s])/.test(headers.prefer ?? '');
  // Without one of its own, a command is correlated by its request's id (set by logRequests).
  return { idempotencyKey: key, correlationId: correlation ?? headers['x-request-id'], expectedVersion, withCase };
}
