/**
 * Application errors: a stable code, what kind of failure it is and, where useful, details. The
 * HTTP layer maps the kind to a status (not-found 404, conflict 409, invalid 400, rule 422).
 */
export type ApplicationErrorKind = 'not-found' | 'conflict' | 'invalid' | 'rule';

export class ApplicationError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ApplicationErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class CaseNotFoundError extends ApplicationError {
  constructor() {
    super('CASE_NOT_FOUND', 'not-found', 'no such case, or not one of your organisations’ cases');
  }
}

export class VersionConflictError extends ApplicationError {
  constructor(readonly currentVersion: number) {
    super('VERSION_CONFLICT', 'conflict', `the case is at version ${currentVersion}; re-read it and decide again`, {
      currentVersion,
    });
  }
}

export class IdempotencyKeyReusedError extends ApplicationError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'rule', 'this Idempotency-Key was used for a different request');
  }
}

export class InvalidCursorError extends ApplicationError {
  constructor() {
    super('INVALID_CURSOR', 'invalid', 'the cursor is not one this API returned');
  }
}

/**
 * A list filter or order on fields the caller's role is not shown in every case it has a part in
 * (a referrer by stage): refused whatever the cases, so that the answer tells nothing of any case.
 */
export class FilterNotShownError extends ApplicationError {
  constructor(fields: readonly string[]) {
    super(
      'FILTER_NOT_SHOWN',
      'invalid',
      `your role is not shown ${fields.join(', ')} in every case it has a part in, so it cannot filter or sort by it`,
      { fields: [...fields] },
    );
  }
}

/** A CPR number in a URL (GET /v1/cases?q=…), where proxies and browser histories keep it: refused, not searched. */
export class CprInUrlError extends ApplicationError {
  constructor() {
    super(
      'CPR_IN_URL',
      'invalid',
      'a CPR number is never sent in a URL: search for it with POST /v1/cases/search and {"q": "…"} in the body',
    );
  }
}

/**
 * register-concern for a woman (her CPR's blind index) with an open case. The reference is given
 * only to a caller who may see that case (as GET /v1/cases/{id}); to anyone else the refusal is
 * the same whichever case and wherever it is: `new CaseAlreadyOpenError(null)`.
 */
export class CaseAlreadyOpenError extends ApplicationError {
  constructor(reference: string | null) {
    super(
      'CASE_ALREADY_OPEN',
      'conflict',
      reference
        ? `she has an open case, ${reference}: record the concern in it instead of registering a new one`
        : 'she has an open case that is not one of your organisations’ cases: contact her municipality (handlekommune) to have the concern recorded there',
      reference ? { reference } : undefined,
    );
  }
}
