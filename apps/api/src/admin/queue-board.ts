import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Redis from 'ioredis';
import { ALERT_DELIVERIES_QUEUE, EMAIL_DELIVERIES_QUEUE, WEBHOOK_DELIVERIES_QUEUE } from '@app/alerts';
import { AuthenticationError, TokenVerifier, bearerToken, requirePlatformAdmin } from '@app/auth';
import { redisConnectionOptions, type AppConfig } from '@app/config';
import { DEADLINES_QUEUE } from '@app/timers';
import { toApiError } from '../http/api-error';
import { RateLimiter } from '../http/rate-limit';

/** Where the queue view (Bull Board) is served. */
export const QUEUE_BOARD_PATH = '/admin/queues';

const UNDER_BOARD = new RegExp(`^${QUEUE_BOARD_PATH}(?:[/?]|$)`);

/** A URL of the queue view: its page, its files and its API. */
export const isQueueBoardUrl = (url: string): boolean => UNDER_BOARD.test(url);

/**
 * A request for the queue view: by its URL, or by the route it reached (the router decodes the
 * path, so `/admin/%71ueues/…` reaches the view's routes too).
 */
const isQueueBoardRequest = (request: FastifyRequest): boolean =>
  isQueueBoardUrl(request.url) || isQueueBoardUrl(request.routeOptions.url ?? '');

/** The cookie that carries the platform administrator's token to the queue view (POST /v1/admin/queue-session). */
export const QUEUE_BOARD_COOKIE = 'pathway_board';

/** The queues it shows: the service's own BullMQ queues. */
const QUEUES = [DEADLINES_QUEUE, ALERT_DELIVERIES_QUEUE, WEBHOOK_DELIVERIES_QUEUE, EMAIL_DELIVERIES_QUEUE];

/**
 * The job data the view shows: ids only. An email job's recipient (`to`) and every other field are
 * left out, whatever a job carries.
 */
const SHOWN_FIELDS = ['caseId', 'timer', 'fireAt', 'alert', 'round', 'deliveryId', 'subscriptionId'];

export function shownJobData(data: unknown): Record<string, unknown> {
  if (typeof data !== 'object' || data === null) return {};
  return Object.fromEntries(
    SHOWN_FIELDS.filter((field) => Object.hasOwn(data, field)).map((field) => [
      field,
      (data as Record<string, unknown>)[field],
    ]),
  );
}

/** The value of one cookie of a Cookie header; null when absent. */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim() || null;
  }
  return null;
}

/**
 * The Set-Cookie value of a queue view session: the token itself, for the view's page and API
 * only, never sent by another site's request, never readable by a script, and gone when the token
 * expires.
 */
export function queueBoardCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${QUEUE_BOARD_COOKIE}=${token}`,
    'HttpOnly',
    ...(secure ? ['Secure'] : []),
    'SameSite=Strict',
    `Path=${QUEUE_BOARD_PATH}`,
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
  ].join('; ');
}

/**
 * Serves Bull Board at /admin/queues for the platform administrator only, read-only, on the
 * service's queues: a connection of its own that waits through a Redis restart, and job data
 * reduced to ids. Every request for it (page, files, API) is counted against the abuse limits like
 * /v1 and needs the platform administrator's token, as a bearer header or in the cookie POST
 * /v1/admin/queue-session sets (the page's own requests carry no header); anything but GET and
 * HEAD is refused (405 QUEUE_VIEW_READ_ONLY): no one retries, promotes or removes a job from a page.
 */
export async function mountQueueBoard(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const verifier = app.get(TokenVerifier);
  const limiter = app.get(RateLimiter);
  const logger = new Logger('QueueView');

  let lastError: string | null = null;
  const onError = (error: Error) => {
    // Once per new error, not at every reconnection attempt.
    if (error.message !== lastError) logger.warn(`queue view: Redis: ${error.message}`);
    lastError = error.message;
  };
  const connection = new Redis(redisConnectionOptions(config.redisUrl, 'pathway-api-queue-view'));
  connection.on('error', onError).on('ready', () => (lastError = null));
  const queues = QUEUES.map((name) => new Queue(name, { connection }).on('error', onError));
  const adapters = queues.map((queue) => {
    const adapter = new BullMQAdapter(queue, { readOnlyMode: true });
    adapter.setFormatter('data', shownJobData);
    return adapter;
  });

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isQueueBoardRequest(request)) return;
    try {
      await limiter.hit([limiter.address(request.ip)]);
      const token =
        bearerToken(request.headers.authorization) ?? cookieValue(request.headers.cookie, QUEUE_BOARD_COOKIE);
      if (!token)
        throw new AuthenticationError(
          'send Authorization: Bearer <token>, or open the queue view from the dashboard (POST /v1/admin/queue-session)',
        );
      const principal = await verifier.verify(token);
      await limiter.hit([limiter.subject(principal)]);
      requirePlatformAdmin(principal, 'see the queues');
    } catch (error) {
      const { status, body, headers } = toApiError(error);
      return reply
        .code(status)
        .headers(headers ?? {})
        .send(body);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return reply.code(405).header('allow', 'GET, HEAD').send({
        code: 'QUEUE_VIEW_READ_ONLY',
        message: 'the queue view is read-only: jobs are not retried, promoted or removed from it',
      });
  });

  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: adapters,
    // @bull-board/fastify 9.10.1 types itself against its own copy of @bull-board/api (9.10.1, a
    // private field apart the same); at run time it uses none of it.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'Pathway queues' } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });

  fastify.addHook('onClose', async () => {
    await Promise.all(queues.map((queue) => queue.close()));
    connection.disconnect();
  });
}
