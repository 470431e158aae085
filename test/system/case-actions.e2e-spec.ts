import { expectError } from '@test/support/api-error';
import { register, send } from '@test/support/cases';
import { inDays } from '@test/support/time';
import { Stack, type Client } from '@test/support/stack';

interface Action {
  command: string;
  summary: string;
  reason: 'meets-milestone' | 'milestone-clock' | 'stage';
  milestone?: string;
  prefill?: Record<string, unknown>;
  body: Record<string, any>;
}

/** Fields a person fills in where the schema alone does not say what is valid in this case. */
const FILLED_IN: Record<string, unknown> = { organisation: 'municipality:851', estimatedDueDate: inDays(140) };

/** What a person fills in on the form rendered from the schema: each required field, the first choice of a list. */
function fillIn(schema: Record<string, any>): unknown {
  if (schema.enum) return schema.enum[0];
  if (schema.type === 'object')
    return Object.fromEntries(
      (schema.required ?? []).map((k: string) => [k, FILLED_IN[k] ?? fillIn(schema.properties[k])]),
    );
  return 'Filled in on the form.';
}

/** The body a client sends for an action: the form filled in, then the prefill. */
const bodyOf = (action: Action) => ({ ...(fillIn(action.body) as object), ...action.prefill });

describe('GET /v1/cases/{id}/actions', () => {
  let stack: Stack;
  let gp: Client;
  let aalborg: Client;
  let clinic: Client;

  const actions = async (client: Client, id: string): Promise<Action[]> => {
    const res = await client.get(`/v1/cases/${id}/actions`);
    expect(res.status).toBe(200);
    return res.body.actions;
  };

  /** A case the GP registered and notified the municipality of (a hand-off the municipality must acknowledge). */
  const notifiedCase = async () => {
    const id = await register(gp);
    await send(gp, id, 'notify-municipality');
    return id;
  };

  beforeAll(async () => {
    stack = await Stack.start();
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    aalborg = await stack.as('municipality', 'municipality:851', 'mia');
    clinic = await stack.as('clinic', 'clinic:1081', 'lis');
  });
  afterAll(() => stack?.stop());

  /** The milestones' due times, for expectations that hold whatever the day: soonest first, then by id (as offered). */
  const byDue = async (client: Client, id: string) => {
    const due = new Map<string, string>(
      (await client.get(`/v1/cases/${id}/milestones`)).body.milestones.map(
        (m: { milestone: string; dueAt: string }) => [m.milestone, m.dueAt],
      ),
    );
    return <T extends { milestone?: string }>(items: T[]) =>
      [...items].sort(
        (a, b) =>
          due.get(a.milestone!)!.localeCompare(due.get(b.milestone!)!) || a.milestone!.localeCompare(b.milestone!),
      );
  };

  it('shows the municipality first what meets its milestones, soonest due first and prefilled, then the rest, each with its summary and the schema of its body', async () => {
    const id = await notifiedCase();
    const offered = await actions(aalborg, id);
    const soonestFirst = await byDue(aalborg, id);
    expect(
      offered
        .filter((a) => a.reason === 'meets-milestone')
        .map(({ command, milestone, prefill }) => ({ command, milestone, prefill })),
    ).toEqual(
      soonestFirst([
        { command: 'acknowledge-handoff', milestone: 'handoff-acceptance-1', prefill: { handoffId: 'handoff-1' } },
        {
          command: 'assess-notification',
          milestone: 'notification-assessment-1',
          prefill: { notificationId: 'notification-1' },
        },
        { command: 'assign-coordinator', milestone: 'coordinator-assignment-1', prefill: undefined },
        {
          command: 'confirm-notification-receipt',
          milestone: 'notification-receipt-1',
          prefill: { notificationId: 'notification-1' },
        },
        { command: 'record-post-birth-plan', milestone: 'post-birth-plan-1', prefill: undefined },
      ]),
    );
    expect(offered.slice(0, 5).every((a) => a.reason === 'meets-milestone')).toBe(true);
    const commands = offered.map((a) => a.command);
    expect(commands).toEqual(
      expect.arrayContaining(['refer-to-clinic', 'request-treatment', 'pause-milestone', 'waive-milestone']),
    );
    // Not the GP's notification, not the clinic's or the facility's, nothing the case is not ready for.
    for (const absent of [
      'notify-municipality',
      'record-clinic-visit',
      'admit-to-residential',
      'start-treatment',
      'conclude-investigation',
      'record-network-meeting',
      'record-contact-restored',
      'resume-milestone',
      // Week 18: a birth is not plausible before week 22 (BIRTH_TOO_EARLY); the notification's
      // assessment and receipt (LAW) are open, so the case cannot be closed (LEGAL_DUTY_OPEN).
      'record-birth',
      'close-case',
    ]) {
      expect(commands).not.toContain(absent);
    }

    // The body schema and summary are the command route's own, as documented.
    const doc = (await stack.anonymous().get('/docs-json')).body;
    for (const a of offered) {
      const route = doc.paths[`/v1/cases/{id}/${a.command}`].post;
      expect({ command: a.command, summary: a.summary, body: a.body }).toEqual({
        command: a.command,
        summary: route.summary,
        body: route.requestBody.content['application/json'].schema,
      });
    }
    expect(doc.paths['/v1/cases/{id}/actions'].get.responses['200']).toBeDefined();
  });

  it('is honest: every action offered, sent with its prefill and the form filled in, is accepted', async () => {
    const offered = await actions(aalborg, await notifiedCase());
    expect(offered.length).toBeGreaterThan(10);
    const outcomes: string[] = [];
    for (const action of offered) {
      // Each on a case of its own in the same state (the same ids), so that one action does not change the next.
      const id = await notifiedCase();
      expect(await actions(aalborg, id)).toEqual(offered);
      const res = await aalborg.post(`/v1/cases/${id}/${action.command}`, bodyOf(action));
      outcomes.push(
        `${action.command} ${action.milestone ?? ''} ${res.status} ${res.status === 200 ? '' : res.body.code}`.trim(),
      );
    }
    expect(outcomes.filter((o) => !/ 200$/.test(o))).toEqual([]);
  });

  it('follows the case: an action sent is no longer offered, the clinic sees its visit once referred, and a closed case offers nothing', async () => {
    const id = await notifiedCase();
    const acknowledge = (await actions(aalborg, id)).find((a) => a.command === 'acknowledge-handoff')!;
    expect(acknowledge).toMatchObject({ reason: 'meets-milestone', prefill: { handoffId: 'handoff-1' } });
    await send(aalborg, id, acknowledge.command, bodyOf(acknowledge));
    expect((await actions(aalborg, id)).map((a) => a.command)).not.toContain('acknowledge-handoff');
    const met = (await aalborg.get(`/v1/cases/${id}/milestones`)).body.milestones.find(
      (m: { milestone: string }) => m.milestone === 'handoff-acceptance-1',
    );
    expect(met.status).toBe('met');

    await send(gp, id, 'refer-to-clinic');
    const forClinic = await actions(clinic, id);
    expect(forClinic.slice(0, 2).map(({ command, milestone, prefill }) => ({ command, milestone, prefill }))).toEqual(
      (await byDue(clinic, id))([
        { command: 'acknowledge-handoff', milestone: 'handoff-acceptance-2', prefill: { handoffId: 'handoff-2' } },
        { command: 'record-clinic-visit', milestone: 'clinic-first-visit-1', prefill: undefined },
      ]),
    );
    const visit = forClinic.find((a) => a.command === 'record-clinic-visit')!;
    await send(clinic, id, 'record-clinic-visit', bodyOf(visit));

    // The notification's assessment and receipt (LAW) are still open: only a moot reason closes it.
    await send(aalborg, id, 'close-case', { reason: 'moved-abroad' });
    expect(await actions(aalborg, id)).toEqual([]);
    expect(await actions(clinic, id)).toEqual([]);
  });

  it('answers 404 CASE_NOT_FOUND to an organisation with no part in the case, an empty list to an auditor of one that has, and records no read', async () => {
    const id = await notifiedCase();
    const strangers = [
      await stack.as('municipality', 'municipality:751', 'ole'),
      await stack.as('clinic', 'clinic:1081', 'lis'), // not yet referred
      await stack.as('auditor', 'authority:national', 'inge'),
    ];
    for (const stranger of strangers) expectError(await stranger.get(`/v1/cases/${id}/actions`), 404, 'CASE_NOT_FOUND');
    expectError(await aalborg.get('/v1/cases/00000000-0000-4000-8000-000000000000/actions'), 404, 'CASE_NOT_FOUND');
    expectError(await aalborg.get('/v1/cases/not-a-case/actions'), 404, 'CASE_NOT_FOUND');

    // Auditors and administrators only read: their organisation's case offers them nothing.
    expect(await actions(await stack.as('auditor', 'municipality:851', 'audrey'), id)).toEqual([]);
    expect(await actions(await stack.as('admin', 'municipality:851', 'root'), id)).toEqual([]);

    const reads = (await aalborg.get(`/v1/cases/${id}/audit`)).body.reads as { view: string }[];
    expect(reads.map((r) => r.view)).toEqual(['audit']);
  });

  it('needs a token', async () => {
    expectError(await stack.anonymous().get(`/v1/cases/${await notifiedCase()}/actions`), 401, 'UNAUTHENTICATED');
  });
});
