import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DataSource } from 'typeorm';
import { createDataSource, migrate } from './data-source';
import { EventStore } from './event-store/event-store';
import type { StateProjection } from './event-store/projection';
import { CaseReadModel } from './read-models/case-read-model';
import { caseSummaryProjection } from './read-models/case-summary.projection';

export const PROJECTIONS = Symbol('PROJECTIONS');

/** Every projection the event store keeps in step with the events. */
export const ALL_PROJECTIONS: readonly StateProjection[] = [caseSummaryProjection];

/** PostgreSQL: the data source (migrated at start unless RUN_MIGRATIONS=false), event store and read models. */
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const dataSource = await createDataSource({ url: config.databaseUrl, poolSize: config.dbPoolSize }).initialize();
        if (config.runMigrations) {
          const ran = await migrate(dataSource);
          if (ran.length) new Logger('Migrations').log(`applied ${ran.join(', ')}`);
        }
        return dataSource;
      },
    },
    { provide: PROJECTIONS, useValue: ALL_PROJECTIONS },
    { provide: EventStore, inject: [DataSource, PROJECTIONS], useFactory: (ds: DataSource, p: StateProjection[]) => new EventStore(ds, p) },
    { provide: CaseReadModel, inject: [DataSource], useFactory: (ds: DataSource) => new CaseReadModel(ds) },
  ],
  exports: [DataSource, EventStore, CaseReadModel, PROJECTIONS],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
