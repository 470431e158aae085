import { containsCpr } from '@app/pathway';
import { commandOptions } from '../cases/command-headers';
import { newRequestId, requestIdOf, traceIdProblem } from './request-id';

describe('request and correlation ids', () => {
  it.each(['req-1', 'a.b_c:d-e', 'x'.repeat(100), '3f2e1c7a-5b6d-4e8f-9a0b-cd1234abcdef'])('accepts %s', (id) => {
    expect(traceIdProblem(id)).toBeUndefined();
    expect(requestIdOf(id)).toBe(id);
  });

  it.each([
    ['', 'must be 1 to 100 letters, digits or . _ : -'],
    ['x'.repeat(101), 'must be 1 to 100 letters, digits or . _ : -'],
    ['has space', 'must be 1 to 100 letters, digits or . _ : -'],
    ['caf\u00e9', 'must be 1 to 100 letters, digits or . _ : -'],
    ['010190-1234', 'must not contain a CPR number'],
    ['req:0101901234', 'must not contain a CPR number'],
  ])('refuses %j: %s, and a request gets a fresh id instead', (id, problem) => {
    expect(traceIdProblem(id)).toBe(problem);
    const fresh = requestIdOf(id);
    expect(fresh).not.toBe(id);
    expect(traceIdProblem(fresh)).toBeUndefined();
  });

  it('makes fresh ids that are UUIDs, never CPR-shaped', () => {
    for (let i = 0; i < 2_000; i++) {
      const id = newRequestId();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(containsCpr(id)).toBe(false);
    }
    expect(requestIdOf(undefined)).not.toBe(requestIdOf(undefined));
    expect(traceIdProblem(requestIdOf(['a', 'b']))).toBeUndefined();
  });

  it('correlates a command by X-Correlation-Id, else by the request id, and refuses a bad X-Correlation-Id', () => {
    expect(commandOptions({ 'x-request-id': 'req-1', 'x-correlation-id': 'c-1' }).correlationId).toBe('c-1');
    expect(commandOptions({ 'x-request-id': 'req-1' }).correlationId).toBe('req-1');
    expect(() => commandOptions({ 'x-correlation-id': '010190-1234' })).toThrow();
    expect(() => commandOptions({ 'x-correlation-id': 'no spaces' })).toThrow();
  });
});
