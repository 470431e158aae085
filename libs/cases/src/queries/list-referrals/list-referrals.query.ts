import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/auth';

/** A deadline of a referral, and whether it is kept. */
export interface ReferralDeadline {
  milestone: string;
  title: { da: string; en: string } | null;
  owner: string;
  status: string;
  dueAt: string;
  /** When it was met (null: not met, or waived); met after dueAt is late by the difference. */
  metAt: string | null;
  onTime: boolean | null;
}

/** How a referral is getting on, as the referrer may see it: no clinical detail, no CPR number. */
export interface ReferralView {
  caseId: string;
  reference: string;
  registeredAt: string;
  status: 'open' | 'closed';
  /**
   * What was sent on, to whom, whether the receiving organisation acknowledged it, and the deadline
   * to acknowledge it (null when the pathway set none).
   */
  handoffs: {
    kind: string;
    to: string;
    sentAt: string;
    acknowledgedAt: string | null;
    acknowledgement: ReferralDeadline | null;
  }[];
  /** The notification to the municipality: whether its receipt was confirmed and it was assessed (not the outcome). */
  notifications: { municipality: string; notifiedAt: string; receiptConfirmedAt: string | null; assessed: boolean }[];
  /** The deadlines of the referral itself, and whether they are kept. */
  deadlines: ReferralDeadline[];
}

/** One page of referrals, and the cursor of the next (null: this is the last). */
export interface ReferralPage {
  items: ReferralView[];
  nextCursor: string | null;
}

/** The referrals of the caller's organisations (the cases they registered), newest first, a page at a time. */
export class ListReferralsQuery extends Query<ReferralPage> {
  constructor(
    readonly principal: Principal,
    readonly limit: number,
    /** Opaque cursor from the previous page's `nextCursor`. */
    readonly cursor?: string,
  ) {
    super();
  }
}
