import type { Page } from 'playwright-core';
import { BrowserSession } from '@test/support/browser';
import { concern, register } from '@test/support/cases';
import { Stack, type Client } from '@test/support/stack';
import { inDays } from '@test/support/time';

const CPR = '120385-4328';
/** Her name, registered from the form: it must be in no URL the page requests. */
const NAME = 'Ingeborg Sørensen-Lund';
const holdsName = (url: string) => /ingeborg|sørensen|s%c3%b8rensen|rensen-lund/i.test(url);

/**
 * Finding a case on the dashboard's case list in a real headless Chromium: one search box for a
 * reference, her CPR number or her name (sent in a request body, never in a URL), and the filters.
 * Screenshots go to dist/screenshots/dashboard-find/.
 */
describe('finding a case on the dashboard', () => {
  let stack: Stack;
  let session: BrowserSession;
  let page: Page;
  let mia: Client;
  let herCase: string;
  let imminent: string;
  let reference: string;
  /** Every URL the page requested: a CPR number must be in none. */
  const urls: string[] = [];

  const rows = () =>
    page
      .locator('[data-testid=case-list] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-case')));

  async function signIn(role: string, organisation: string, user: string): Promise<void> {
    await session.signIn(stack.baseUrl, { role, organisation, sub: user });
    await page.getByRole('link', { name: 'Sager' }).click();
    await page.getByRole('heading', { name: 'Sager' }).waitFor();
  }

  async function search(text: string): Promise<void> {
    const done = page.waitForResponse((r) => r.url().endsWith('/v1/cases/search') && r.request().method() === 'POST');
    await page.getByLabel('Reference, CPR-nummer eller navn').fill(text);
    await page.getByRole('button', { name: 'Søg', exact: true }).click();
    await done;
  }

  beforeAll(async () => {
    stack = await Stack.start({ env: { DEV_SIGN_IN: 'true' } });
    const gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    mia = await stack.as('municipality', 'municipality:851', 'mia');
    herCase = await register(gp, concern({ cpr: CPR }));
    imminent = await register(gp, concern({ estimatedDueDate: inDays(14) }));
    for (let i = 0; i < 3; i++) await register(gp);
    const all = (await mia.get('/v1/cases?limit=200')).body.items as { id: string; reference: string }[];
    reference = all.find((c) => c.id === herCase)!.reference;
    session = await BrowserSession.open('dashboard-find');
    page = session.page;
    page.on('request', (r) => urls.push(r.url()));
  });

  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  afterEach(() => expect(session.errors).toEqual([]));

  it('finds a case by its reference and by her CPR number as the municipality; the CPR search is recorded, in no URL', async () => {
    await signIn('municipality', 'municipality:851', 'mia');
    await page.locator(`[data-case="${herCase}"]`).waitFor();
    expect(await rows()).toHaveLength(5);

    await search(reference.toLowerCase());
    await page.getByTestId('case-count').getByText('Fundet: 1').waitFor();
    expect(await rows()).toEqual([herCase]);
    await session.screenshot('01-by-reference');

    await search(CPR);
    await page.getByTestId('case-count').getByText('Fundet: 1').waitFor();
    expect(await rows()).toEqual([herCase]);
    await expect(page.locator('[data-testid=case-list]').textContent()).resolves.not.toContain('120385');
    await session.screenshot('02-by-cpr');
    const reads = (await mia.get(`/v1/cases/${herCase}/audit`)).body.reads as {
      reader: { id: string };
      view: string;
    }[];
    expect(reads.filter((r) => r.view === 'cpr-search').map((r) => r.reader.id)).toEqual(['mia']);

    // The filters: with the search cleared, only the case in the birth-imminent weeks.
    await page.getByRole('button', { name: 'Nulstil søgning' }).click();
    await page.locator(`[data-case="${herCase}"]`).waitFor();
    await page.getByLabel('Kun sager med fødsel nært forestående').check();
    await page.getByTestId('case-count').getByText('Fundet: 1').waitFor();
    expect(await rows()).toEqual([imminent]);
    await session.screenshot('03-birth-imminent');

    expect(urls.filter((u) => u.includes('120385') || u.includes('1203854328'))).toEqual([]);
  });

  it('registers her with her name, shows it on the case page and finds her by it on the Sager page; the name in no URL', async () => {
    await page.getByRole('link', { name: 'Mit arbejde' }).click();
    await page.getByRole('button', { name: 'Registrér bekymring' }).click();
    const form = page.getByTestId('register-form');
    await page.locator('#field-estimatedDueDate').fill(inDays(150));
    await page.locator('#field-municipality').selectOption('851');
    await page.locator('#field-referrer-kind').selectOption('gp');
    await form.getByLabel('kokain').check();
    await form.getByLabel('Kvindens fulde navn').fill(NAME);
    await session.screenshot('02a-register-with-name');
    await form.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('case-page').waitFor();
    const named = /\/app\/cases\/([0-9a-f-]{36})$/.exec(page.url())![1];
    await expect(page.getByTestId('name').textContent()).resolves.toBe(NAME);
    await session.screenshot('02b-case-with-name');
    // Corrected from the case page (record-name): the history says only that a name was recorded.
    const more = page.getByTestId('more-actions');
    await more.locator('summary').click();
    await more.locator('button[data-command="record-name"]').click();
    const correct = page.getByTestId('action-form');
    await correct.getByLabel('Kvindens fulde navn').fill(`${NAME} Holt`);
    await correct.getByRole('button', { name: 'Send' }).click();
    await page
      .getByTestId('name')
      .filter({ hasText: `${NAME} Holt` })
      .waitFor();
    await page.locator('[data-testid=event-list] li[data-type="NameRecorded"]').waitFor({ state: 'attached' });
    await expect(page.getByTestId('event-list').textContent()).resolves.not.toContain('Ingeborg');

    await page.getByRole('link', { name: 'Sager' }).click();
    await page.getByRole('heading', { name: 'Sager' }).waitFor();
    await search('sørensen INGEBORG');
    await page.getByTestId('case-count').getByText('Fundet: 1').waitFor();
    expect(await rows()).toEqual([named]);
    await expect(page.locator('[data-testid=case-list]').textContent()).resolves.not.toContain('Ingeborg');
    await session.screenshot('02c-by-name');
    // A word of hers and one of nobody's: no case has both.
    await search('Ingeborg Jensen');
    await page.getByText('Ingen sager passer til søgningen.').waitFor();
    const reads = (await mia.get(`/v1/cases/${named}/audit`)).body.reads as { reader: { id: string }; view: string }[];
    expect(reads.filter((r) => r.view === 'name-search').map((r) => r.reader.id)).toEqual(['mia']);
    expect(urls.filter(holdsName)).toEqual([]);
  });

  it('finds nothing by her CPR number as the referrer, whose part shows no identity: the answer for no match', async () => {
    await page.getByRole('button', { name: 'Log ud' }).click();
    await signIn('referrer', 'gp:hansen', 'dr-hansen');
    await page.locator(`[data-case="${herCase}"]`).waitFor();
    // Stage, deadlines and due date are not shown to her in her referrals: no such filters offered.
    await expect(page.getByLabel('Kun sager med overskredne frister').count()).resolves.toBe(0);
    await expect(page.locator('form[role=search] select').count()).resolves.toBe(2);
    await search(CPR);
    await page.getByText('Ingen sager passer til søgningen.').waitFor();
    await expect(page.getByTestId('case-count').textContent()).resolves.toBe('Fundet: 0');
    await session.screenshot('04-referrer-by-cpr');
    await search('230790-1116');
    await page.getByText('Ingen sager passer til søgningen.').waitFor();
    await expect(page.getByTestId('case-count').textContent()).resolves.toBe('Fundet: 0');
    // Nor by a name: the search sends it in the body, and the answer is the one for no match.
    await search('Ingeborg');
    await page.getByText('Ingen sager passer til søgningen.').waitFor();
    await expect(page.getByTestId('case-count').textContent()).resolves.toBe('Fundet: 0');
    expect(urls.filter(holdsName)).toEqual([]);
  });

  it('pages through more cases than a page holds (50), each case once', async () => {
    const gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    const more: string[] = [];
    for (let batch = 0; batch < 4; batch++)
      more.push(...(await Promise.all(Array.from({ length: 12 }, () => register(gp)))));
    expect(more).toHaveLength(48);
    // 53 cases: the referrer registered them all.
    await page.getByRole('button', { name: 'Nulstil søgning' }).click();
    const pages = page.getByRole('navigation', { name: 'Sider' });
    await pages.getByText('Side 1 af 2').waitFor();
    const first = await rows();
    expect(first).toHaveLength(50);
    await expect(pages.getByRole('button', { name: 'Forrige side' }).isDisabled()).resolves.toBe(true);
    await pages.getByRole('button', { name: 'Næste side' }).click();
    await pages.getByText('Side 2 af 2').waitFor();
    const second = await rows();
    expect(second).toHaveLength(3);
    await expect(pages.getByRole('button', { name: 'Næste side' }).isDisabled()).resolves.toBe(true);
    await session.screenshot('05-page-2');
    expect(new Set([...first, ...second]).size).toBe(53);
    expect([...first, ...second]).toEqual(expect.arrayContaining([herCase, imminent, ...more]));
    await pages.getByRole('button', { name: 'Forrige side' }).click();
    await pages.getByText('Side 1 af 2').waitFor();
    expect(await rows()).toEqual(first);
  });
});
