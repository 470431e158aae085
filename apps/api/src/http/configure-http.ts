import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toApiError } from './api-error';

/**
 * Fastify-level behaviour that runs before any controller: errors raised while reading a request
 * (too large, malformed JSON, wrong media type) and unknown routes answer in the API's error shape.
 */
export function configureHttp(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.setErrorHandler((error: unknown, _request: FastifyRequest, reply: FastifyReply) => {
    const { status, body, headers } = toApiError(error);
    void reply.status(status).headers({ ...headers, 'content-type': 'application/json; charset=utf-8' }).send(body);
  });
}
