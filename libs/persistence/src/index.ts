/**
 * PostgreSQL, the source of truth: the append-only event store with its outbox and idempotency
 * records, the read models (projections) kept in the same statement, migrations and reference data.
 */
export * from './audit/case-read-log';
export * from './data-source';
export * from './database-availability';
export * from './event-store/chain-verifier';
export * from './event-store/event-store';
export * from './event-store/hash-chain';
export * from './event-store/projection';
export * from './facilities/facility-store';
export * from './people/people-store';
export * from './key-rotation/envelope-columns';
export * from './persistence.module';
export * from './policies/policy-store';
export * from './read-models/handling-times.projection';
export * from './read-models/ladder-guard.projection';
export * from './read-models/treatment-referrals.projection';
export * from './read-models/milestones.projection';
export * from './read-models/pending-timers.projection';
export * from './read-models/alert-read-model';
export * from './read-models/alerts.projection';
export * from './read-models/case-read-model';
export * from './read-models/case-summary.projection';
export * from './read-models/rebuild-projections';
