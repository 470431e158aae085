import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { AlertMessage } from './alert-message';
import { alertText, type AlertLanguage } from './alert-texts';

/** Where and how alert emails leave: an SMTP relay, its optional login, the sender address and the text language. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** true for implicit TLS (port 465); false uses STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  language?: AlertLanguage;
}

/** The header that carries the delivery id, so a receiving system can de-duplicate on it. */
const DELIVERY_EMAIL_HEADER = 'X-Pathway-Delivery';

/** Shorter than nodemailer's defaults (up to 10 minutes), so a hung relay frees the worker and the queue retries. */
const TIMEOUTS_MS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

/**
 * The Message-ID of an alert email, derived from the delivery id alone: a re-delivery after a
 * crash carries the same Message-ID, so it can be recognised as the same email. Characters that a
 * Message-ID cannot hold are written as `=XX` (UTF-8 bytes in hex), which keeps distinct delivery
 * ids distinct.
 */
function deliveryMessageId(deliveryId: string): string {
  let local = escapeChars(deliveryId, /[A-Za-z0-9._-]/);
  // A dot may only stand between other characters (RFC 5322 dot-atom).
  if (!/^[^.]+(\.[^.]+)*$/.test(local)) local = escapeChars(deliveryId, /[A-Za-z0-9_-]/);
  return `<${local}@pathway>`;
}

function escapeChars(text: string, keep: RegExp): string {
  const hex = (ch: string) =>
    Array.from(Buffer.from(ch, 'utf8'), (b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  return Array.from(text, (ch) => (keep.test(ch) ? ch : hex(ch))).join('');
}

/**
 * Sends alert emails through an SMTP relay: the subject and plain-text body from {@link alertText},
 * the delivery id in the {@link DELIVERY_EMAIL_HEADER} header and in a deterministic Message-ID.
 * `send` rejects when the relay fails or refuses any recipient, so the caller's queue retries.
 */
export class SmtpSender {
  private readonly transport: Transporter<SMTPTransport.SentMessageInfo, SMTPTransport.Options>;

  constructor(private readonly settings: SmtpSettings) {
    this.transport = createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: settings.user ? { user: settings.user, pass: settings.password } : undefined,
      ...TIMEOUTS_MS,
    });
  }

  /** Sends one alert to the given addresses and resolves with the Message-ID once the relay has accepted it for all of them. */
  async send(to: string[], message: AlertMessage): Promise<{ messageId: string }> {
    const { subject, body } = alertText(message, this.settings.language ?? 'da');
    const info = await this.transport.sendMail({
      from: this.settings.from,
      to,
      subject,
      text: body,
      messageId: deliveryMessageId(message.deliveryId),
      headers: { [DELIVERY_EMAIL_HEADER]: message.deliveryId },
    });
    // nodemailer resolves when only some recipients were refused; an alert someone never gets must not count as sent.
    const rejected: Array<string | { address: string }> = info.rejected;
    if (rejected.length > 0) {
      const refused = rejected.map((r) => (typeof r === 'string' ? r : r.address)).join(', ');
      throw new Error(`SMTP relay refused recipient(s) ${refused} for delivery ${message.deliveryId}`);
    }
    return { messageId: info.messageId };
  }

  /** Closes the transport's connections (on shutdown). */
  close(): void {
    this.transport.close();
  }
}
