import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Clock } from '@app/config';
import { REFERRAL_RULES, ruleOf, shownStatus, viewAt, type Milestone } from '@app/pathway';
import { CaseReadModel, LivePolicyRegistry } from '@app/persistence';
import { CaseDisclosure } from '../../shared/disclosure';
import { ListReferralsQuery, type ReferralView } from './list-referrals.query';

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
    @Inject(CaseDisclosure) private readonly disclosure: CaseDisclosure,
  ) {}

  async execute({ principal, limit }: ListReferralsQuery): Promise<{ items: ReferralView[] }> {
    const now = this.clock.now();
    const referrals = await this.readModel.referralsOf(principal.organisations, REFERRAL_RULES, limit);
    return {
      items: referrals.map(({ summary, milestones }) => {
        // What the caller's part discloses (the referrer: her referral's status), in the referral's shape.
        const d = this.disclosure.of(principal, summary);
        const view = this.disclosure.caseView(d, viewAt(summary, now, this.policies));
        return {
          caseId: summary.id,
          reference: summary.reference,
          registeredAt: summary.detectedAt,
          status: summary.status,
          handoffs: (view.handoffs ?? []).map((h) => ({
            kind: h.kind,
            to: h.to,
            sentAt: h.sentAt,
            acknowledgedAt: h.acknowledgedAt,
          })),
          notifications: (view.notifications ?? []).map((n) => ({
            municipality: n.municipality,
            notifiedAt: n.notifiedAt,
            receiptConfirmedAt: n.receiptConfirmedAt,
            assessed: n.assessedAt !== null,
          })),
          deadlines: this.disclosure.milestones(d, milestones).map((m) => {
            const policy = this.policies.get(m.policy);
            return {
              milestone: m.id,
              title: (policy && ruleOf(policy, m.rule)?.title) ?? null,
              owner: m.owner,
              status: shownStatus(m, now),
              dueAt: m.dueAt,
              onTime: onTime(m, now),
            };
          }),
        };
      }),
    };
  }
}
