import { defaultPolicy, policyRegistry, type Alert } from '@app/pathway';
import { ALERT_FIELD_CLASSES, alertView } from './alert-view';

const alert: Alert = {
  id: 'notification-assessment-1.breach',
  milestone: 'notification-assessment-1',
  rule: 'notification-assessment',
  step: 'breach',
  kind: 'breach',
  level: 0,
  severity: 'high',
  owner: 'municipality:851',
  dueAt: '2026-11-24T13:00:00.000Z',
  raisedAt: '2026-11-24T13:00:05.000Z',
  status: 'acknowledged',
  reach: 'duty-inbox',
  resends: 0,
  lastSentAt: '2026-11-24T13:00:05.000Z',
  acknowledged: {
    by: 'mia',
    organisation: 'municipality:851',
    at: '2026-11-24T13:10:00.000Z',
    note: 'heroin, relapse',
  },
  resolvedAt: null,
};

describe('alerts carry logistics only (disclosure policy): the list and the live stream, and the webhooks and emails made from them', () => {
  const view = alertView(
    {
      caseId: '4b1e7c2a-f3d8-4e6b-a1c9-b7e5d3f2a8c4',
      reference: '7F3K',
      coordinator: 'alice',
      municipality: '851',
      alert,
    },
    policyRegistry(defaultPolicy(), []),
  );

  it('every field of an alert view is classed logistics, and the acknowledgement note (free text, clinical) is left out', () => {
    expect(Object.keys(view).sort()).toEqual(Object.keys(ALERT_FIELD_CLASSES).sort());
    expect(new Set(Object.values(ALERT_FIELD_CLASSES))).toEqual(new Set(['logistics']));
    expect(view.acknowledged).toEqual({ by: 'mia', organisation: 'municipality:851', at: '2026-11-24T13:10:00.000Z' });
    expect(JSON.stringify(view)).not.toContain('heroin');
  });
});
