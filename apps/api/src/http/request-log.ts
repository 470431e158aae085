import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { withLogContext, type LogContext } from '@app/config';
import { requestIdOf, traceIdProblem } from './request-id';

/** The only request headers a request's log line shows. */
const SAFE_HEADERS = ['content-type', 'content-length', 'user-agent'] as const;

const logger = new Logger('HTTP');

/**
 * Health checks that pass are logged at debug: a load balancer, an orchestrator or `npm start`
 * asks them every few seconds, and at info they would bury everything else. A failing one stays at info.
 */
const HEALTH_ROUTES: ReadonlySet<string> = new Set(['/health', '/health/live', '/health/ready']);

/** The ids a request's log lines carry: its own, and the correlation id its command will be recorded with. */
function contextOf(request: FastifyRequest): LogContext {
  const requestId = request.headers['x-request-id'] as string;
  const correlation = request.headers['x-correlation-id'];
  const correlationId =
    typeof correlation === 'string' && traceIdProblem(correlation) === undefined ? correlation : requestId;
  return { requestId, correlationId };
}

/**
 * Every request gets an id: its `X-Request-Id` when the client sent a usable one, a fresh UUID
 * otherwise. It replaces the header (so that the command headers read it as the default correlation
 * id), goes back on every answer (set on the raw response, so errors, 404s, 429s and the live stream
 * carry it too), and is on every line logged while the request is served. When the answer is sent,
 * one line: method, route template (never the URL: its query may hold a CPR number), status,
 * duration and the safe headers; never the body or any other header.
 */
export function logRequests(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const id = requestIdOf(request.headers['x-request-id']);
    request.headers['x-request-id'] = id;
    reply.raw.setHeader('x-request-id', id);
    withLogContext(contextOf(request), done);
  });
  // Again once the body is read: its stream's events ran outside the request's context.
  fastify.addHook('preHandler', (request: FastifyRequest, _reply: FastifyReply, done: () => void) =>
    withLogContext(contextOf(request), done),
  );
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const headers = Object.fromEntries(
      SAFE_HEADERS.filter((name) => request.headers[name] !== undefined).map((name) => [name, request.headers[name]]),
    );
    const route = request.routeOptions.url ?? null;
    const entry = {
      msg: `${request.method} ${route ?? '(no route)'} ${reply.statusCode}`,
      method: request.method,
      route,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      headers,
    };
    const healthy = route !== null && HEALTH_ROUTES.has(route) && reply.statusCode < 400;
    withLogContext(contextOf(request), () => (healthy ? logger.debug(entry) : logger.log(entry)));
    done();
  });
}
