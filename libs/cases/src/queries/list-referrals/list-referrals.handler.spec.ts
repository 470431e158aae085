import type { Principal } from '@app/auth';
import {
  defaultDisclosurePolicy,
  event,
  fold,
  shippedPolicyRegistry,
  summarise,
  type CaseSummary,
  type DisclosurePolicy,
  type OpenCase,
} from '@app/pathway';
import type { CaseReadModel, LivePolicyRegistry } from '@app/persistence';
import { Clock } from '@app/config';
import { CaseDisclosure } from '../../shared/disclosure';
import { ListReferralsHandler } from './list-referrals.handler';
import { ListReferralsQuery } from './list-referrals.query';

const NOW = new Date('2026-11-23T09:00:00.000Z');
const CASE_ID = '4b1e7c2a-f3d8-4e6b-a1c9-b7e5d3f2a8c4';
const gp: Principal = { sub: 'dr-hansen', role: 'referrer', organisations: ['gp:hansen'] };

const summary: CaseSummary = summarise(
  fold([
    event('ConcernRegistered', {
      occurredAt: NOW.toISOString(),
      caseId: CASE_ID,
      reference: 'K7F3QX',
      registeredBy: 'gp:hansen',
      referrer: { kind: 'gp' },
      municipality: '851',
      estimatedDueDate: '2027-03-01',
      substances: ['alcohol'],
    }),
  ]) as OpenCase,
);

function handler(policy: DisclosurePolicy): ListReferralsHandler {
  const readModel = { referralsOf: async () => [{ summary, milestones: [] }] } as unknown as CaseReadModel;
  const clock = { now: () => NOW } as unknown as Clock;
  return new ListReferralsHandler(
    readModel,
    shippedPolicyRegistry() as unknown as LivePolicyRegistry,
    clock,
    new CaseDisclosure(policy),
  );
}

describe('GET /v1/referrals: every field from the disclosed view', () => {
  it('shows the referrer her referral: its id, reference, registration and status', async () => {
    const page = await handler(defaultDisclosurePolicy()).execute(new ListReferralsQuery(gp, 50));
    expect(page.items).toEqual([
      expect.objectContaining({
        caseId: CASE_ID,
        reference: 'K7F3QX',
        registeredAt: NOW.toISOString(),
        status: 'open',
      }),
    ]);
  });

  it('shows nothing of a case whose referral the policy does not show her (no field taken from the summary past the gate)', async () => {
    const policy = defaultDisclosurePolicy();
    const hidden: DisclosurePolicy = {
      ...policy,
      parties: { ...policy.parties, referrer: { ...policy.parties.referrer, sees: [], withConsent: [] } },
    };
    const page = await handler(hidden).execute(new ListReferralsQuery(gp, 50));
    expect(page.items).toEqual([]);
  });
});
