/**
 * A command the domain refuses, with a stable code. `rule` refusals are 422 over HTTP,
 * `forbidden` ones 403 and `not-found` 404.
 */
export type DomainErrorKind = 'rule' | 'forbidden' | 'not-found';

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: string,
    message: string,
    readonly kind: DomainErrorKind = 'rule',
  ) {
    super(message);
  }
}

export function refuse(code: string, message: string, kind: DomainErrorKind = 'rule'): never {
  throw new DomainError(code, message, kind);
}
