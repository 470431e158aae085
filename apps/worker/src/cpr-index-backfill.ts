import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { reindexCpr } from '@app/cases';
import { APP_CONFIG, type AppConfig } from '@app/config';

/**
 * Links the cases stored before the CPR index (migration 15) by themselves: at start, if any stored
 * CPR number has no index, the worker runs what `npm run reindex-cpr` runs (resumable, idempotent, safe
 * beside another worker doing the same), so one open case per woman and her earlier cases hold for
 * them too without an operator remembering a step after the upgrade. In the background: the worker
 * serves meanwhile. A failure (a key missing from the ring) is logged with what to do, never fatal.
 * A change of CPR_INDEX_KEY is still the operator's `npm run reindex-cpr` (README, Operations).
 */
@Injectable()
export class CprIndexBackfill implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CprIndex');
  private running: Promise<void> | null = null;

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.backfill().catch((error: Error) =>
      this.logger.error(
        `CPR numbers stored before the index could not all be indexed (${error.message}): ` +
          'their cases are not linked to her other cases until `npm run reindex-cpr` succeeds',
      ),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running;
  }

  private async backfill(): Promise<void> {
    const [{ missing }] = (await this.ds.query(
      `SELECT count(*)::int AS missing FROM case_identities WHERE cpr_index IS NULL AND encrypted_cpr IS NOT NULL`,
    )) as { missing: number }[];
    if (missing === 0) return;
    this.logger.warn(`${missing} CPR number(s) stored before the index: indexing them now (as npm run reindex-cpr)`);
    const report = await reindexCpr(this.ds, this.config.cprKeys, this.config.cprIndexKey);
    const failures = Object.entries(report.failures).map(([reason, n]) => `${n} unreadable: ${reason}`);
    if (failures.length > 0) throw new Error(failures.join('; '));
    this.logger.log(`CPR index: ${report.indexed} indexed, ${report.current} already current`);
  }
}
