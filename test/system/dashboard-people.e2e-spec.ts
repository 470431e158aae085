import type { Page } from 'playwright-core';
import { BrowserSession } from '@test/support/browser';
import { concern, register } from '@test/support/cases';
import { Stack } from '@test/support/stack';

/**
 * The organisation's people on the dashboard in a real headless Chromium ("Medarbejdere"): Aalborg's
 * administrator adds a person, renames her and removes another (after a confirmation), the API's
 * refusal shown in Danish; the header names the signed-in person; a coordinator of Aalborg then
 * chooses the added person as the caseworker on a case page, and the case list shows her in its
 * "Sagsbehandler" column; the platform administrator chooses the organisation first. Screenshots go
 * to dist/screenshots/dashboard-people/.
 */
describe('the organisation’s people on the dashboard', () => {
  let stack: Stack;
  let session: BrowserSession;
  let page: Page;
  let caseId: string;

  const row = (id: string) => page.locator(`[data-testid=person][data-person="${id}"]`);

  async function signIn(role: string, organisation: string, sub: string, name = ''): Promise<void> {
    await session.signIn(stack.baseUrl, { role, organisation, sub, name });
  }

  beforeAll(async () => {
    stack = await Stack.start({ env: { DEV_SIGN_IN: 'true' } });
    caseId = await register(await stack.as('referrer', 'gp:hansen', 'dr-hansen'), concern());
    // A colleague in Aalborg's list of people: she has signed in (a request). Administrators are not listed.
    await (await stack.as('municipality', 'municipality:851', 'mia', 'Mia Sørensen')).get('/v1/milestones');
    session = await BrowserSession.open('dashboard-people');
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  afterEach(() => expect(session.errors).toEqual([]));

  it('names the signed-in administrator in the header, her user id beside it, and offers her "Medarbejdere"', async () => {
    await signIn('admin', 'municipality:851', 'kommune-admin', 'Karin Lund');
    const who = page.getByTestId('who');
    await expect(who.textContent()).resolves.toBe('Karin Lund (kommune-admin) · Administrator · municipality:851');
    await expect(who.getByText('Karin Lund').getAttribute('title')).resolves.toBe('kommune-admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Medarbejdere' }).click();
    await page.getByRole('heading', { name: 'Medarbejdere' }).waitFor();
    // Mia is on the list: she signed in, as Kommune; the administrator herself is not (no work is assigned to her).
    await expect(row('mia').getByTestId('known-by').textContent()).resolves.toBe('Logget ind');
    await expect(row('mia').getByTestId('person-name').textContent()).resolves.toBe('Mia Sørensen');
    await expect(row('mia').locator('td').nth(2).textContent()).resolves.toBe('Kommune');
    await expect(row('mia').locator('td').nth(4).textContent()).resolves.not.toBe('—');
    await expect(row('kommune-admin').count()).resolves.toBe(0);
    await session.screenshot('01-people');
  });

  it('adds a person, refuses the same id twice in Danish, renames her and removes another after a confirmation', async () => {
    const form = page.getByTestId('add-person');
    for (const [id, name] of [
      ['jonas', 'Jonas Berg'],
      ['tina', 'Tina Holm'],
    ]) {
      await form.getByLabel('Bruger-id').fill(id);
      await form.getByLabel('Navn').fill(name);
      await form.getByRole('button', { name: 'Tilføj' }).click();
      await row(id).waitFor();
    }
    await expect(page.getByTestId('people-done').textContent()).resolves.toBe('Tina Holm er tilføjet.');
    await expect(row('jonas').getByTestId('known-by').textContent()).resolves.toBe('Tilføjet af administrator');
    await expect(form.getByLabel('Bruger-id').inputValue()).resolves.toBe('');

    await form.getByLabel('Bruger-id').fill('jonas');
    await form.getByLabel('Navn').fill('Jonas Anden');
    await form.getByRole('button', { name: 'Tilføj' }).click();
    await expect(page.getByTestId('people-error').textContent()).resolves.toBe(
      'Medarbejderen står allerede på organisationens liste. (PERSON_EXISTS)',
    );
    await session.screenshot('02-added-and-refused');

    await row('jonas').getByRole('button', { name: 'Omdøb Jonas Berg' }).click();
    await row('jonas').getByLabel('Nyt navn').fill('Jonas Bergholt');
    await row('jonas').getByRole('button', { name: 'Gem' }).click();
    await row('jonas')
      .getByTestId('person-name')
      .filter({ hasText: /^Jonas Bergholt$/ })
      .waitFor();
    await expect(page.getByTestId('people-error').count()).resolves.toBe(0);

    await row('tina').getByRole('button', { name: 'Fjern Tina Holm' }).click();
    await row('tina').getByText('Fjern Tina Holm fra listen?').waitFor();
    await session.screenshot('03-confirm-remove');
    // Cancelled: she stays.
    await row('tina').getByRole('button', { name: 'Fortryd' }).click();
    await row('tina').getByRole('button', { name: 'Fjern Tina Holm' }).click();
    await row('tina').getByTestId('confirm-remove').click();
    await page.getByTestId('people-done').filter({ hasText: 'Tina Holm er fjernet fra listen.' }).waitFor();
    await row('tina').waitFor({ state: 'detached' });
    await expect(row('jonas').count()).resolves.toBe(1);

    const listed = await (
      await stack.as('coordinator', 'municipality:851', 'bo')
    ).get('/v1/organisations/municipality:851/people');
    expect(listed.body.people.map((p: { id: string; name: string }) => [p.id, p.name])).toEqual(
      expect.arrayContaining([['jonas', 'Jonas Bergholt']]),
    );
    expect(listed.body.people.map((p: { id: string }) => p.id)).not.toContain('tina');
    await session.screenshot('04-renamed-removed');
  });

  it('lets a coordinator of Aalborg choose the added person as caseworker, and lists her in the case list; no "Medarbejdere" for her', async () => {
    await signIn('coordinator', 'municipality:851', 'bo');
    // Signed in without a name: her user id, as before.
    await expect(page.getByTestId('who').textContent()).resolves.toBe('bo · Tovholder · municipality:851');
    await expect(page.getByRole('navigation').getByRole('link', { name: 'Medarbejdere' }).count()).resolves.toBe(0);
    await page.goto(`${stack.baseUrl}/app/cases/${caseId}`);
    const panel = page.getByTestId('case-people');
    const caseworker = panel.getByLabel('Sagsbehandler', { exact: true });
    await caseworker.locator('option', { hasText: 'Jonas Bergholt' }).waitFor({ state: 'attached' });
    const options = await caseworker.locator('option').allTextContents();
    expect(options).toContain('Jonas Bergholt');
    expect(options).not.toContain('Tina Holm');
    await caseworker.selectOption({ label: 'Jonas Bergholt' });
    await panel.getByTestId('assign-caseworker').getByRole('button', { name: 'Tildel' }).click();
    await panel.getByTestId('caseworker').filter({ hasText: 'Jonas Bergholt' }).waitFor();
    await session.screenshot('05-caseworker-chosen');

    await page.getByRole('navigation').getByRole('link', { name: 'Sager' }).click();
    const listed = page.locator(`[data-testid=case-list] tr[data-case="${caseId}"]`);
    await expect(listed.getByTestId('caseworker').textContent()).resolves.toBe('Jonas Bergholt');
    await expect(page.getByRole('columnheader', { name: 'Sagsbehandler' }).count()).resolves.toBe(1);
    await session.screenshot('06-case-list-caseworker');
  });

  it('has the platform administrator choose the organisation first', async () => {
    await signIn('admin', 'pathway:platform', 'root');
    await page.getByRole('navigation').getByRole('link', { name: 'Medarbejdere' }).click();
    await page.getByTestId('people-organisation').selectOption('municipality:851');
    await row('jonas').getByTestId('person-name').filter({ hasText: 'Jonas Bergholt' }).waitFor();
    await session.screenshot('07-platform');
  });
});
