import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { BrowserSession } from '@test/support/browser';
import { concern, register, send } from '@test/support/cases';
import { Stack, type Client } from '@test/support/stack';
import { inDays } from '@test/support/time';

/**
 * The referrer's page in a real headless Chromium against the real API and worker, under the
 * seconds-scale policy (test/policies/seconds.json: a hand-off is to be acknowledged within 5 s). A
 * GP signs in through the page as Henviser, lands on her referrals, registers a concern there and
 * follows it: sent on, acknowledged by the clinic in time and by the municipality late, and by how
 * much. Screenshots go to dist/screenshots/dashboard-referrer/.
 */
const POLICY = path.resolve(__dirname, '..', 'policies', 'seconds.json');

interface ReferralAnswer {
  caseId: string;
  handoffs: {
    kind: string;
    to: string;
    acknowledgedAt: string | null;
    acknowledgement: { dueAt: string; metAt: string | null; onTime: boolean | null } | null;
  }[];
  deadlines: { milestone: string; metAt: string | null }[];
}

describe('the referrer’s page in a browser', () => {
  let stack: Stack;
  let session: BrowserSession;
  let page: Page;
  let gp: Client;
  let municipality: Client;
  /** Cases that are not hers: registered by the municipality, and by another practice. */
  let notHers: string[];
  /** The referral she registers through the page. */
  let caseId: string;

  const card = (): Locator => page.locator(`[data-testid=referral][data-case="${caseId}"]`);
  const handoff = (kind: string): Locator => card().locator(`[data-testid=handoff][data-kind="${kind}"]`);

  beforeAll(async () => {
    stack = await Stack.start({
      workers: 1,
      env: { PATHWAY_POLICY_FILE: POLICY, DEV_SIGN_IN: 'true', RECONCILE_INTERVAL_MS: '2000', JOB_LOCK_MS: '2000' },
    });
    gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    municipality = await stack.as('municipality', 'municipality:851', 'mia');
    notHers = [
      await register(municipality, concern()),
      await register(await stack.as('referrer', 'gp:other-practice', 'dr-other'), concern()),
    ];
    session = await BrowserSession.open('dashboard-referrer', { width: 1280, height: 900 });
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  afterEach(() => expect(session.errors).toEqual([]));

  it('signs in as Henviser of gp:hansen through the page: referrer organisations first, then her own referrals page', async () => {
    await page.goto(`${stack.baseUrl}/app/`);
    await page.getByLabel('Rolle').selectOption('referrer');
    const organisation = page.getByLabel('Organisation');
    // The practices (gp) are offered first, and only referrer organisations at all.
    await expect(organisation.inputValue()).resolves.toMatch(/^gp:/);
    const groups = await organisation
      .locator('optgroup')
      .evaluateAll((gs) => gs.map((g) => (g as unknown as { label: string }).label));
    expect(groups[0]).toBe('gp');
    expect(groups).toEqual(expect.arrayContaining(['midwife', 'hospital']));
    expect(groups).not.toContain('municipality');
    await organisation.selectOption('gp:hansen');
    await page.getByLabel('Bruger-id').fill('dr-hansen');
    await page.getByRole('button', { name: 'Log ind' }).click();

    await page.getByRole('heading', { name: 'Mine henvisninger' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/referrals');
    await expect(page.getByTestId('who').textContent()).resolves.toContain('dr-hansen · Henviser · gp:hansen');
    // The navigation offers her what she may use: no work queue, no reports.
    const nav = await page.getByRole('navigation').getByRole('link').allTextContents();
    expect(nav.map((n) => n.replace(/\d+$/, ''))).toEqual(['Henvisninger', 'Alarmer', 'Sager']);
    await page.getByText('Ingen henvisninger endnu').waitFor();
    // Going to the start page again lands on her referrals, never a queue.
    await page.goto(`${stack.baseUrl}/app/`);
    await page.getByRole('heading', { name: 'Mine henvisninger' }).waitFor();
    await expect(page.getByTestId('work-queue').count()).resolves.toBe(0);
  });

  it('registers a concern from the page; the referral shows as registered, not sent on', async () => {
    await page.getByRole('button', { name: 'Registrér bekymring' }).click();
    const form = page.getByTestId('register-form');
    await page.locator('#field-estimatedDueDate').fill(inDays(150));
    await page.locator('#field-municipality').selectOption('851');
    await page.locator('#field-referrer-kind').selectOption('gp');
    await form.getByLabel('alkohol').check();
    await form.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('case-page').waitFor();
    caseId = /\/app\/cases\/([0-9a-f-]{36})$/.exec(page.url())![1];

    await page.getByRole('navigation').getByRole('link', { name: 'Henvisninger' }).click();
    await card().waitFor();
    await expect(card().getAttribute('data-status')).resolves.toBe('registered');
    await expect(card().getByTestId('referral-status').textContent()).resolves.toBe('Registreret, ikke sendt videre');
    await card().getByText('Ikke sendt videre endnu').waitFor();
    // Her own duty to notify the municipality is among the referral's deadlines.
    await card().locator('[data-testid=deadline][data-milestone="municipality-notification-1"]').waitFor();
    for (const id of notHers) await expect(page.locator(`[data-case="${id}"]`).count()).resolves.toBe(0);
  });

  it('shows each hand-off’s acknowledgement: in time by the clinic, awaited and then late by the municipality, and by how much', async () => {
    type Sent = { id: string; kind: string; to: string };
    const referred = await send(gp, caseId, 'refer-to-clinic');
    const toClinic = (referred.case.handoffs as Sent[]).find((h) => h.kind === 'clinic-referral')!;
    // The clinic acknowledges at once (whether within its 5 s depends on the machine: see below).
    const clinic = await stack.as('clinic', toClinic.to, 'nurse');
    await send(clinic, caseId, 'acknowledge-handoff', { handoffId: toClinic.id });
    const notified = await send(gp, caseId, 'notify-municipality');
    const toMunicipality = (notified.case.handoffs as Sent[]).find((h) => h.kind === 'municipality-notification')!;

    await page.reload();
    await card().waitFor();
    await expect(card().getAttribute('data-status')).resolves.toBe('partly-acknowledged');
    await expect(handoff('clinic-referral').getAttribute('data-acknowledged')).resolves.toBe('yes');
    // The page says what the API says of it: kept, or late on a slow machine.
    const clinicAck = ((await gp.get('/v1/referrals')).body.items as ReferralAnswer[])
      .find((r) => r.caseId === caseId)!
      .handoffs.find((h) => h.kind === 'clinic-referral')!;
    const kept = clinicAck.acknowledgement!.onTime === true;
    await expect(handoff('clinic-referral').getByTestId('timing').getAttribute('data-timing')).resolves.toBe(
      kept ? 'kept' : 'late',
    );
    await expect(handoff('clinic-referral').getByTestId('acknowledgement').textContent()).resolves.toMatch(
      kept ? /^Kvitteret \d\d\.\d\d\.\d{4}.*Holdt.* før fristen/ : /^Kvitteret \d\d\.\d\d\.\d{4}.*For sent/,
    );
    // Not acknowledged: the deadline runs out on the page, without a reload.
    const toMunicipalityRow = handoff('municipality-notification');
    await expect(toMunicipalityRow.getAttribute('data-acknowledged')).resolves.toBe('no');
    await toMunicipalityRow.locator('[data-testid=timing][data-timing="overdue"]').waitFor();
    await expect(toMunicipalityRow.getByTestId('acknowledgement').textContent()).resolves.toMatch(
      /^Ikke kvitteret endnu\..*Overskredet.*er overskredet med \d+ (s|min)/,
    );
    await session.screenshot('1280-referral-awaiting');

    // The municipality acknowledges late.
    await send(municipality, caseId, 'acknowledge-handoff', { handoffId: toMunicipality.id });
    const mine = (await gp.get('/v1/referrals')).body.items as ReferralAnswer[];
    const answer = mine.find((r) => r.caseId === caseId)!;
    const late = answer.handoffs.find((h) => h.kind === 'municipality-notification')!;
    expect(late.acknowledgement).toMatchObject({ onTime: false, metAt: late.acknowledgedAt });
    const lateMs = Date.parse(late.acknowledgedAt!) - Date.parse(late.acknowledgement!.dueAt);
    expect(lateMs).toBeGreaterThan(0);

    await page.reload();
    await card().waitFor();
    await expect(card().getAttribute('data-status')).resolves.toBe('acknowledged');
    await expect(card().getByTestId('referral-status').textContent()).resolves.toBe('Kvitteret');
    await expect(toMunicipalityRow.getAttribute('data-acknowledged')).resolves.toBe('yes');
    await expect(toMunicipalityRow.getByTestId('timing').getAttribute('data-timing')).resolves.toBe('late');
    const text = (await toMunicipalityRow.getByTestId('acknowledgement').textContent()) ?? '';
    expect(text).toMatch(/^Kvitteret \d\d\.\d\d\.\d{4}.*For sent/);
    // By how much: the seconds the page says are those between the deadline and the acknowledgement.
    if (lateMs < 60_000) expect(text).toContain(`${Math.ceil(lateMs / 1000)} s efter fristen`);
    else expect(text).toMatch(/\d+ min efter fristen/);
    await session.screenshot('1280-referral-acknowledged');

    // In English too.
    await page.getByLabel('Sprog').selectOption('en');
    await expect(card().getByTestId('referral-status').textContent()).resolves.toBe('Acknowledged');
    await expect(toMunicipalityRow.getByTestId('acknowledgement').textContent()).resolves.toMatch(/after the deadline/);
    await page.getByLabel('Language').selectOption('da');
  });

  it('shows her organisation’s referrals only, on the page and in GET /v1/referrals, a page at a time', async () => {
    await register(gp, concern());
    await page.reload();
    await page.getByTestId('referral').nth(1).waitFor();
    await expect(page.getByTestId('referral').count()).resolves.toBe(2);
    for (const id of notHers) await expect(page.locator(`[data-case="${id}"]`).count()).resolves.toBe(0);

    const first = await gp.get('/v1/referrals?limit=1');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await gp.get(`/v1/referrals?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const ids = [...first.body.items, ...second.body.items].map((r: { caseId: string }) => r.caseId);
    expect(ids).toContain(caseId);
    for (const id of notHers) expect(ids).not.toContain(id);
    const forged = await gp.get('/v1/referrals?cursor=bm90LWEtY3Vyc29y');
    expect([forged.status, forged.body.code]).toEqual([400, 'INVALID_CURSOR']);

    // At a phone's width the cards fit: no sideways scrolling, nothing outside the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await card().waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const outside = await page
      .locator('[data-testid=referral], [data-testid=referral] li, [data-testid=referral] .pill')
      .evaluateAll(
        (els) =>
          els.filter((e) => {
            const box = e.getBoundingClientRect();
            return box.left < 0 || box.right > 390;
          }).length,
      );
    expect(outside).toBe(0);
    await session.screenshot('390-referrals');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
