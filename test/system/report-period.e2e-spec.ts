import { addDays } from '@app/pathway';
import { expectError } from '@test/support/api-error';
import { concern, register, send } from '@test/support/cases';
import { parseReportCsv } from '@test/support/csv';
import { Stack, type Client } from '@test/support/stack';

/**
 * The period of a report over HTTP: a day `to` includes that whole Copenhagen day, on the days the
 * clocks change too. The apps run on a clock file: work is done at 23:30 Copenhagen time on
 * Sunday 25 October 2026 (clocks back: a day of 25 hours) and, after a jump, on Sunday 28 March
 * 2027 (clocks forward: 23 hours).
 */
const AUTUMN = '2026-10-25T22:30:00.000Z'; // 23:30 CET
const SPRING = '2027-03-28T21:30:00.000Z'; // 23:30 CEST

describe('report periods: the end date is inclusive, a whole Copenhagen day', () => {
  let stack: Stack;
  let autumnCase: string;

  /** Registers a case today (on the apps' clock) and has its notification assessed: a handling time ending now. */
  async function assessedToday(day: string): Promise<string> {
    const gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    const id = await register(gp, concern({ estimatedDueDate: addDays(day, 150) }));
    await send(gp, id, 'notify-municipality');
    await send(await aalborg(), id, 'assess-notification', { outcome: 'support' });
    return id;
  }
  const aalborg = (): Promise<Client> => stack.as('municipality', 'municipality:851', 'mia');

  /** The notification assessments counted in a period, and the period's instants as answered. */
  async function assessments(period: string): Promise<{ count: number; from: string; to: string }> {
    const res = await (await aalborg()).get(`/v1/reports/handling-times?measure=notification-assessment&${period}`);
    expect(res.status).toBe(200);
    const rows = res.body.rows as { count: number }[];
    return { count: rows.reduce((sum, r) => sum + r.count, 0), from: res.body.from, to: res.body.to };
  }

  beforeAll(async () => {
    stack = await Stack.start({ clockAt: AUTUMN });
    autumnCase = await assessedToday('2026-10-25');
  });
  afterAll(() => stack?.stop());

  it('counts work done at 23:30 on the 25-hour day the clocks go back in a period ending that day', async () => {
    expect(await assessments('from=2026-10-25&to=2026-10-25')).toEqual({
      count: 1,
      from: '2026-10-24T22:00:00.000Z',
      to: '2026-10-25T23:00:00.000Z',
    });
    expect((await assessments('from=2026-10-01&to=2026-10-25')).count).toBe(1);
    expect((await assessments('from=2026-10-01&to=2026-10-24')).count).toBe(0);
    expect((await assessments('from=2026-10-26&to=2026-10-31')).count).toBe(0);
    // Without `to`: up to now, today's work included.
    expect((await assessments('from=2026-10-25')).count).toBe(1);
    // An instant `to` is exclusive: the day's midnight leaves the day out.
    expect((await assessments('from=2026-10-25&to=2026-10-25T00:00:00%2B01:00')).count).toBe(0);
    // The CSV counts the same.
    const csv = parseReportCsv(
      (
        await (
          await aalborg()
        ).bytes('/v1/reports/handling-times?measure=notification-assessment&from=2026-10-25&to=2026-10-25', {
          accept: 'text/csv',
        })
      ).body,
    );
    expect(csv.rows.map((r) => [r.measure, r.count])).toEqual([['notification-assessment', '1']]);
  });

  it('counts work done at 23:30 on the 23-hour day the clocks go forward, and both across the winter', async () => {
    await stack.jumpClock(SPRING, { caseId: autumnCase, reader: aalborg });
    await assessedToday('2027-03-28');
    expect(await assessments('from=2027-03-28&to=2027-03-28')).toEqual({
      count: 1,
      from: '2027-03-27T23:00:00.000Z',
      to: '2027-03-28T22:00:00.000Z',
    });
    expect((await assessments('from=2026-10-25&to=2027-03-28')).count).toBe(2);
    expect((await assessments('from=2026-10-25&to=2027-03-27')).count).toBe(1);
    expect((await assessments('from=2026-10-26&to=2027-03-28')).count).toBe(1);
  });

  it('refuses an end before the start, and an impossible end date, naming the field', async () => {
    const client = await aalborg();
    expectError(await client.get('/v1/reports/handling-times?from=2027-03-28&to=2027-03-27'), 400, 'VALIDATION_FAILED');
    const impossible = await client.get('/v1/reports/handling-times?to=2027-02-30');
    expectError(impossible, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(impossible.body.details)).toContain('/to');
  });
});
