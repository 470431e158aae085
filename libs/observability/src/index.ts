/**
 * Prometheus metrics: the process's one registry and the metrics Pathway defines, the probes
 * computed at scrape, and who may read /metrics.
 */
export * from './access';
export * from './metrics';
export * from './probes';
export * from './scrape';
