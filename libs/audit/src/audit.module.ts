import { Module } from '@nestjs/common';
import { PersistenceModule } from '@app/persistence';
import { DataSource } from 'typeorm';
import { AnnualReports } from './annual.report';
import { CapacityReports } from './capacity.report';
import { HandlingTimesReports } from './handling-times.report';

/** The reports: handling times, the yearly table for the authority, residential capacity. */
@Module({
  imports: [PersistenceModule],
  providers: [
    {
      provide: HandlingTimesReports,
      inject: [DataSource],
      useFactory: (ds: DataSource) => new HandlingTimesReports(ds),
    },
    { provide: AnnualReports, inject: [DataSource], useFactory: (ds: DataSource) => new AnnualReports(ds) },
    { provide: CapacityReports, inject: [DataSource], useFactory: (ds: DataSource) => new CapacityReports(ds) },
  ],
  exports: [HandlingTimesReports, AnnualReports, CapacityReports],
})
export class AuditModule {}
