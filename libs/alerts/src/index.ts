/**
 * Alerts: the message a channel delivers (the case reference, never the CPR number), the texts
 * people read, and the delivery channels themselves (signed webhooks, email over SMTP).
 */
export * from './alert-message';
export * from './alert-texts';
export * from './smtp-sender';
export * from './webhook-client';
export * from './webhook-signature';
