import { ALERT_MESSAGE_FIELD_CLASSES } from './alert-message';
import { webhookBody } from './webhook-signature';
import { sampleAlertMessage } from './testing/sample-alert-message';

describe('a delivered alert carries logistics only (disclosure policy)', () => {
  it('every field of the message a webhook or an email delivers is classed logistics, and the webhook body holds no more', () => {
    expect(Object.keys(sampleAlertMessage()).sort()).toEqual(Object.keys(ALERT_MESSAGE_FIELD_CLASSES).sort());
    expect(new Set(Object.values(ALERT_MESSAGE_FIELD_CLASSES))).toEqual(new Set(['logistics']));
    const body = JSON.parse(webhookBody(sampleAlertMessage(), new Date('2026-11-24T13:00:06Z')));
    expect(Object.keys(body).sort()).toEqual(['alert', 'sentAt', 'type']);
    expect(Object.keys(body.alert).sort()).toEqual(Object.keys(ALERT_MESSAGE_FIELD_CLASSES).sort());
  });
});
