/**
 * Audit and reporting: handling times per milestone and case interval, the yearly table of women
 * referred to treatment, residential capacity. Aggregates only, read from the audit projections
 * that @app/persistence keeps in step with the events.
 */
export * from './annual.report';
export * from './audit.module';
export * from './capacity.report';
export * from './handling-times.report';
export * from './period';
