import {
  Inject,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DataSource } from 'typeorm';
import { createDataSource, migrate } from './data-source';
import { DatabaseAvailability } from './database-availability';
import { EventStore } from './event-store/event-store';
import { FacilityStore } from './facilities/facility-store';
import { PeopleStore } from './people/people-store';
import type { Projection } from './event-store/projection';
import { LivePolicyRegistry, PolicyStore } from './policies/policy-store';
import { CaseReadLog } from './audit/case-read-log';
import { AlertReadModel } from './read-models/alert-read-model';
import { CaseReadModel, WomanCases } from './read-models/case-read-model';
import { alertsProjection } from './read-models/alerts.projection';
import { caseSummaryProjection } from './read-models/case-summary.projection';
import { handlingTimesProjection } from './read-models/handling-times.projection';
import { ladderGuardProjection } from './read-models/ladder-guard.projection';
import { treatmentReferralsProjection } from './read-models/treatment-referrals.projection';
import { milestonesProjection } from './read-models/milestones.projection';
import { pendingTimersProjection } from './read-models/pending-timers.projection';
import { runRequestedRebuild } from './read-models/requested-rebuild';
import type { PolicyRegistry } from '@app/pathway';

const PROJECTIONS = Symbol('PROJECTIONS');

/**
 * Pool connections an API or worker keeps open through quiet spells (createDataSource's keepOpen):
 * about what a worker's firing batches, outbox relay and reconciler use at once.
 */
const KEEP_OPEN = 4;

/** Every projection the event store keeps in step with the events. */
export function allProjections(policies: PolicyRegistry): readonly Projection[] {
  return [
    caseSummaryProjection,
    milestonesProjection,
    pendingTimersProjection(policies),
    ladderGuardProjection,
    alertsProjection,
    handlingTimesProjection,
    treatmentReferralsProjection,
  ];
}

/** PostgreSQL: the data source (migrated at start unless RUN_MIGRATIONS=false), event store and read models. */
@Module({
  providers: [
    { provide: DatabaseAvailability, useFactory: () => new DatabaseAvailability() },
    {
      provide: DataSource,
      inject: [APP_CONFIG, DatabaseAvailability],
      useFactory: async (config: AppConfig, availability: DatabaseAvailability) => {
        const dataSource = await createDataSource({
          url: config.databaseUrl,
          poolSize: config.dbPoolSize,
          keepOpen: Math.min(KEEP_OPEN, config.dbPoolSize),
          // A connection that dies (PostgreSQL stopped, restarted, killed) starts an outage: logged once, probed until it is back.
          onConnectionError: (error) => availability.failed(error),
        }).initialize();
        availability.probeWith(() => dataSource.query('SELECT 1'));
        if (config.runMigrations) {
          const ran = await migrate(dataSource);
          if (ran.length) new Logger('Migrations').log(`applied ${ran.join(', ')}`);
        }
        return dataSource;
      },
    },
    {
      provide: LivePolicyRegistry,
      inject: [DataSource, APP_CONFIG],
      useFactory: async (ds: DataSource, config: AppConfig) => {
        const store = new PolicyStore(ds);
        await store.register(config.policy);
        const registry = new LivePolicyRegistry(config.policy, store);
        await registry.refresh();
        return registry;
      },
    },
    {
      provide: PROJECTIONS,
      inject: [LivePolicyRegistry],
      useFactory: (policies: LivePolicyRegistry) => allProjections(policies),
    },
    {
      provide: EventStore,
      inject: [DataSource, PROJECTIONS],
      useFactory: (ds: DataSource, p: Projection[]) => new EventStore(ds, p),
    },
    { provide: CaseReadModel, inject: [DataSource], useFactory: (ds: DataSource) => new CaseReadModel(ds) },
    { provide: AlertReadModel, inject: [DataSource], useFactory: (ds: DataSource) => new AlertReadModel(ds) },
    { provide: CaseReadLog, inject: [DataSource], useFactory: (ds: DataSource) => new CaseReadLog(ds) },
    { provide: FacilityStore, inject: [DataSource], useFactory: (ds: DataSource) => new FacilityStore(ds) },
    { provide: WomanCases, inject: [DataSource], useFactory: (ds: DataSource) => new WomanCases(ds) },
    { provide: PeopleStore, inject: [DataSource], useFactory: (ds: DataSource) => new PeopleStore(ds) },
  ],
  exports: [
    DataSource,
    DatabaseAvailability,
    EventStore,
    CaseReadModel,
    AlertReadModel,
    CaseReadLog,
    FacilityStore,
    WomanCases,
    PeopleStore,
    LivePolicyRegistry,
  ],
})
export class PersistenceModule implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DatabaseAvailability) private readonly availability: DatabaseAvailability,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A migration may ask for the read models to be rebuilt from the events: done before the service serves. */
  async onModuleInit(): Promise<void> {
    if (!this.config.runMigrations) return;
    const done = await runRequestedRebuild(this.dataSource, this.store, this.projections);
    if (done)
      new Logger('Projections').log(
        `rebuilt ${done.progress.cases} cases (${done.progress.events} events): ${done.reasons.join('; ')}`,
      );
  }

  /** Nothing waits for the database during shutdown: what waits for it gives up, and the work stays queued. */
  beforeApplicationShutdown(): void {
    this.availability.close();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
