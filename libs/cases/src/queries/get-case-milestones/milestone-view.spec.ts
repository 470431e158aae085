import { defaultPolicy, policyRegistry, raiseAlert, type Explanation, type Milestone } from '@app/pathway';
import type { AlertRecord } from '@app/persistence';
import { milestoneView } from './milestone-view';

const CASE = '4b1e7c2a-f3d8-4e6b-a1c9-b7e5d3f2a8c4';
const policies = policyRegistry(defaultPolicy(), []);
const now = new Date('2026-11-24T12:00:00.000Z');
const DAY = 86_400_000;

function milestone(rule: string, over: Partial<Milestone> = {}): Milestone {
  const { name, version } = policies.active;
  return {
    id: `${rule}-1`,
    rule,
    key: '',
    owner: 'municipality:851',
    policy: { name, version },
    status: 'open',
    openedAt: '2026-11-20T12:00:00.000Z',
    anchor: { signal: 'treatment-requested', at: '2026-11-20T12:00:00.000Z' },
    dueAt: '2026-11-27T12:00:00.000Z',
    ladder: [
      { step: 'warning', kind: 'warning', at: '2026-11-25T06:00:00.000Z', firedAt: null },
      { step: 'breach', kind: 'breach', at: '2026-11-27T12:00:00.000Z', firedAt: null },
      {
        step: 'escalation-1',
        kind: 'escalation',
        level: 1,
        at: '2026-11-23T00:00:00.000Z',
        firedAt: '2026-11-23T00:00:01.000Z',
      },
      { step: 'escalation-2', kind: 'escalation', level: 2, at: '2026-12-04T12:00:00.000Z', firedAt: null },
    ],
    pauses: [],
    generation: 1,
    closedAt: null,
    late: false,
    explanation: { maxPause: 'P14D' } as Explanation,
    ...over,
  };
}

const record = (m: Milestone, caseId = CASE) => ({ caseId, reference: '7F3K', milestone: m });
const alertRecord = (m: Milestone, step: string, caseId = CASE): AlertRecord => ({
  caseId,
  reference: '7F3K',
  coordinator: null,
  municipality: '851',
  alert: raiseAlert(m, step, 'escalation', 1, '2026-11-23T00:00:01.000Z'),
});

describe('the milestone view', () => {
  it('says the pause allowance used and left while paused, counted up to now', () => {
    const paused = milestone('treatment-start', {
      status: 'paused',
      pauses: [{ from: new Date(now.getTime() - 2 * DAY).toISOString(), to: null, reason: 'indlagt' }],
    });
    const view = milestoneView(record(paused), now, policies);
    expect(view.pauseAllowance).toEqual({ total: 'P14D', usedMs: 2 * DAY, leftMs: 12 * DAY });
  });

  it('has no allowance for a deadline that cannot be paused (a legal one)', () => {
    const legal = milestone('notification-assessment', { explanation: { maxPause: null } as Explanation });
    expect(milestoneView(record(legal), now, policies).pauseAllowance).toBeNull();
  });

  it('says how many escalation levels its ladder has, and who the alerts of this milestone only reached', () => {
    const m = milestone('treatment-start');
    const other = milestone('coordinator-assignment');
    const alerts = [
      alertRecord(m, 'escalation-1'),
      alertRecord(other, 'escalation-1'),
      alertRecord(m, 'escalation-1', 'another-case'),
    ];
    const view = milestoneView(record(m), now, policies, alerts);
    expect(view.escalationLevels).toBe(2);
    expect(view.alerted).toEqual([
      {
        step: 'escalation-1',
        kind: 'escalation',
        level: 1,
        raisedAt: '2026-11-23T00:00:01.000Z',
        status: 'open',
        audience: ['coordinator', 'team-lead'],
        acknowledged: null,
      },
    ]);
    expect(milestoneView(record(m), now, policies).alerted).toEqual([]);
  });
});
