import type { AlertMessage } from '../alert-message';

export const SAMPLE_CASE_ID = '4b1e7c2a-f3d8-4e6b-a1c9-b7e5d3f2a8c4';

/** For specs: the breach of notification-assessment-1 on case 7F3K, as a channel delivers it. */
export function sampleAlertMessage(overrides: Partial<AlertMessage> = {}): AlertMessage {
  return {
    alertId: `${SAMPLE_CASE_ID}.notification-assessment-1.breach`,
    deliveryId: `${SAMPLE_CASE_ID}.notification-assessment-1.breach.r0.coordinator-alice.email`,
    caseId: SAMPLE_CASE_ID,
    caseReference: '7F3K',
    milestone: 'notification-assessment-1',
    milestoneTitle: { da: 'Underretning vurderes', en: 'Notification assessed' },
    step: 'breach',
    kind: 'breach',
    level: 0,
    severity: 'high',
    dueAt: '2026-11-24T13:00:00.000Z',
    raisedAt: '2026-11-24T13:00:05.000Z',
    round: 0,
    owner: 'municipality:851',
    link: `http://localhost:3000/app/cases/${SAMPLE_CASE_ID}`,
    ...overrides,
  };
}
