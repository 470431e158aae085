import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@app/config';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: config.logLevels });
  app.enableShutdownHooks();
  new Logger('Worker').log('ready');
}

bootstrap().catch((error: unknown) => {
  new Logger('Worker').error(
    error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error),
  );
  process.exit(1);
});
