import type { Page } from 'playwright-core';
import { BrowserSession } from '@test/support/browser';
import { concern, register, send } from '@test/support/cases';
import { Stack, type Client } from '@test/support/stack';
import { inDays, waitFor } from '@test/support/time';

interface Milestone {
  milestone: string;
  rule: string;
  status: string;
  level: string | null;
  escalationLevels: number;
  pauseAllowance: { total: string; usedMs: number; leftMs: number } | null;
  alerted: { step: string; audience: string[] }[];
  explanation: { birthImminent?: { applied: boolean; step: string } | null };
}

/** Whether any two of the boxes overlap (by more than a pixel's rounding), and which. */
function overlapping(boxes: { text: string; x: number; y: number; width: number; height: number }[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (w > 1 && h > 1) found.push(`"${a.text}" × "${b.text}"`);
    }
  return found;
}

/**
 * Understanding a case on the dashboard, in a real headless Chromium against the real API and worker
 * (the shipped policy): the deadline table explains each deadline in Danish (rule, basis, the event
 * that started the clock, pauses and the allowance left, escalation level and why week 37 escalated
 * it, who was alerted); the actions that meet an open deadline come first; the timeline has a legend
 * and labels that do not overlap; the history is in Danish with the deadline named and the note
 * shown; and the case prints clean. Screenshots go to dist/screenshots/dashboard-understand/.
 */
