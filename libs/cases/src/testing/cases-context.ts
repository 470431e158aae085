import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Clock, ConfigModule, type AppConfig } from '@app/config';
import { defaultPolicy } from '@app/pathway';
import { CasesModule } from '../cases.module';

/**
 * The cases module as a service instance for an integration test: on the database and keys `config`
 * names (the default policy, a 10-minute timer horizon, 4 connections, no migrations unless asked),
 * with its clock reading `now`. Two calls on one database are two instances (an API and a worker),
 * each with its own cache of case states.
 */
export async function casesContext(
  config: Pick<AppConfig, 'databaseUrl' | 'cprKeys' | 'cprIndexKey'> & Partial<AppConfig>,
  now: () => Date,
): Promise<INestApplicationContext> {
  const full = { policy: defaultPolicy(), timerHorizonMs: 600_000, dbPoolSize: 4, runMigrations: false, ...config };
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(full as AppConfig), CasesModule],
  })
    .overrideProvider(Clock)
    .useValue({ now })
    .compile();
  return moduleRef.init();
}
