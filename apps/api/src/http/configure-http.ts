import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/** A body that is not JSON: 400 MALFORMED_JSON. */
export class MalformedJsonError extends Error {
  override readonly name = 'MalformedJsonError';
  readonly code = 'MALFORMED_JSON';
}

/** JSON in another character set than UTF-8: 415 UNSUPPORTED_MEDIA_TYPE. */
export class UnsupportedCharsetError extends Error {
  override readonly name = 'UnsupportedCharsetError';
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/**
 * Bodies are JSON only (anything else is 415). An empty body counts as none, so a command without
 * fields can be sent bare. Prototype-poisoning keys are refused like malformed JSON. Errors from
 * here reach the API's exception filter through Nest's fastify error handler.
 */
export function configureHttp(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (request: FastifyRequest, body: string, done: (err: Error | null, value?: unknown) => void) => {
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
      if (charset && charset !== 'utf-8' && charset !== 'utf8')
        return done(new UnsupportedCharsetError('send JSON in UTF-8'));
      if (body.length === 0) return done(null, undefined);
      parseJson(request, body, (error: Error | null, value?: unknown) =>
        error ? done(new MalformedJsonError('the body is not valid JSON')) : done(null, value),
      );
    },
  );
}
