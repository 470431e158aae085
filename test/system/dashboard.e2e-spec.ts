import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { BrowserSession } from '@test/support/browser';
import { concern, register, send } from '@test/support/cases';
import { expectDuration, parseReportCsv } from '@test/support/csv';
import { Stack } from '@test/support/stack';
import { inDays, testNow, waitFor } from '@test/support/time';

/**
 * The coordinators' dashboard in a real headless Chromium against the real API and worker, under the
 * seconds-scale policy (test/policies/seconds.json): coordinator-assignment is due 8 s after the
 * registration (warning at 6 s, breach at 8 s, escalations at 10 and 12 s). Screenshots of every
 * main view go to dist/screenshots/dashboard/.
 */
const POLICY = path.resolve(__dirname, '..', 'policies', 'seconds.json');

/** Seconds in a countdown ("00:00:07", "1 d 02:03:04") or in the words of an overdue time ("overskredet med 5 s", "1 dag 2 t"). */
function seconds(text: string): number {
  const m = /(?:(\d+) d )?(\d\d):(\d\d):(\d\d)/.exec(text);
  if (m) return Number(m[1] ?? 0) * 86_400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  const unit: Record<string, number> = { dag: 86_400, dage: 86_400, t: 3600, min: 60, s: 1 };
  const words = [...text.matchAll(/(\d+) (dage|dag|t|min|s)\b/g)];
  if (!words.length) throw new Error(`not a countdown: ${text}`);
  return words.reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
}

