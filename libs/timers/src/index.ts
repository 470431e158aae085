/**
 * Timers: the deadlines queue, deterministic job ids, the outbox messages for a change of timers,
 * the scheduler port with its BullMQ adapter, and the reconciler that rebuilds Redis from PostgreSQL.
 */
export * from './deadline-jobs';
export * from './reconciler';
export * from './timer-scheduler';
export * from './redis-policy';
