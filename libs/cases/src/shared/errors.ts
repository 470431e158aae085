/** Application errors: the HTTP layer maps each to a status and a stable code. */
export class CaseNotFoundError extends Error {
  override readonly name = 'CaseNotFoundError';
  readonly code = 'CASE_NOT_FOUND';
  constructor() {
    super('no such case, or not one of your organisations’ cases');
  }
}

export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  readonly code = 'VERSION_CONFLICT';
  constructor(readonly currentVersion: number) {
    super(`the case is at version ${currentVersion}; re-read it and decide again`);
  }
}

export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor() {
    super('this Idempotency-Key was used for a different request');
  }
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  readonly code = 'INVALID_CURSOR';
  constructor() {
    super('the cursor is not one this API returned');
  }
}
