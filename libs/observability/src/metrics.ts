import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's one registry and every metric Pathway defines, all named `pathway_…`. Labels carry
 * no personal data and no case id: route templates (not URLs), command types, error codes,
 * channels, ladder levels, queue names and states.
 */
export const registry = new Registry();

collectDefaultMetrics({ register: registry, prefix: 'pathway_' });

const registers = [registry];

export const metrics = {
  httpDuration: new Histogram({
    name: 'pathway_http_request_duration_seconds',
    help: 'API requests by method, route template and status, in seconds',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  }),
  commands: new Counter({
    name: 'pathway_commands_total',
    help: 'Case commands by type and outcome (accepted, unchanged, replayed, refused, conflict, error) with the error code',
    labelNames: ['type', 'outcome', 'code'] as const,
    registers,
  }),
  outboxRows: new Gauge({
    name: 'pathway_outbox_rows',
    help: 'Outbox rows not yet relayed (at scrape)',
    registers,
  }),
  outboxOldestAge: new Gauge({
    name: 'pathway_outbox_oldest_age_seconds',
    help: 'Age of the oldest outbox row not yet relayed, in seconds; 0 when the outbox is empty (at scrape)',
    registers,
  }),
  relayLag: new Histogram({
    name: 'pathway_outbox_relay_lag_seconds',
    help: "Seconds from an outbox row's insert to its publish to Redis",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers,
  }),
  relayedRows: new Counter({
    name: 'pathway_outbox_relayed_rows_total',
    help: 'Outbox rows relayed to Redis, by topic',
    labelNames: ['topic'] as const,
    registers,
  }),
  timersPending: new Gauge({
    name: 'pathway_timers_pending',
    help: 'Pending timers: delayed jobs in Redis (store="redis") and timers in PostgreSQL beyond the horizon (store="postgres_beyond_horizon"), at scrape',
    labelNames: ['store'] as const,
    registers,
  }),
  firingLateness: new Histogram({
    name: 'pathway_timer_firing_lateness_seconds',
    help: 'How late a timer fired: fired at minus due, in seconds',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
    registers,
  }),
  timerJobs: new Counter({
    name: 'pathway_timer_jobs_total',
    help: 'Deadline jobs by outcome: fired (events appended) or skipped (a duplicate, or nothing left to do)',
    labelNames: ['outcome'] as const,
    registers,
  }),
  ladderSteps: new Counter({
    name: 'pathway_ladder_steps_total',
    help: 'Ladder steps fired, by level (warning, breach, escalation-1, escalation-2)',
    labelNames: ['level'] as const,
    registers,
  }),
  alertsRaised: new Counter({
    name: 'pathway_alerts_raised_total',
    help: 'Alerts raised, by severity and kind',
    labelNames: ['severity', 'kind'] as const,
    registers,
  }),
  alertsDelivered: new Counter({
    name: 'pathway_alerts_delivered_total',
    help: 'Alert deliveries that reached their channel (stream, webhook, email)',
    labelNames: ['channel'] as const,
    registers,
  }),
  alertsDeadLettered: new Counter({
    name: 'pathway_alerts_dead_lettered_total',
    help: 'Alert deliveries given up and written to the dead-letter list, by channel (webhook, email)',
    labelNames: ['channel'] as const,
    registers,
  }),
  queueJobs: new Gauge({
    name: 'pathway_queue_jobs',
    help: 'BullMQ jobs by queue and state (waiting, active, delayed, failed, completed), at scrape',
    labelNames: ['queue', 'state'] as const,
    registers,
  }),
  reconcilerRuns: new Counter({
    name: 'pathway_reconciler_runs_total',
    help: 'Reconciler passes by outcome (ok, failed)',
    labelNames: ['outcome'] as const,
    registers,
  }),
  reconcilerRestored: new Counter({
    name: 'pathway_reconciler_restored_timers_total',
    help: 'Timers the reconciler had to put back into Redis (their job was missing)',
    registers,
  }),
  pgPool: new Gauge({
    name: 'pathway_pg_pool_clients',
    help: 'PostgreSQL pool clients by state (total, idle, waiting), at scrape',
    labelNames: ['state'] as const,
    registers,
  }),
  redisNoEviction: new Gauge({
    name: 'pathway_redis_noeviction',
    help: "1 when Redis's maxmemory-policy is noeviction, else 0 (at scrape)",
    registers,
  }),
  probeUp: new Gauge({
    name: 'pathway_scrape_probe_up',
    help: 'Whether a scrape-time probe (postgres, redis, queues, …) answered within its timeout at the last scrape',
    labelNames: ['probe'] as const,
    registers,
  }),
};

/** The names of every metric in the registry (default ones included), without histogram suffixes. */
export function metricNames(): string[] {
  return registry.getMetricsAsArray().map((metric) => metric.name);
}
