import { deliveryMessageId } from './smtp-sender';

/** RFC 5322 msg-id with a dot-atom left part. */
const MSG_ID = /^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@pathway>$/;

describe('deliveryMessageId', () => {
  it('keeps a plain delivery id readable and gives the same id every time', () => {
    const id = '4b1e7c2a.notification-assessment-1.breach.r0.alice.email';
    expect(deliveryMessageId(id)).toBe(`<${id}@pathway>`);
    expect(deliveryMessageId(id)).toBe(deliveryMessageId(id));
  });

  it('escapes what a Message-ID cannot hold, keeping distinct ids distinct', () => {
    const ids = [
      'a.municipality:851.email',
      'a.alice@kommune.dk.email',
      'a.municipality=3A851.email',
      'a.bø',
      '.a..b.',
      'a b<>',
    ];
    const messageIds = ids.map(deliveryMessageId);
    for (const messageId of messageIds) expect(messageId).toMatch(MSG_ID);
    expect(new Set(messageIds).size).toBe(ids.length);
    expect(messageIds[0]).toBe('<a.municipality=3A851.email@pathway>');
    expect(messageIds[2]).toBe('<a.municipality=3D3A851.email@pathway>');
    expect(messageIds[3]).toBe('<a.b=C3=B8@pathway>');
    expect(messageIds[4]).toBe('<=2Ea=2E=2Eb=2E@pathway>');
  });
});
