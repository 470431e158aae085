import type { Page } from 'playwright-core';
import { axeViolations, BrowserSession } from '@test/support/browser';
import { concern, register } from '@test/support/cases';
import { Stack } from '@test/support/stack';
import { inDays } from '@test/support/time';

const CPR = '120385-4328';

/**
 * The Danish page speaks Danish: a command form's help, what is wrong with each field (phrased from
 * the rule the API names) and a refusal (by its code), in a real headless Chromium against the real
 * API; English stays complete. Screenshots go to dist/screenshots/dashboard-danish/.
 */
describe('the dashboard in Danish: help, field problems and refusals', () => {
  let stack: Stack;
  let session: BrowserSession;
  let page: Page;
  let reference: string;

  const problem = (field: string) => page.locator(`[data-testid=field-error][data-field="${field}"]`);
  const problems = () =>
    page
      .getByTestId('field-error')
      .evaluateAll((es) => Object.fromEntries(es.map((e) => [e.getAttribute('data-field'), e.textContent])));

  beforeAll(async () => {
    stack = await Stack.start({ env: { DEV_SIGN_IN: 'true' } });
    const gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    const open = await register(gp, concern({ cpr: CPR }));
    reference = (await gp.get(`/v1/cases/${open}`)).body.reference;
    // bypassCSP: axe-core is injected as an inline script.
    session = await BrowserSession.open('dashboard-danish', { width: 1366, height: 900 }, { bypassCSP: true });
    page = session.page;
    await session.signIn(stack.baseUrl, { role: 'municipality', organisation: 'municipality:851', sub: 'mia' });
    await page.getByRole('heading', { name: 'Mit arbejde' }).waitFor();
  });

  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  afterEach(() => expect(session.errors).toEqual([]));

  it('shows Danish help under the fields and says in Danish what is wrong with each', async () => {
    await page.getByRole('button', { name: 'Registrér bekymring' }).click();
    const form = page.getByTestId('register-form');
    await expect(page.locator('#field-cpr-help').textContent()).resolves.toBe(
      'Hendes CPR-nummer (DDMMÅÅ-XXXX). Gemmes krypteret og skrives aldrig i loggen.',
    );
    await expect(page.locator('#field-referrer-kind-help').textContent()).resolves.toBe(
      'Hvilken slags fagperson eller sted.',
    );
    // The help is what a screen reader reads with the field.
    await expect(page.locator('#field-cpr').getAttribute('aria-describedby')).resolves.toBe('field-cpr-help');

    await form.getByRole('button', { name: 'Send' }).click();
    await problem('/substances').waitFor();
    expect(await problems()).toEqual({
      '/estimatedDueDate': 'skal udfyldes',
      '/municipality': 'skal udfyldes',
      '/referrer': 'skal udfyldes',
      '/substances': 'skal udfyldes',
    });

    await page.locator('#field-estimatedDueDate').fill(inDays(150));
    await page.locator('#field-municipality').selectOption('851');
    await page.locator('#field-referrer-kind').selectOption('gp');
    await page.locator('#field-referrer-name').fill('L'.repeat(201));
    await form.getByLabel('kokain').check();
    await page.locator('#field-cpr').fill('3102901234');
    await page.locator('#field-note').fill('Hun gav sit CPR-nummer 010190-1234 i telefonen.');
    await form.getByRole('button', { name: 'Send' }).click();
    await problem('/note').waitFor();
    expect(await problems()).toEqual({
      '/referrer/name': 'må højst være 200 tegn',
      '/cpr': 'skal være et CPR-nummer (DDMMÅÅ-XXXX med en rigtig dato)',
      '/note': 'må ikke indeholde et CPR-nummer',
    });
    await expect(page.locator('#field-cpr').getAttribute('aria-describedby')).resolves.toBe(
      'field-cpr-help field-cpr-problem',
    );
    await session.screenshot('01-field-problems');
    expect(await axeViolations(page, 'register form with problems')).toEqual([]);
  });

  it('says a refusal in Danish, with its code and the open case it names', async () => {
    const form = page.getByTestId('register-form');
    await page.locator('#field-referrer-name').fill('Lægehuset Hansen');
    await page.locator('#field-cpr').fill(CPR);
    await page.locator('#field-note').fill('Set til 12-ugers-konsultationen.');
    await form.getByRole('button', { name: 'Send' }).click();
    const refusal = page.getByTestId('form-error');
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toBe(
      `Hun har allerede en åben sag. Registrér bekymringen i den sag i stedet. Den åbne sag: ${reference}. (CASE_ALREADY_OPEN)`,
    );
    await expect(page.getByTestId('field-error').count()).resolves.toBe(0);
    await session.screenshot('02-refusal');
    expect(await axeViolations(page, 'register form refused')).toEqual([]);
  });

  it('gives the reports’ definitions in Danish', async () => {
    await page.getByRole('link', { name: 'Rapporter' }).click();
    const definitions = page.locator('details').filter({ hasText: 'Definitioner' }).first();
    await definitions.locator('summary').click();
    await expect(definitions.locator('li').last().textContent()).resolves.toBe(
      'Kun samlede tal: ingen sag, person eller CPR-nummer indgår i rapporten.',
    );
    await session.screenshot('03-report-definitions');
    await page.getByRole('link', { name: 'Mit arbejde' }).click();
    await page.getByRole('button', { name: 'Registrér bekymring' }).click();
  });

  it('says the same in English on the English page, also what was said before the language changed', async () => {
    const form = page.getByTestId('register-form');
    await form.getByRole('button', { name: 'Send' }).click();
    await expect(problem('/estimatedDueDate').textContent()).resolves.toBe('skal udfyldes');
    await page.getByLabel('Sprog').selectOption('en');
    await expect(problem('/estimatedDueDate').textContent()).resolves.toBe('is required');
    await expect(page.locator('#field-cpr-help').textContent()).resolves.toBe(
      'Her CPR number (DDMMYY-XXXX). Stored encrypted and never logged.',
    );
    await page.locator('#field-estimatedDueDate').fill(inDays(150));
    await page.locator('#field-municipality').selectOption('851');
    await page.locator('#field-referrer-kind').selectOption('gp');
    await form.getByLabel('cocaine').check();
    await page.locator('#field-cpr').fill('3102901234');
    await form.getByRole('button', { name: 'Send' }).click();
    await expect(problem('/cpr').textContent()).resolves.toBe('must be a CPR number (DDMMYY-XXXX with a real date)');
    await expect(page.getByTestId('field-error').count()).resolves.toBe(1);
    await page.locator('#field-cpr').fill(CPR);
    await form.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByTestId('form-error').textContent()).resolves.toBe(
      `She already has an open case. Record the concern in that case instead. The open case: ${reference}. (CASE_ALREADY_OPEN)`,
    );
    await session.screenshot('04-english');
    expect(await axeViolations(page, 'register form in English')).toEqual([]);
  });
});
