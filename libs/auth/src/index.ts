/**
 * Who is calling: bearer-token verification (local Ed25519 key or an identity provider's JWKS),
 * the principal (subject, role, organisations) and the guard that requires it on every route.
 */
export * from './auth.guard';
export * from './auth.module';
export * from './local-keys';
export * from './principal';
export * from './token-verifier';
