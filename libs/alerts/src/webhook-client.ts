import { fetch } from 'undici';
import type { AlertMessage } from './alert-message';
import { signWebhook, webhookBody } from './webhook-signature';
import { WEBHOOK_ADDRESS_FORBIDDEN, WebhookTargetGuard, WebhookTargetRefused } from './webhooks/webhook-target-guard';

/** How long a receiver may take to answer before the delivery counts as failed (and is retried). */
const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * A webhook delivery that did not get a 2xx answer. `retryable` tells the delivery queue whether
 * trying again can help (network trouble, a timeout, 429, 5xx) or not (any other 4xx, a redirect,
 * a bad URL, a host that is or resolves to a refused address). `status` is the HTTP status, or
 * null when no answer came. The message names the receiver by origin and path only, and never
 * holds the secret.
 */
export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * Options for {@link postWebhook}: the sending time (from the caller's clock), the answer timeout,
 * and the guard that decides which addresses may be reached (by default: public addresses only).
 */
export interface PostWebhookOptions {
  now?: Date;
  timeoutMs?: number;
  guard?: WebhookTargetGuard;
  /** Sent as `X-Correlation-Id`: the command that raised the alert, for the receiver's logs and ours. */
  correlationId?: string;
}

/** The guard of callers that bring none: public addresses only. */
let publicOnly: WebhookTargetGuard | null = null;

/**
 * POSTs an alert to a subscriber's URL as a signed JSON body ({@link webhookBody},
 * {@link signWebhook}) and resolves on a 2xx answer. Redirects are never followed: a signed body
 * must not travel to a host the subscription did not name. The host is checked again at every
 * delivery (SSRF): a refused literal address or name, or a name that now resolves to a refused
 * address, is a non-retryable failure, and the connection goes only to the addresses checked.
 * Every other outcome throws a {@link WebhookDeliveryError}, so the caller's queue decides whether
 * to try again.
 */
export async function postWebhook(
  url: string,
  message: AlertMessage,
  secret: string,
  options: PostWebhookOptions = {},
): Promise<{ status: number; durationMs: number }> {
  const target = parseTarget(url);
  if (!secret) throw new WebhookDeliveryError('webhook secret is missing', null, false);
  const guard = options.guard ?? (publicOnly ??= new WebhookTargetGuard());
  try {
    guard.checkHost(target.hostname);
  } catch (error) {
    throw refused(target, error as WebhookTargetRefused);
  }
  const now = options.now ?? new Date();
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const body = webhookBody(message, now);
  const headers = {
    ...signWebhook(body, secret, now, message.deliveryId),
    ...(options.correlationId !== undefined && { 'x-correlation-id': options.correlationId }),
  };

  const started = performance.now();
  let response: Awaited<ReturnType<typeof fetch>>;
  try {
    response = await fetch(target, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      dispatcher: guard.dispatcher(),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
    if (cause?.code === WEBHOOK_ADDRESS_FORBIDDEN) throw refused(target, cause as WebhookTargetRefused);
    throw new WebhookDeliveryError(
      `webhook to ${describe(target)} failed: ${networkReason(error, timeoutMs)}`,
      null,
      true,
    );
  }
  const durationMs = Math.round(performance.now() - started);
  // The answer's body is of no use; dropping it frees the connection.
  await response.body?.cancel().catch(() => undefined);

  const { status } = response;
  if (status >= 200 && status < 300) return { status, durationMs };
  const retryable = status === 429 || status >= 500;
  const what = status >= 300 && status < 400 ? 'redirected (not followed)' : `answered ${status}`;
  throw new WebhookDeliveryError(`webhook to ${describe(target)} ${what}`, status, retryable);
}

/** A URL that can never work is a configuration error: retrying would not help. */
function parseTarget(url: string): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new WebhookDeliveryError('webhook URL is not a valid URL', null, false);
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new WebhookDeliveryError(`webhook URL must be http or https, not ${target.protocol}`, null, false);
  }
  if (target.username || target.password) {
    throw new WebhookDeliveryError('webhook URL must not carry credentials', null, false);
  }
  return target;
}

/** A host the guard refused (before connecting, or in the socket's lookup): no retry can change that. */
function refused(target: URL, error: WebhookTargetRefused): WebhookDeliveryError {
  return new WebhookDeliveryError(`webhook to ${describe(target)} refused: ${error.message}`, null, false);
}

/** Origin and path only: a query string may hold a receiver's token, which has no place in logs. */
function describe(target: URL): string {
  return `${target.origin}${target.pathname}`;
}

/** Duck-typed, not `instanceof Error`: fetch's errors may come from another realm (a VM context, a test runner). */
function networkReason(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    cause?: { code?: unknown };
  };
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  if (typeof cause?.code === 'string') return cause.code;
  return typeof message === 'string' ? message : String(error);
}
