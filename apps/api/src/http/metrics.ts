import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MetricsConfig } from '@app/config';
import { metrics, metricsAllowed, renderMetrics } from '@app/observability';

/**
 * Times every request (pathway_http_request_duration_seconds, by route template: never the URL,
 * which may hold a case id) and serves GET /metrics: to METRICS_ALLOWED_ADDRESSES (the peer's
 * address, not a forwarded one) or with the METRICS_TOKEN bearer; anyone else gets the 404 of a
 * route that does not exist. A Fastify route of its own: no token, no rate limit, not in OpenAPI.
 */
export function serveMetrics(app: NestFastifyApplication, config: MetricsConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
  fastify.get('/metrics', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!metricsAllowed(config, request.socket.remoteAddress, request.headers.authorization))
      return reply.callNotFound();
    const { contentType, body } = await renderMetrics();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  });
}
