/**
 * Alerts: the outbox messages an append writes for its case's alerts and the queue and channel
 * they travel on; the message a channel delivers (the case reference, never the CPR number); the
 * texts people read; and the delivery channels themselves (signed webhooks, email over SMTP).
 */
export * from './alert-message';
export * from './alert-outbox';
export * from './alert-texts';
export * from './alerts.module';
export * from './contacts/contact-store';
export * from './smtp-sender';
export * from './webhook-client';
export * from './webhook-signature';
export * from './webhooks/secret-box';
export * from './webhooks/webhook-store';
export * from './webhooks/webhook-target-guard';