describe('the dashboard in a browser', () => {
  let stack: Stack;
  let session: BrowserSession;
  let page: Page;
  let caseId: string;
  /** A case registered while the inbox is open: its cards are newer and, for a while, less severe. */
  let later: string;

  beforeAll(async () => {
    stack = await Stack.start({
      workers: 1,
      env: { PATHWAY_POLICY_FILE: POLICY, DEV_SIGN_IN: 'true', RECONCILE_INTERVAL_MS: '2000', JOB_LOCK_MS: '2000' },
    });
    session = await BrowserSession.open('dashboard');
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  afterEach(() => expect(session.errors).toEqual([]));

  /** The inbox's card of a milestone of a case. */
  const card = (id: string, milestone: string) =>
    page.locator(`[data-testid=alert][data-case="${id}"][data-milestone="${milestone}"]`);

  it('serves the page under /app with a strict content security policy, and / leads there', async () => {
    const res = await fetch(`${stack.baseUrl}/app/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<div id="root">');
    const root = await fetch(`${stack.baseUrl}/`, { redirect: 'manual' });
    expect([301, 302]).toContain(root.status);
    expect(root.headers.get('location')).toBe('/app/');
    // The page's own routes, as in the alert links, answer with the page; a missing asset does not.
    const deep = await fetch(`${stack.baseUrl}/app/cases/00000000-0000-4000-8000-000000000000`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await deep.text()).toContain('<div id="root">');
    expect((await fetch(`${stack.baseUrl}/app/assets/missing.js`)).status).toBe(404);
  });

  it('offers the development sign-in when DEV_SIGN_IN is set: a token for a known role and organisation only', async () => {
    const anonymous = stack.anonymous();
    const options = await anonymous.get('/v1/sign-in');
    expect(options.body.oidc).toBeNull();
    expect(options.body.local.roles).toContain('coordinator');
    // Exactly what a token may hold: the roles each organisation may take, referrers included.
    expect(options.body.local.organisations).toContainEqual({
      id: 'municipality:851',
      kind: 'municipality',
      name: 'Aalborg',
      roles: ['municipality', 'coordinator', 'auditor', 'admin'],
    });
    expect(options.body.local.organisations).toContainEqual({
      id: 'gp:hansen',
      kind: 'gp',
      name: 'Lægerne Hansen',
      roles: ['referrer', 'admin'],
    });
    expect(options.body.local.organisations).toContainEqual(
      expect.objectContaining({ id: 'pathway:platform', roles: ['admin'] }),
    );
    const mismatched = await anonymous.post('/v1/sign-in/local', {
      role: 'referrer',
      organisation: 'municipality:851',
      sub: 'mallory',
    });
    expect(mismatched.status).toBe(422);
    expect(mismatched.body.code).toBe('ROLE_ORGANISATION_MISMATCH');
    const cprSubject = await anonymous.post('/v1/sign-in/local', {
      role: 'clinic',
      organisation: 'clinic:1081',
      sub: '030487-1234',
    });
    expect([cprSubject.status, cprSubject.body.code]).toEqual([422, 'SUBJECT_IS_CPR']);
    const refused = await anonymous.post('/v1/sign-in/local', {
      role: 'superuser',
      organisation: 'municipality:9999',
      sub: 'a b',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['/role', '/sub']);
    // A well-formed organisation the platform does not have (the organisations are the database's).
    const unknown = await anonymous.post('/v1/sign-in/local', {
      role: 'municipality',
      organisation: 'municipality:9999',
      sub: 'mallory',
    });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'UNKNOWN_ORGANISATION']);
    const signed = await anonymous.post('/v1/sign-in/local', {
      role: 'clinic',
      organisation: 'clinic:1081',
      sub: 'midwife-1',
    });
    expect(signed.status).toBe(200);
    const work = await fetch(`${stack.baseUrl}/v1/milestones`, {
      headers: { authorization: `Bearer ${signed.body.token}` },
    });
    expect(work.status).toBe(200);
    expect(Date.parse(signed.body.expiresAt) - Date.now()).toBeGreaterThan(11 * 3_600_000);
  });

  it('signs in as a coordinator with the development sign-in', async () => {
    await page.goto(`${stack.baseUrl}/app/`);
    // Only organisations the chosen role may hold are offered: a referrer's are referrer organisations.
    const organisation = page.getByLabel('Organisation');
    const offered = () =>
      organisation.locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    await page.getByLabel('Rolle').selectOption('referrer');
    const referrers = /^(gp|midwife|shelter|crisis_centre|substance_treatment|health_visitor|hospital|other):/;
    expect(await offered()).toContain('gp:hansen');
    expect((await offered()).filter((id) => !referrers.test(id))).toEqual([]);
    await expect(organisation.inputValue()).resolves.toMatch(referrers);
    await page.getByLabel('Rolle').selectOption('auditor');
    expect(await offered()).toEqual(expect.arrayContaining(['municipality:851', 'region:1081', 'authority:national']));
    expect((await offered()).filter((id) => !/^(municipality|region|authority):/.test(id))).toEqual([]);
    await page.getByLabel('Rolle').selectOption('coordinator');
    expect((await offered()).filter((id) => !/^(municipality|clinic):/.test(id))).toEqual([]);
    await page.getByLabel('Organisation').selectOption('municipality:851');
    await page.getByLabel('Bruger-id').fill('alice');
    await session.screenshot('01-sign-in');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.getByRole('heading', { name: 'Mit arbejde' }).waitFor();
    await expect(page.getByTestId('who').textContent()).resolves.toContain('alice · Tovholder · municipality:851');
  });

  it('registers a concern: the API’s field errors appear at their fields, then the case opens', async () => {
    await page.getByRole('button', { name: 'Registrér bekymring' }).click();
    const form = page.getByTestId('register-form');
    await form.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-testid=field-error][data-field="/estimatedDueDate"]').waitFor();
    await expect(page.locator('[data-testid=field-error][data-field="/municipality"]').textContent()).resolves.toBe(
      'skal udfyldes',
    );
    await expect(page.locator('#field-estimatedDueDate').getAttribute('aria-invalid')).resolves.toBe('true');
    await session.screenshot('02-register-errors');

    await page.locator('#field-estimatedDueDate').fill(inDays(150));
    await page.locator('#field-municipality').selectOption('851');
    await page.locator('#field-referrer-kind').selectOption('gp');
    await form.getByLabel('kokain').check();
    await form.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('case-page').waitFor();
    caseId = /\/app\/cases\/([0-9a-f-]{36})$/.exec(page.url())![1];
    // Registered by the municipality itself: the case starts with the municipality.
    await expect(page.getByTestId('stage').textContent()).resolves.toBe('Kommune');
  });

  it('counts a milestone down live and turns it breached without a reload', async () => {
    await page.getByRole('link', { name: 'Mit arbejde' }).click();
    // Nothing is hers yet: the coordinator assignment is in her organisation's queue.
    await page.getByRole('radio', { name: 'Min organisation' }).check();
    const row = page.locator(
      `[data-testid=work-item][data-case="${caseId}"][data-milestone="coordinator-assignment-1"]`,
    );
    await row.waitFor();
    const countdown = row.getByTestId('countdown');
    const first = (await countdown.textContent()) ?? '';
    expect(seconds(first)).toBeLessThanOrEqual(8);
    // Live: the next tick shows less time left (or, on a slow machine, more time over), without a reload.
    const second = await waitFor('the countdown to tick', async () => {
      const text = (await countdown.textContent()) ?? '';
      return text !== first && text;
    });
    const signed = (text: string) => (text.startsWith('overskredet med') ? -1 : 1) * seconds(text);
    expect(signed(second)).toBeLessThan(signed(first));
    await session.screenshot('03-my-work');
    // A reload would lose this mark.
    await page.evaluate('window.notReloaded = true');
    await page
      .locator(
        `[data-testid=work-item][data-case="${caseId}"][data-milestone="coordinator-assignment-1"][data-state="breached"], [data-testid=work-item][data-case="${caseId}"][data-milestone="coordinator-assignment-1"][data-state="escalated"]`,
      )
      .waitFor();
    await expect(row.textContent()).resolves.toMatch(/over|Overskredet|Eskaleret/);
    // Escalated by the server's ladder (level from the API), still without a reload.
    await row.and(page.locator('[data-state="escalated"]')).waitFor();
    await expect(page.evaluate('window.notReloaded')).resolves.toBe(true);
    await session.screenshot('04-my-work-breached');
  });

  it('shows one card per milestone at its current level, live with a title badge, by severity then due time, with the due time, how overdue and who was alerted', async () => {
    // A second case, registered now: its cards are newer and less severe while its ladder climbs.
    const alice = await stack.as('coordinator', 'municipality:851', 'alice');
    later = await register(alice, concern());
    const laterReference = (await alice.get(`/v1/cases/${later}`)).body.reference as string;
    // Page functions run in the browser; as strings they need no DOM types here.
    await page.waitForFunction('/^\\(\\d+\\) /.test(document.title)');
    await page.getByRole('link', { name: /Alarmer/ }).click();
    await expect(page.getByTestId('stream-state').textContent()).resolves.toBe('Live');
    await expect(page.evaluate('window.notReloaded')).resolves.toBe(true);
    await page.waitForFunction('!/^\\(\\d+\\) /.test(document.title)');
    // The whole ladder has fired for the case's coordinator assignment: one card, at its top step.
    await card(caseId, 'coordinator-assignment-1').and(page.locator('[data-step="escalation-2"]')).waitFor();
    await expect(card(caseId, 'coordinator-assignment-1').count()).resolves.toBe(1);
    await expect(card(caseId, 'coordinator-assignment-1').getAttribute('data-alerts')).resolves.toBe(
      ['escalation-2', 'escalation-1', 'breach', 'warning']
        .map((s) => `${caseId}.coordinator-assignment-1.${s}`)
        .join(' '),
    );
    // The newer case's first, less severe, card comes after the critical ones (newest first would put it first).
    await page
      .locator(`[data-testid=alert][data-case="${later}"]:is([data-severity=info], [data-severity=high])`)
      .first()
      .waitFor();
    const order = await page
      .locator('[data-testid=alert]')
      .evaluateAll((cards) =>
        cards.map((c) => [c.getAttribute('data-case'), c.getAttribute('data-severity'), c.getAttribute('data-due')]),
      );
    const rank = { critical: 0, high: 1, info: 2 } as Record<string, number>;
    const sorted = [...order].sort((a, b) => rank[a[1]!] - rank[b[1]!] || Date.parse(a[2]!) - Date.parse(b[2]!));
    expect(order).toEqual(sorted);
    expect(order.findIndex(([c]) => c === later)).toBeGreaterThan(order.findLastIndex(([c]) => c === caseId));
    await session.screenshot('05-alerts');

    // The due time, how overdue on the server's clock, and who the top step reached.
    const top = (
      (await alice.get(`/v1/alerts?caseId=${caseId}&milestone=coordinator-assignment`)).body.items as {
        id: string;
        dueAt: string;
      }[]
    ).find((a) => a.id.endsWith('.escalation-2'))!;
    // Copenhagen time in Danish form, formatted by the browser's own Intl as the page does.
    const due = await page.evaluate(
      (iso) =>
        new Intl.DateTimeFormat('da-DK', {
          timeZone: 'Europe/Copenhagen',
          ...{
            day: '2-digit',
            month: '2-digit',
            year: 'numeric',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
          },
        } as const).format(new Date(iso)),
      top.dueAt,
    );
    const escalated = card(caseId, 'coordinator-assignment-1');
    await expect(escalated.getByTestId('due').textContent()).resolves.toContain(`Frist ${due}`);
    const overdue = (await escalated.getByTestId('overdue').textContent()) ?? '';
    const m = /^overskredet med (\d+) (s|min)$/.exec(overdue);
    expect(m).not.toBeNull();
    // Whole seconds under a minute, whole minutes after: within a few seconds of the server's clock.
    const shown = Number(m![1]) * (m![2] === 'min' ? 60 : 1);
    const actual = (testNow().getTime() - Date.parse(top.dueAt)) / 1000;
    expect(actual).toBeGreaterThan(shown - 5);
    expect(actual).toBeLessThan(shown + (m![2] === 'min' ? 60 : 0) + 5);
    await expect(escalated.getByTestId('alerted').textContent()).resolves.toBe(
      'Alarmeret: tovholder, ledelse og regional kontakt · Ansvarlig: municipality:851 · 4 alarmer samlet for fristen',
    );

    // Filters: a case reference; "mine" (no case has a coordinator yet, so none).
    const filters = page.getByTestId('inbox-filters');
    await filters.getByLabel('Sagsnummer').fill(laterReference.toLowerCase());
    await expect(
      page
        .locator('[data-testid=alert]')
        .evaluateAll((cards) => [...new Set(cards.map((c) => c.getAttribute('data-case')))]),
    ).resolves.toEqual([later]);
    await filters.getByLabel('Sagsnummer').fill('');
    await filters.getByLabel('Kun sager, hvor jeg er tovholder').check();
    await page.getByText('Ingen alarmer passer til filtrene.').waitFor();
    await filters.getByLabel('Kun sager, hvor jeg er tovholder').uncheck();
    await card(caseId, 'coordinator-assignment-1').waitFor();
  });

  it('acknowledges the selected cards with one note: every alert of their milestones, each on the case’s history; the Kvitterede tab shows them', async () => {
    // The two cases' coordinator assignments, each at the top of its ladder (no step comes after).
    const selected = [caseId, later];
    await card(later, 'coordinator-assignment-1').and(page.locator('[data-step="escalation-2"]')).waitFor();
    const ids: string[] = [];
    for (const id of selected) {
      ids.push(...((await card(id, 'coordinator-assignment-1').getAttribute('data-alerts')) ?? '').split(' '));
      await card(id, 'coordinator-assignment-1').getByRole('checkbox').check();
    }
    expect(ids).toHaveLength(8);
    await expect(page.getByTestId('selected-count').textContent()).resolves.toBe('2 valgt');
    await page.getByPlaceholder('Fælles note til de valgte (valgfri)').fill('Vi ringer i dag.');
    await page.getByRole('button', { name: 'Kvittér valgte' }).click();
    await page.getByTestId('acknowledged-count').filter({ hasText: '2 kvitteret' }).waitFor();
    for (const id of selected) await expect(card(id, 'coordinator-assignment-1').count()).resolves.toBe(0);

    await page.getByTestId('tab-acknowledged').click();
    for (const id of selected) {
      const taken = card(id, 'coordinator-assignment-1').and(page.locator('[data-status="acknowledged"]'));
      await taken.waitFor();
      await expect(taken.getByTestId('acknowledged').textContent()).resolves.toContain('Kvitteret af alice');
    }
    await session.screenshot('05b-alerts-acknowledged');
    const alice = await stack.as('coordinator', 'municipality:851', 'alice');
    const mia = await stack.as('municipality', 'municipality:851', 'mia');
    const stored: string[] = [];
    const acknowledged: (string | undefined)[][] = [];
    for (const id of selected) {
      stored.push(
        ...(await alice.get(`/v1/alerts?caseId=${id}&status=acknowledged`)).body.items.map((a: { id: string }) => a.id),
      );
      // The note is free text, so clinical (disclosure policy): not in the alert, but in the case's
      // events for those who see clinical detail (the responsible municipality), once per alert.
      const events = (await mia.get(`/v1/cases/${id}/events`)).body.events as {
        type: string;
        data: { alert?: string; note?: string };
      }[];
      for (const e of events.filter((e) => e.type === 'AlertAcknowledged'))
        acknowledged.push([`${id}.${e.data.alert}`, e.data.note]);
    }
    expect(stored.sort()).toEqual([...ids].sort());
    expect(acknowledged.sort()).toEqual(ids.map((id) => [id, 'Vi ringer i dag.']).sort());
    await page.getByTestId('tab-open').click();
  });

  it('sends a command from the case page and the timeline and audit update', async () => {
    // As from the link in an alert email.
    await page.goto(`${stack.baseUrl}/app/cases/${caseId}`);
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    const before = Number(await timeline.getAttribute('data-events'));
    await session.screenshot('06-case');
    await page.locator('button[data-command="assign-coordinator"]').click();
    const form = page.getByTestId('action-form');
    await form.getByRole('button', { name: 'Send' }).click();
    await form.locator('[data-testid=field-error][data-field="/coordinator"]').waitFor();
    // Chosen from Aalborg's people (she is on its list: she signed in), not typed.
    await form.getByTestId('coordinator-select').selectOption({ label: 'alice' });
    await form.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('sent').waitFor();
    await page.getByTestId('coordinator').filter({ hasText: 'alice (Aalborg)' }).waitFor();
    await page.locator(`[data-testid=timeline]:not([data-events="${before}"])`).waitFor();
    expect(Number(await timeline.getAttribute('data-events'))).toBeGreaterThan(before);
    await expect(page.locator('[data-testid=event-list] li[data-type="CoordinatorAssigned"]').count()).resolves.toBe(1);
    // Who looked at what, in Danish: her role and organisation by name, the views read.
    const reads = (await page.getByTestId('audit-reads').textContent()) ?? '';
    expect(reads).toContain('alice (Tovholder, Aalborg)');
    expect(reads).toMatch(/sagen|historikken|fristerne/);
    expect(reads).not.toMatch(/coordinator|municipality:851|events/);
    await session.screenshot('07-case-after-command');
  });

  it('draws the reports as charts and downloads a report as CSV that matches the JSON', async () => {
    await page.getByRole('link', { name: 'Rapporter' }).click();
    await page.getByTestId('capacity-table').waitFor();
    await page.locator('.recharts-surface').first().waitFor();
    await session.screenshot('08-reports');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-capacity').click()]);
    expect(download.suggestedFilename()).toBe('capacity.csv');
    // Read back as a Danish Excel reads it: byte order mark, `;`, decimal comma.
    const csv = parseReportCsv(fs.readFileSync((await download.path())!));
    const json = (await (await stack.as('auditor', 'municipality:851')).get('/v1/reports/capacity')).body;
    json.facilities.forEach((f: Record<string, any>, i: number) => {
      expect(csv.rows[i]).toMatchObject({
        facility: f.id,
        name: f.name,
        places: String(f.places),
        retention_places: String(f.retentionPlaces),
        occupied: String(f.occupied),
        occupied_under_retention: String(f.occupiedUnderRetention),
        awaiting_admission: String(f.awaitingAdmission),
      });
      expectDuration(csv.rows[i], 'longest_wait', f.longestWaitMs);
    });
    expect(csv.rows.map((r) => r.name)).toContain('Familiecentret Vibygård');
  });

  it('includes today’s work in a report whose end date is today', async () => {
    // The case above had its coordinator assigned today: a handling time that ended today.
    const today = inDays(0);
    await expect(page.getByLabel('Til og med', { exact: true }).inputValue()).resolves.toBe(today);
    await page.getByLabel('Fra', { exact: true }).fill(today);
    const json = (
      await (await stack.as('auditor', 'municipality:851')).get(`/v1/reports/handling-times?from=${today}&to=${today}`)
    ).body;
    expect(json.rows.length).toBeGreaterThan(0);
    const table = page.getByTestId('handling-table');
    // The table of the period asked for (the page keeps the last answer while it loads the next).
    await page.locator(`[data-testid=handling-table][data-period="${today}/${today}"]`).waitFor();
    await expect(table.locator('tbody tr').count()).resolves.toBe(json.rows.length);
    await expect(page.getByText('Ingen data i perioden.').count()).resolves.toBe(0);
    await session.screenshot('08-reports-today');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('csv-handling-times').click(),
    ]);
    const csv = parseReportCsv(fs.readFileSync((await download.path())!));
    expect(csv.rows.map((r) => [r.measure, Number(r.count)])).toEqual(
      json.rows.map((r: { measure: string; count: number }) => [r.measure, r.count]),
    );
  });

  it('switches to English, and works at tablet width', async () => {
    await page.getByLabel('Sprog').selectOption('en');
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.getByRole('link', { name: 'My work' }).click();
    await page.getByRole('heading', { name: 'My work' }).waitFor();
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await session.screenshot('09-my-work-tablet-en');
  });

  it('shows another municipality nothing of the case: what the page shows follows the API’s scoping', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Role').selectOption('coordinator');
    await page.getByLabel('Organisation').selectOption('municipality:101');
    await page.getByLabel('User id').fill('bob');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My work' }).waitFor();
    await page.getByText('No open deadlines. Well done.').waitFor();
    await page.getByRole('link', { name: 'Cases' }).click();
    await page.getByText('No cases.').waitFor();
    await page.goto(`${stack.baseUrl}/app/cases/${caseId}`);
    await page.getByText('The case does not exist, or you have no access to it.').waitFor();
    await expect(page.getByTestId('case-page').count()).resolves.toBe(0);
    await session.screenshot('10-other-municipality');
  });

  it('shows an administrator of the municipality less of the case (logistics only), without failing', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Role').selectOption('admin');
    await page.getByLabel('Organisation').selectOption('municipality:851');
    await page.getByLabel('User id').fill('root');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').filter({ hasText: 'root' }).waitFor();
    await page.goto(`${stack.baseUrl}/app/cases/${caseId}`);
    await page.getByTestId('case-page').waitFor();
    await page.getByTestId('timeline').waitFor();
    // The stage is logistics: shown. Consent is a decision, not the administrator's to see: a dash, not "none".
    await expect(page.getByTestId('stage').textContent()).resolves.toBe('Municipality');
    const consent = page.locator('.facts > div', { has: page.locator('dt', { hasText: 'Consent' }) }).locator('dd');
    await expect(consent.textContent()).resolves.toBe('—');
    // The timeline has the events the administrator may see, and no consent or treatment among them.
    const types = await page
      .locator('[data-testid=event-list] li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-type')));
    expect(types).toContain('ConcernRegistered');
    expect(types.filter((t) => /Consent|Treatment|Placement/.test(t ?? ''))).toEqual([]);
    await session.screenshot('11-administrator');
  });

  it('shows the caseworker her earlier case and that contact with her is lost', async () => {
    const mia = await stack.as('municipality', 'municipality:851', 'mia');
    const her = '2104902468';
    const first = await register(mia, concern({ cpr: her }));
    const firstReference = (await mia.get(`/v1/cases/${first}`)).body.reference as string;
    await send(mia, first, 'close-case', { reason: 'pregnancy-ended' });
    const second = await register(mia, concern({ cpr: her }));
    await send(mia, second, 'record-lost-contact');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Role').selectOption('municipality');
    await page.getByLabel('Organisation').selectOption('municipality:851');
    await page.getByLabel('User id').fill('mia');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').filter({ hasText: 'mia' }).waitFor();
    await page.goto(`${stack.baseUrl}/app/cases/${second}`);
    await page.getByTestId('case-page').waitFor();
    await expect(page.getByTestId('earlier-cases').textContent()).resolves.toMatch(
      new RegExp(`^${firstReference}: \\d\\d\\.\\d\\d\\.\\d{4} – \\d\\d\\.\\d\\d\\.\\d{4}, reached Municipality$`),
    );
    await expect(page.getByTestId('contact-lost').textContent()).resolves.toMatch(/^Lost since \d\d\.\d\d\.\d{4}/);
    // Her first case has no earlier one, and contact was never lost there: neither is shown.
    await page.goto(`${stack.baseUrl}/app/cases/${first}`);
    await page.getByTestId('case-page').waitFor();
    await expect(page.getByTestId('earlier-cases').count()).resolves.toBe(0);
    await expect(page.getByTestId('contact-lost').count()).resolves.toBe(0);
    await session.screenshot('12-earlier-case');
  });
});
