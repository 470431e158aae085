import { EventStore1763900000000 } from './1763900000000-event-store';
import { ReadModels1763900000001 } from './1763900000001-read-models';
import { Milestones1763900000002 } from './1763900000002-milestones';

/** Every migration, in order. Listed explicitly so that bundling cannot lose one. */
export const MIGRATIONS = [EventStore1763900000000, ReadModels1763900000001, Milestones1763900000002];
