import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { CONFIG_ERROR_EXIT_CODE, ConfigError, boundShutdown, createAppLogger, loadConfig } from '@app/config';
import { mountQueueBoard } from './admin/queue-board';
import { ApiModule } from './app.module';
import { rewriteUrl } from './http/canonical-url';
import { configureHttp } from './http/configure-http';
import { serveDashboard } from './http/dashboard';
import { fastifyErrorOptions } from './http/fastify-errors';
import { serveMetrics } from './http/metrics';
import { limitByAddress } from './http/rate-limit';
import { logRequests } from './http/request-log';
import { sendSecurityHeaders } from './http/security-headers';
import { serverTimeouts } from './http/server-timeouts';
import { setupOpenApi } from './openapi';

/** Largest request body accepted; larger ones get 413 PAYLOAD_TOO_LARGE. */
const BODY_LIMIT = 64 * 1024;

/** JSON lines through pino (LOG_LEVEL, LOG_FORMAT): every `new Logger(…)` writes here, from the first line on. */
const logger = createAppLogger('api');
Logger.overrideLogger(logger);

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config),
    new FastifyAdapter({
      bodyLimit: BODY_LIMIT,
      rewriteUrl,
      ...fastifyErrorOptions(config.http),
      ...serverTimeouts(config.http),
    }),
    {
      logger,
      bodyParser: false, // configureHttp installs the JSON parser
    },
  );
  configureHttp(app);
  // First: every answer, a refusal by the limits included, carries the request id.
  logRequests(app);
  // Headers first: a 429 from the limits carries them too.
  sendSecurityHeaders(app, config.http);
  limitByAddress(app);
  serveMetrics(app, config.metrics);
  setupOpenApi(app);
  await serveDashboard(app, config);
  await mountQueueBoard(app, config);
  app.enableShutdownHooks();
  boundShutdown('API');
  await app.listen(config.port, config.host);
  new Logger('API').log(`listening on http://${config.host}:${config.port} (dashboard at /app, docs at /docs)`);
}

bootstrap().catch((error: unknown) => {
  new Logger('API').error(
    error instanceof ConfigError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error),
  );
  process.exit(error instanceof ConfigError ? CONFIG_ERROR_EXIT_CODE : 1);
});
