import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every command rewrites its case's summary (and often milestone rows), rarely changing an indexed
 * column. Free space in each page lets PostgreSQL update in place (HOT) instead of touching every
 * index, the GIN index on the organisations among them.
 */
export class RoomForHotUpdates1763900000004 implements MigrationInterface {
  name = 'RoomForHotUpdates1763900000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE case_summaries SET (fillfactor = 50)`);
    await q.query(`ALTER TABLE milestones SET (fillfactor = 70)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE milestones RESET (fillfactor)`);
    await q.query(`ALTER TABLE case_summaries RESET (fillfactor)`);
  }
}
