import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Clock } from '@app/config';
import { ruleOf, type Milestone } from '@app/pathway';
import { CaseReadModel, LivePolicyRegistry } from '@app/persistence';
import { ListReferralsQuery, type ReferralView } from './list-referrals.query';

/** The milestones that belong to the referral itself: its sending on, its receipt and first response. */
const REFERRAL_RULES = [
  'municipality-notification',
  'clinic-referral',
  'notification-receipt',
  'notification-assessment',
  'clinic-first-visit',
  'handoff-acceptance',
];

/** Kept (met in time, or open and not yet due), missed (late or breached), or neither (waived). */
function onTime(m: Milestone, now: Date): boolean | null {
  if (m.status === 'waived') return null;
  if (m.status === 'met') return !m.late;
  if (m.status === 'breached') return false;
  return Date.parse(m.dueAt) > now.getTime();
}

@QueryHandler(ListReferralsQuery)
export class ListReferralsHandler implements IQueryHandler<ListReferralsQuery> {
  constructor(
    @Inject(CaseReadModel) private readonly readModel: CaseReadModel,
    @Inject(LivePolicyRegistry) private readonly policies: LivePolicyRegistry,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute({ principal, limit }: ListReferralsQuery): Promise<{ items: ReferralView[] }> {
    const now = this.clock.now();
    const referrals = await this.readModel.referralsOf(principal.organisations, REFERRAL_RULES, limit);
    return {
      items: referrals.map(({ summary, milestones }) => ({
        caseId: summary.id,
        reference: summary.reference,
        registeredAt: summary.detectedAt,
        status: summary.status,
        handoffs: summary.handoffs.map((h) => ({
          kind: h.kind,
          to: h.to,
          sentAt: h.sentAt,
          acknowledgedAt: h.acknowledgedAt,
        })),
        notifications: summary.notifications.map((n) => ({
          municipality: n.municipality,
          notifiedAt: n.notifiedAt,
          receiptConfirmedAt: n.receiptConfirmedAt,
          assessed: n.assessedAt !== null,
        })),
        deadlines: milestones.map((m) => {
          const policy = this.policies.get(m.policy);
          return {
            milestone: m.id,
            title: (policy && ruleOf(policy, m.rule)?.title) ?? null,
            owner: m.owner,
            status: m.status,
            dueAt: m.dueAt,
            onTime: onTime(m, now),
          };
        }),
      })),
    };
  }
}
