import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Clock, FileClock, SystemClock } from './clock';
import type { AppConfig } from './config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Provides the configuration (loaded and validated by the app's main before Nest starts) and the clock. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        {
          provide: Clock,
          useFactory: (): Clock => (config.clockFile ? new FileClock(config.clockFile) : new SystemClock()),
        },
      ],
      exports: [APP_CONFIG, Clock],
    };
  }
}
