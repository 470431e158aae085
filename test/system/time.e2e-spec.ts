import { localDate } from '@app/pathway';
import { expectError } from '@test/support/api-error';
import { concern, register, send } from '@test/support/cases';
import { inDays } from '@test/support/time';
import { Stack, type Client } from '@test/support/stack';

interface MilestoneView {
  caseId: string;
  milestone: string;
  status: string;
  explanation: { anchor: { at: string }; basis: string };
}

/**
 * Time as a caseworker recognises it (issue 15 §2), over HTTP: a clock that has not started is
 * `scheduled` and in no queue; a case is not closed over an open legal duty; a birth before week 22
 * is refused; a referrer pauses and waives her own (non-LAW) milestones.
 */
describe('time a caseworker recognises', () => {
  let stack: Stack;
  let gp: Client;
  let aalborg: Client;

  beforeAll(async () => {
    stack = await Stack.start();
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    aalborg = await stack.as('municipality', 'municipality:851', 'mia');
  });
  afterAll(() => stack?.stop());

  const milestonesOf = async (client: Client, id: string): Promise<MilestoneView[]> =>
    (await client.get(`/v1/cases/${id}/milestones`)).body.milestones;
  const queue = async (client: Client, query = ''): Promise<MilestoneView[]> =>
    (await client.get(`/v1/milestones?limit=500${query}`)).body.milestones;
  const statusOf = (ms: MilestoneView[], id: string, milestone: string) =>
    ms.find((m) => m.caseId === id && m.milestone === milestone)?.status ?? 'absent';

  describe('a clock that has not started', () => {
    it('given week 18 (due in 150 days), then the post-birth plan is scheduled and in no queue but the scheduled one; given due in 14 days, then it is open and queued', async () => {
      const early = await register(gp, concern({ estimatedDueDate: inDays(150) }));
      const late = await register(gp, concern({ estimatedDueDate: inDays(14) }));

      const plan = (await milestonesOf(aalborg, early)).find((m) => m.milestone === 'post-birth-plan-1');
      expect(plan?.status).toBe('scheduled');
      // Its clock starts 28 days before the due date: on the Copenhagen day 122 days from today
      // (a day, not 122 × 24 h from now: at 23:30 in summer time that day began 23½ hours earlier).
      expect(localDate(new Date(plan!.explanation.anchor.at))).toBe(inDays(122));

      expect(statusOf(await queue(aalborg), early, 'post-birth-plan-1')).toBe('absent');
      expect(statusOf(await queue(aalborg, '&status=open'), early, 'post-birth-plan-1')).toBe('absent');
      expect(statusOf(await queue(aalborg, '&status=scheduled'), early, 'post-birth-plan-1')).toBe('scheduled');
      // The started clocks of the same case are queued as before.
      expect(statusOf(await queue(aalborg), early, 'coordinator-assignment-1')).toBe('open');

      expect((await milestonesOf(aalborg, late)).find((m) => m.milestone === 'post-birth-plan-1')?.status).toBe('open');
      expect(statusOf(await queue(aalborg), late, 'post-birth-plan-1')).toBe('open');
      expect(statusOf(await queue(aalborg, '&status=scheduled'), late, 'post-birth-plan-1')).toBe('absent');
    });
  });

  describe('closing over a legal duty', () => {
    it('given the GP has not yet notified the municipality (LAW), when the case is closed as completed, then 422 LEGAL_DUTY_OPEN; as moved abroad, then it closes and the duty is waived', async () => {
      const id = await register(gp);
      expectError(await aalborg.post(`/v1/cases/${id}/close-case`, { reason: 'completed' }), 422, 'LEGAL_DUTY_OPEN');
      expectError(
        await aalborg.post(`/v1/cases/${id}/close-case`, { reason: 'declined-help' }),
        422,
        'LEGAL_DUTY_OPEN',
      );
      await send(aalborg, id, 'close-case', { reason: 'moved-abroad' });
      const ms = await milestonesOf(gp, id);
      expect(ms.find((m) => m.milestone === 'municipality-notification-1')?.status).toBe('waived');
    });

    it('accepts "died" as a reason to close', async () => {
      const id = await register(gp);
      await send(aalborg, id, 'close-case', { reason: 'died' });
      expect((await aalborg.get(`/v1/cases/${id}`)).body.stage).toBe('closed');
    });
  });

  describe('a birth before a plausible week', () => {
    it('given week 18, when a birth is recorded, then 422 BIRTH_TOO_EARLY pointing to record-pregnancy-ended, which is accepted', async () => {
      const id = await register(gp, concern({ estimatedDueDate: inDays(150) }));
      const res = await aalborg.post(`/v1/cases/${id}/record-birth`, {});
      expectError(res, 422, 'BIRTH_TOO_EARLY');
      expect(res.body.message).toContain('record-pregnancy-ended');
      await send(aalborg, id, 'record-pregnancy-ended', { reason: 'miscarriage' });
    });
  });

  describe('a referrer and her own milestones', () => {
    it('lets the GP pause, resume and waive her clinic referral, and refuses her the legal duty to notify', async () => {
      const id = await register(gp);
      await send(gp, id, 'pause-milestone', { milestone: 'clinic-referral-1', reason: 'She is in hospital.' });
      expect((await milestonesOf(gp, id)).find((m) => m.milestone === 'clinic-referral-1')?.status).toBe('paused');
      await send(gp, id, 'resume-milestone', { milestone: 'clinic-referral-1' });
      await send(gp, id, 'waive-milestone', {
        milestone: 'clinic-referral-1',
        reason: 'The clinic already knows her.',
      });
      expect((await milestonesOf(gp, id)).find((m) => m.milestone === 'clinic-referral-1')?.status).toBe('waived');
      expectError(
        await gp.post(`/v1/cases/${id}/pause-milestone`, {
          milestone: 'municipality-notification-1',
          reason: 'She is in hospital.',
        }),
        422,
        'LEGAL_DEADLINE_NOT_PAUSABLE',
      );
      // The municipality's deadline is not shown to her: refused as a missing one, its owner untold.
      expectError(
        await gp.post(`/v1/cases/${id}/waive-milestone`, { milestone: 'coordinator-assignment-1', reason: 'No.' }),
        422,
        'MILESTONE_NOT_FOUND',
      );
    });
  });
});
