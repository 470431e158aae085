/** Injection tokens of the worker app. */
export const WORKER_REDIS = Symbol('WORKER_REDIS');
export const DEADLINES = Symbol('DEADLINES_QUEUE');
export const TIMER_SCHEDULER = Symbol('TIMER_SCHEDULER');
export const ALERT_DELIVERIES = Symbol('ALERT_DELIVERIES_QUEUE');
export const WEBHOOK_DELIVERIES = Symbol('WEBHOOK_DELIVERIES_QUEUE');
export const EMAIL_DELIVERIES = Symbol('EMAIL_DELIVERIES_QUEUE');
