import { randomUUID } from 'node:crypto';
import { containsCpr } from '@app/pathway';

const TRACE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * What is wrong with a client's trace id (`X-Request-Id`, `X-Correlation-Id`), or undefined when it
 * may be used: 1 to 100 letters, digits or `. _ : -`, and never a CPR number, since it is logged
 * and stored with the events in plain text.
 */
export function traceIdProblem(value: string): string | undefined {
  if (!TRACE_ID.test(value)) return 'must be 1 to 100 letters, digits or . _ : -';
  if (containsCpr(value)) return 'must not contain a CPR number';
  return undefined;
}

/** A fresh request id: a UUID, never one whose digits happen to read as a CPR number. */
export function newRequestId(): string {
  for (;;) {
    const id = randomUUID();
    if (!containsCpr(id)) return id;
  }
}

/** The request's id: the client's `X-Request-Id` when it may be used, a fresh one otherwise. */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && traceIdProblem(header) === undefined ? header : newRequestId();
}
