import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CONFIG_ERROR_EXIT_CODE, ConfigError, boundShutdown, createAppLogger, loadConfig } from '@app/config';
import { WorkerModule } from './worker.module';

/** JSON lines through pino (LOG_LEVEL, LOG_FORMAT): every `new Logger(…)` writes here, from the first line on. */
const logger = createAppLogger('worker');
Logger.overrideLogger(logger);

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger });
  app.enableShutdownHooks();
  boundShutdown('Worker');
  new Logger('Worker').log('ready');
}

bootstrap().catch((error: unknown) => {
  new Logger('Worker').error(
    error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error),
  );
  process.exit(error instanceof ConfigError ? CONFIG_ERROR_EXIT_CODE : 1);
});
