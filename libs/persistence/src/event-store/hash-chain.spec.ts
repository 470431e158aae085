import { contentHash, type HashedContent } from './hash-chain';

/** An event with what canonical JSON must settle: nested keys out of order, arrays, undefined, unicode, every metadata field. */
const content = (data: object): HashedContent => ({
  streamId: '5b0f7f0e-3d7a-4c55-9a39-2f7b1c1d0a11',
  version: 7,
  type: 'NetworkMeetingRecorded',
  data: data as HashedContent['data'],
  // As the engine records a firing, with an Idempotency-Key's place filled (null elsewhere).
  metadata: {
    actorId: 'pathway-engine',
    actorRole: 'system',
    organisation: 'pathway:engine',
    correlationId: '0c9a4e1d-2b7f-4f7e-8d53-6a1e0b9c2f44',
    causationId: 'deadline:5b0f7f0e.m3.breach.g1',
    idempotencyKey: 'retry-17',
  },
  recordedAt: new Date('2026-11-23T09:00:00.000Z'),
});

const data = {
  occurredAt: '2026-11-23T09:00:00.000Z',
  participants: ['municipality:851', 'clinic:1081', undefined],
  note: 'Mødet holdt i Århus – "alle" kom\n',
  nested: { z: 1.5, a: [{ y: true, b: null }, []], m: {}, skipped: undefined },
  count: 0,
};

describe('contentHash', () => {
  it('is the hash stored events were chained with: the canonical form never changes', () => {
    // Computed once and fixed: stored hash chains verify only while this holds.
    expect(contentHash(content(data)).toString('hex')).toBe(
      '71fa045130f8d1be7be95c5064e04b232761b1959d81347962b900bf40e16413',
    );
  });

  it('does not depend on the order keys were built in, at any depth', () => {
    const reordered = {
      nested: { skipped: undefined, m: {}, a: [{ b: null, y: true }, []], z: 1.5 },
      count: 0,
      note: data.note,
      participants: data.participants,
      occurredAt: data.occurredAt,
    };
    expect(contentHash(content(reordered))).toEqual(contentHash(content(data)));
    expect(contentHash(content({ ...data, count: 1 }))).not.toEqual(contentHash(content(data)));
  });
});