describe('understanding a case on the dashboard', () => {
  let stack: Stack;
  let alice: Client;
  let session: BrowserSession;
  let page: Page;
  let caseId: string;
  const NOTE = 'Hun foretrækker møder om formiddagen.';
  const REASON = 'Indlagt til afrusning';

  const milestones = async () => (await alice.get(`/v1/cases/${caseId}/milestones`)).body.milestones as Milestone[];
  const row = (milestone: string) => page.locator(`[data-testid=deadline-row][data-milestone="${milestone}"]`);
  const explained = (milestone: string) =>
    page.locator(`tr.explanation-row[data-milestone="${milestone}"] [data-testid=deadline-explanation]`);

  beforeAll(async () => {
    stack = await Stack.start({ workers: 1, env: { DEV_SIGN_IN: 'true' } });
    alice = await stack.as('coordinator', 'municipality:851', 'alice');
    // Two weeks before the due date (week 38): the birth is imminent, so every open deadline escalates
    // at once. Treatment is requested and its deadline paused; consent is recorded with a note.
    caseId = await register(alice, concern({ estimatedDueDate: inDays(14) }));
    await send(alice, caseId, 'record-consent', { scope: 'information-sharing', status: 'given', note: NOTE });
    await send(alice, caseId, 'request-treatment', { kind: 'alcohol' });
    await send(alice, caseId, 'pause-milestone', { milestone: 'treatment-start-1', reason: REASON });
    await waitFor('the coordinator assignment escalated for the imminent birth, and its alert raised', async () =>
      (await milestones()).some(
        (m) => m.milestone === 'coordinator-assignment-1' && m.level === 'escalation-1' && m.alerted.length > 0,
      ),
    );
    session = await BrowserSession.open('dashboard-understand', { width: 1280, height: 900 });
    page = session.page;
    await session.signIn(stack.baseUrl, { role: 'coordinator', organisation: 'municipality:851', sub: 'alice' });
  });

  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  afterEach(() => expect(session.errors).toEqual([]));

  async function openCase(width = 1280): Promise<void> {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${stack.baseUrl}/app/cases/${caseId}`);
    await page.getByTestId('deadline-table').waitFor();
    await page.locator('[data-testid=timeline] .recharts-surface').first().waitFor();
  }

  it('the API says per milestone the pause allowance left, the escalation levels and who was alerted', async () => {
    const all = await milestones();
    const paused = all.find((m) => m.milestone === 'treatment-start-1')!;
    expect(paused.status).toBe('paused');
    expect(paused.pauseAllowance).toMatchObject({ total: 'P14D' });
    expect(paused.pauseAllowance!.leftMs).toBeLessThanOrEqual(14 * 86_400_000);
    expect(paused.pauseAllowance!.leftMs + paused.pauseAllowance!.usedMs).toBeGreaterThan(14 * 86_400_000 - 60_000);
    const escalated = all.find((m) => m.milestone === 'coordinator-assignment-1')!;
    expect(escalated.escalationLevels).toBe(2);
    expect(escalated.explanation.birthImminent).toMatchObject({ applied: true, step: 'escalation-1' });
    expect(escalated.alerted).toContainEqual(
      expect.objectContaining({ step: 'escalation-1', audience: ['coordinator', 'team-lead'] }),
    );
    // A legal deadline cannot be paused: no allowance.
    expect(all.find((m) => m.rule === 'child-welfare-investigation')?.pauseAllowance ?? null).toBeNull();
  });

  it('explains each deadline in Danish: rule, basis, anchor, pauses, escalation level and why, who was alerted', async () => {
    await openCase();
    const escalated = row('coordinator-assignment-1');
    await expect(escalated.getByTestId('escalation').textContent()).resolves.toBe('Eskaleret, trin 1 af 2');
    // The explanation is shown on request.
    const explanation = explained('coordinator-assignment-1');
    await expect(explanation.isVisible()).resolves.toBe(false);
    await escalated.getByTestId('explain').click();
    await expect(escalated.getByTestId('explain').getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(explanation.getByTestId('rule').textContent()).resolves.toBe(
      '2 arbejdsdage efter registreret bekymring',
    );
    await expect(explanation.getByTestId('basis').textContent()).resolves.toBe('lokal praksis');
    await expect(explanation.getByTestId('anchor').textContent()).resolves.toMatch(
      /^\d\d\.\d\d\.\d{4},? \d\d[.:]\d\d[.:]\d\d \(registreret bekymring\)$/,
    );
    await expect(explanation.getByTestId('scaling').textContent()).resolves.toMatch(
      /^Afkortet til 50 %, fordi hun var i uge 38/,
    );
    await expect(explanation.getByTestId('birth-imminent-why').textContent()).resolves.toMatch(
      /^Eskaleret, fordi fødslen nærmer sig: fra uge 37 \(/,
    );
    // Whose obligation it is, by name (not the organisation id).
    await expect(explanation.getByTestId('owner').textContent()).resolves.toMatch(/^Aalborg/);
    await expect(explanation.getByTestId('alerted').textContent()).resolves.toMatch(
      /Eskalering 1 \d\d\.\d\d\.\d{4},? [\d.:]+: tovholder, teamleder/,
    );

    const paused = row('treatment-start-1');
    await expect(paused.locator('.pill').textContent()).resolves.toBe('Sat på pause');
    await expect(paused.getByTestId('left').textContent()).resolves.toBe('Uret står stille');
    await paused.getByTestId('explain').click();
    const pausedExplanation = explained('treatment-start-1');
    const pauses = pausedExplanation.getByTestId('pauses');
    await expect(pauses.textContent()).resolves.toContain(`stadig på pause: ${REASON}`);
    await expect(pauses.textContent()).resolves.toMatch(/Brugt \d+ (s|min) af 14 dage; 13 dage 23 t tilbage/);
    await expect(pausedExplanation.getByTestId('rule').textContent()).resolves.toBe(
      '7 dage efter anmodning om behandling',
    );
    await expect(pausedExplanation.getByTestId('legal-cap').textContent()).resolves.toMatch(
      /^Senest \d\d\.\d\d\.\d{4},? [\d.:]+ \(14 dage efter start\)/,
    );
    await session.screenshot('01-deadline-table');

    // English is complete too.
    await page.evaluate(`localStorage.setItem('pathway.language', 'en')`);
    try {
      await openCase();
      await expect(row('coordinator-assignment-1').getByTestId('escalation').textContent()).resolves.toBe(
        'Escalated, level 1 of 2',
      );
      await expect(explained('treatment-start-1').getByTestId('rule').textContent()).resolves.toBe(
        '7 days after treatment was requested',
      );
      await expect(explained('coordinator-assignment-1').getByTestId('basis').textContent()).resolves.toBe(
        'local practice',
      );
    } finally {
      await page.evaluate(`localStorage.setItem('pathway.language', 'da')`);
    }
  });

  it('sets apart the actions that meet an open deadline, naming it and its due time; the rest in a menu', async () => {
    await openCase();
    const meeting = page.getByTestId('actions-meeting');
    const assign = meeting.locator('button[data-command="assign-coordinator"]');
    await expect(assign.getAttribute('data-meets')).resolves.toBe('coordinator-assignment-1');
    await expect(assign.textContent()).resolves.toMatch(
      /^Udpeg tovholderOpfylder fristen Tovholder udpeges, forfalder \d\d\.\d\d\.\d{4}/,
    );
    const more = page.getByTestId('more-actions');
    // Pausing meets no deadline: in the menu, closed until opened.
    const pause = more.locator('button[data-command="pause-milestone"]').first();
    await expect(pause.isVisible()).resolves.toBe(false);
    await expect(meeting.locator('button[data-command="pause-milestone"]').count()).resolves.toBe(0);
    await more.locator('summary').click();
    await expect(pause.isVisible()).resolves.toBe(true);
    await expect(more.locator('summary').textContent()).resolves.toMatch(/^Flere handlinger \(\d+\)$/);
    // The form flow is as before: the form opens under the buttons.
    await assign.click();
    await page.getByTestId('action-form').waitFor();
    await session.screenshot('02-actions');
  });

  it('has a timeline legend, and its labels do not overlap at 1280 and 390 px', async () => {
    for (const width of [1280, 390]) {
      await openCase(width);
      const legend = page.getByTestId('timeline-legend');
      await expect(legend.locator('li').count()).resolves.toBeGreaterThanOrEqual(10);
      await expect(legend.textContent()).resolves.toContain('Eskaleret');
      await expect(legend.textContent()).resolves.toContain('Stiplet linje: termin');
      for (const chart of await page.locator('[data-testid=timeline] svg.recharts-surface').all()) {
        const boxes = await chart
          .locator('text')
          .evaluateAll((texts) =>
            texts
              .map((t) => ({ text: t.textContent ?? '', ...t.getBoundingClientRect().toJSON() }))
              .filter((b) => b.text.trim() && b.width > 0),
          );
        expect(boxes.length).toBeGreaterThan(3);
        expect({ width, overlapping: overlapping(boxes) }).toEqual({ width, overlapping: [] });
      }
      await session.screenshot(`03-timeline-${width}`);
    }
  });

  it('shows the history in Danish, naming the deadline, with notes and reasons', async () => {
    await openCase();
    const list = page.getByTestId('event-list');
    const escalated = list.locator('li[data-type=MilestoneEscalated]').filter({ hasText: 'Tovholder udpeges' });
    await expect(escalated.getByTestId('event-title').textContent()).resolves.toBe(
      'Frist eskaleret (trin 1): Tovholder udpeges',
    );
    await expect(list.locator('li[data-type=ConcernRegistered] [data-testid=event-title]').textContent()).resolves.toBe(
      'Bekymring registreret',
    );
    // The note is shown where the API discloses it to her.
    const events = (await alice.get(`/v1/cases/${caseId}/events`)).body.events as {
      type: string;
      data: { note?: string };
    }[];
    expect(events.find((e) => e.type === 'ConsentGiven')?.data.note).toBe(NOTE);
    await expect(list.locator('li[data-type=ConsentGiven] [data-testid=event-note]').textContent()).resolves.toBe(
      `Note: ${NOTE}`,
    );
    await expect(list.locator('li[data-type=MilestonePaused] [data-testid=event-reason]').textContent()).resolves.toBe(
      `Årsag: ${REASON}`,
    );
    // No English event names, in the history or the audit's writes.
    const titles = await page
      .locator('[data-testid=event-title], [data-testid=audit-writes] td:nth-child(2)')
      .allTextContents();
    expect(titles.filter((t) => /Milestone|Registered|Assigned|Given/.test(t))).toEqual([]);
    await expect(page.getByTestId('audit-writes').textContent()).resolves.toContain('Samtykke givet');
    await session.screenshot('04-history');
  });

  it('prints a clean case summary: no navigation or buttons, the deadline table with its explanations', async () => {
    await openCase();
    await expect(page.getByTestId('print').textContent()).resolves.toBe('Udskriv');
    await page.emulateMedia({ media: 'print' });
    try {
      await expect(page.locator('header.top').isVisible()).resolves.toBe(false);
      const buttons = await page
        .locator('button')
        .evaluateAll((all) => all.filter((b) => b.getBoundingClientRect().width > 0).length);
      expect(buttons).toBe(0);
      await expect(page.getByTestId('deadline-table').isVisible()).resolves.toBe(true);
      // Every deadline's explanation is printed, though none was opened.
      const explanations = page.getByTestId('deadline-explanation');
      const count = await explanations.count();
      expect(count).toBeGreaterThan(1);
      for (let i = 0; i < count; i++) await expect(explanations.nth(i).isVisible()).resolves.toBe(true);
      await expect(page.getByTestId('event-list').isVisible()).resolves.toBe(true);
      await session.screenshot('05-print');
      const pdf = await page.pdf({ format: 'A4', printBackground: false });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });
});
