import type { Page } from 'playwright-core';
import { BrowserSession } from '@test/support/browser';
import { concern, register } from '@test/support/cases';
import { Stack } from '@test/support/stack';

/**
 * Who does the work, on the dashboard in a real headless Chromium: "Mit arbejde" shows hers by
 * default and her organisation's on a toggle it remembers; on the case page a caseworker and a
 * coordinator are chosen from the organisation's people (never typed) and a deadline is taken; the
 * case list filters by caseworker; "Sagsbelastning" counts each person's load. Screenshots go to
 * dist/screenshots/dashboard-own/.
 */
describe('owning the work on the dashboard', () => {
  let stack: Stack;
  let session: BrowserSession;
  let page: Page;
  let caseId: string;

  const workItem = () =>
    page.locator(`[data-testid=work-item][data-case="${caseId}"][data-milestone="coordinator-assignment-1"]`);

  beforeAll(async () => {
    stack = await Stack.start({ env: { DEV_SIGN_IN: 'true' } });
    const gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    caseId = await register(gp, concern());
    // Two colleagues in Aalborg's list of people: they have signed in (a request each).
    await (await stack.as('municipality', 'municipality:851', 'mia', 'Mia Sørensen')).get('/v1/milestones');
    await (await stack.as('coordinator', 'municipality:851', 'bo', 'Bo Holm')).get('/v1/milestones');
    session = await BrowserSession.open('dashboard-own');
    page = session.page;
    await session.signIn(stack.baseUrl, {
      role: 'coordinator',
      organisation: 'municipality:851',
      sub: 'alice',
      name: 'Alice Jensen',
    });
  });

  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  afterEach(() => expect(session.errors).toEqual([]));

  it('shows her own work by default, and her organisation’s queue on the toggle, remembered', async () => {
    await page.getByRole('heading', { name: 'Mit arbejde' }).waitFor();
    await expect(page.getByRole('radio', { name: 'Mine' }).isChecked()).resolves.toBe(true);
    await page.getByText('Ingen åbne frister. Godt arbejde.').waitFor();
    await session.screenshot('01-mine-empty');
    await page.getByRole('radio', { name: 'Min organisation' }).check();
    await workItem().waitFor();
    // Nobody does it yet: "Ansvarlig" is the organisation.
    await expect(workItem().getByTestId('owner').textContent()).resolves.toBe('Aalborg');
    await session.screenshot('02-organisation');
    await page.reload();
    await workItem().waitFor();
    await expect(page.getByRole('radio', { name: 'Min organisation' }).isChecked()).resolves.toBe(true);
  });

  it('assigns the caseworker from the list of people and takes a deadline on the case page', async () => {
    await workItem().getByRole('link').click();
    const panel = page.getByTestId('case-people');
    await panel.waitFor();
    await expect(panel.getByTestId('caseworker').textContent()).resolves.toBe('Ingen');
    const caseworker = panel.getByLabel('Sagsbehandler', { exact: true });
    await expect(caseworker.locator('option').allTextContents()).resolves.toEqual([
      'Vælg medarbejder',
      'Ingen (fjern tildeling)',
      'Alice Jensen',
      'Bo Holm',
      'Mia Sørensen',
    ]);
    await caseworker.selectOption({ label: 'Mia Sørensen' });
    await panel.getByTestId('assign-caseworker').getByRole('button', { name: 'Tildel' }).click();
    await panel.getByTestId('caseworker').filter({ hasText: 'Mia Sørensen' }).waitFor();
    const row = panel.locator('tr[data-milestone="coordinator-assignment-1"]');
    await row.getByRole('button', { name: 'Tag fristen' }).click();
    await row.getByTestId('assignee').filter({ hasText: 'Alice Jensen' }).waitFor();
    await session.screenshot('03-case-people');
  });

  it('shows the deadline she took as hers, with her as "Ansvarlig"', async () => {
    await page.getByRole('link', { name: 'Mit arbejde' }).click();
    await page.getByRole('radio', { name: 'Mine' }).check();
    await workItem().getByTestId('owner').filter({ hasText: 'Alice Jensen' }).waitFor();
    await session.screenshot('04-mine');
  });

  it('filters the case list by caseworker, chosen from the people', async () => {
    await page.getByRole('link', { name: 'Sager' }).click();
    const filter = page.getByTestId('filter-caseworker');
    await filter.waitFor();
    await filter.selectOption({ label: 'Mia Sørensen' });
    const listed = page.locator(`[data-testid=case-list] tbody tr[data-case="${caseId}"]`);
    await listed.waitFor();
    await page.getByTestId('case-count').filter({ hasText: ': 1' }).waitFor();
    // Its caseworker in the list, beside its coordinator.
    await expect(listed.getByTestId('caseworker').textContent()).resolves.toBe('Mia Sørensen');
    await filter.selectOption({ label: 'Bo Holm' });
    await page.getByTestId('case-count').filter({ hasText: ': 0' }).waitFor();
  });

  it('counts each person’s load on "Sagsbelastning"', async () => {
    await page.getByRole('link', { name: 'Sagsbelastning' }).click();
    const mia = page.locator('[data-testid=caseload][data-person=mia]');
    await mia.waitFor();
    await expect(mia.getByTestId('as-caseworker').textContent()).resolves.toBe('1');
    const alice = page.locator('[data-testid=caseload][data-person=alice]');
    await expect(alice.getByTestId('open-milestones').textContent()).resolves.toBe('1');
    await expect(alice.getByTestId('as-caseworker').textContent()).resolves.toBe('0');
    await session.screenshot('05-caseloads');
  });

  it('assigns the coordinator by choosing a person, without typing an id, name or organisation', async () => {
    await page.goto(`${stack.baseUrl}/app/cases/${caseId}`);
    await page.locator('button[data-command="assign-coordinator"]').click();
    const form = page.getByTestId('action-form');
    await form.getByTestId('coordinator-select').selectOption({ label: 'Bo Holm' });
    await expect(form.locator('input[type=text]').count()).resolves.toBe(0);
    await session.screenshot('06-assign-coordinator');
    await form.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('coordinator').filter({ hasText: 'Bo Holm' }).waitFor();
  });
});
