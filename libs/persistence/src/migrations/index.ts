import { EventStore1763900000000 } from './1763900000000-event-store';
import { ReadModels1763900000001 } from './1763900000001-read-models';
import { Milestones1763900000002 } from './1763900000002-milestones';
import { OutboxAsAQueue1763900000003 } from './1763900000003-outbox-as-a-queue';
import { RoomForHotUpdates1763900000004 } from './1763900000004-room-for-hot-updates';
import { Alerts1763900000005 } from './1763900000005-alerts';
import { Webhooks1763900000006 } from './1763900000006-webhooks';
import { OrganisationContacts1763900000007 } from './1763900000007-organisation-contacts';
import { HashChain1763900000008 } from './1763900000008-hash-chain';
import { CaseReads1763900000009 } from './1763900000009-case-reads';
import { HandlingTimes1763900000010 } from './1763900000010-handling-times';
import { UnreadMilestoneColumns1763900000011 } from './1763900000011-unread-milestone-columns';
import { PendingTimersByDueTime1763900000012 } from './1763900000012-pending-timers-by-due-time';
import { CaseIdentities1763900000013 } from './1763900000013-case-identities';
import { IdempotencyKeysPerOrganisation1763900000014 } from './1763900000014-idempotency-keys-per-organisation';
import { CprIndex1763900000015 } from './1763900000015-cpr-index';
import { Facilities1763900000017 } from './1763900000017-facilities';
import { OneOpenCasePerWoman1763900000018 } from './1763900000018-one-open-case-per-woman';
import { FacilityOccupancyVersions1763900000019 } from './1763900000019-facility-occupancy-versions';
import { People1763900000020 } from './1763900000020-people';
import { AssigneeIndexes1763900000021 } from './1763900000021-assignee-indexes';
import { CaseNames1763900000022 } from './1763900000022-case-names';
import { IndexesThatAllowHotUpdates1763900000023 } from './1763900000023-indexes-that-allow-hot-updates';
import { HandlingTimesTx1763900000024 } from './1763900000024-handling-times-tx';
import { PersonColumnsWrittenByTheProjections1763900000025 } from './1763900000025-person-columns-written-by-the-projections';

/** Every migration, in order. Listed explicitly so that bundling cannot lose one. */
export const MIGRATIONS = [
  EventStore1763900000000,
  ReadModels1763900000001,
  Milestones1763900000002,
  OutboxAsAQueue1763900000003,
  RoomForHotUpdates1763900000004,
  Alerts1763900000005,
  Webhooks1763900000006,
  OrganisationContacts1763900000007,
  HashChain1763900000008,
  CaseReads1763900000009,
  HandlingTimes1763900000010,
  UnreadMilestoneColumns1763900000011,
  PendingTimersByDueTime1763900000012,
  CaseIdentities1763900000013,
  IdempotencyKeysPerOrganisation1763900000014,
  CprIndex1763900000015,
  Facilities1763900000017,
  OneOpenCasePerWoman1763900000018,
  FacilityOccupancyVersions1763900000019,
  People1763900000020,
  AssigneeIndexes1763900000021,
  CaseNames1763900000022,
  IndexesThatAllowHotUpdates1763900000023,
  HandlingTimesTx1763900000024,
  PersonColumnsWrittenByTheProjections1763900000025,
];
