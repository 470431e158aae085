import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Clock } from '@app/config';
import { HANDOFF_ACCEPTANCE_RULE, REFERRAL_RULES, ruleOf, shownStatus, viewAt, type Milestone } from '@app/pathway';
import { CaseReadModel, LivePolicyRegistry } from '@app/persistence';
import { CaseDisclosure } from '../../shared/disclosure';
import { decodeCursor, encodeCursor, isIsoInstant } from '../../shared/cursor';
import { ListReferralsQuery, type ReferralDeadline, type ReferralPage } from './list-referrals.query';

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

  async execute({ principal, limit, cursor }: ListReferralsQuery): Promise<ReferralPage> {
    const now = this.clock.now();
    const after = cursor === undefined ? undefined : decodeCursor(cursor, position);
    // One more than the page: whether there is a next page.
    const found = await this.readModel.referralsOf(
      principal.organisations,
      [...REFERRAL_RULES, HANDOFF_ACCEPTANCE_RULE],
      limit + 1,
      after,
    );
    const referrals = found.slice(0, limit);
    const last = found.length > limit ? referrals[referrals.length - 1].summary : null;
    const deadline = (m: Milestone): ReferralDeadline => {
      const policy = this.policies.get(m.policy);
      return {
        milestone: m.id,
        title: (policy && ruleOf(policy, m.rule)?.title) ?? null,
        owner: m.owner,
        status: shownStatus(m, now),
        dueAt: m.dueAt,
        metAt: m.status === 'met' ? m.closedAt : null,
        onTime: onTime(m, now),
      };
    };
    return {
      items: referrals.flatMap(({ summary, milestones }) => {
        // What the caller's part discloses (the referrer: her referral's status), in the referral's
        // shape: every field from the disclosed view, none from the summary; a case whose referral
        // is not shown to her is no item.
        const d = this.disclosure.of(principal, summary);
        const view = this.disclosure.caseView(d, viewAt(summary, now, this.policies));
        const { id, reference, detectedAt, status } = view;
        if (id === undefined || reference === undefined || detectedAt === undefined || status === undefined) return [];
        const handoffs = view.handoffs ?? [];
        const acknowledgements = this.disclosure.handoffDeadlines(d, handoffs, milestones);
        return {
          caseId: id,
          reference,
          registeredAt: detectedAt,
          status,
          handoffs: handoffs.map((h) => {
            const acknowledgement = acknowledgements.get(h.id);
            return {
              kind: h.kind,
              to: h.to,
              sentAt: h.sentAt,
              acknowledgedAt: h.acknowledgedAt,
              acknowledgement: acknowledgement ? deadline(acknowledgement) : null,
            };
          }),
          notifications: (view.notifications ?? []).map((n) => ({
            municipality: n.municipality,
            notifiedAt: n.notifiedAt,
            receiptConfirmedAt: n.receiptConfirmedAt,
            assessed: n.assessedAt !== null,
          })),
          // The referral's own deadlines (the acknowledgements are with their hand-offs).
          deadlines: this.disclosure
            .milestones(
              d,
              milestones.filter((m) => REFERRAL_RULES.includes(m.rule)),
            )
            .map(deadline),
        };
      }),
      nextCursor: last && encodeCursor([last.detectedAt, last.id]),
    };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The position a cursor holds, as `execute` writes it: [detectedAt, case id] of the page's last referral. */
function position(parts: unknown[]): { detectedAt: string; caseId: string } | null {
  const [detectedAt, caseId] = parts;
  if (parts.length !== 2 || !isIsoInstant(detectedAt) || typeof caseId !== 'string' || !UUID.test(caseId)) return null;
  return { detectedAt, caseId };
}
