import { EventStore1763900000000 } from './1763900000000-event-store';
import { ReadModels1763900000001 } from './1763900000001-read-models';

/** Every migration, in order. Listed explicitly so that bundling cannot lose one. */
export const MIGRATIONS = [EventStore1763900000000, ReadModels1763900000001];
