import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { axeViolations, BrowserSession } from '@test/support/browser';
import { concern, register, send } from '@test/support/cases';
import { inDays, waitFor } from '@test/support/time';
import { Stack, type Client } from '@test/support/stack';

/**
 * The dashboard's accessibility in a real headless Chromium against the real API and worker (the
 * seconds-scale policy, so alerts fire within the test): axe-core's WCAG 2.0/2.1 A and AA rules on
 * every view in Danish and in English, the main tasks done with the keyboard alone, and the layout at
 * laptop and tablet widths. Screenshots at tablet width go to dist/screenshots/dashboard-a11y/.
 */
const POLICY = path.resolve(__dirname, '..', 'policies', 'seconds.json');

const TEXTS = {
  da: { signIn: 'Log ind', signOut: 'Log ud' },
  en: { signIn: 'Sign in', signOut: 'Sign out' },
} as const;
type Language = keyof typeof TEXTS;

interface View {
  name: string;
  path: string;
  /** What the view shows once its data has loaded. */
  ready: string[];
}

/** Relative luminance of `rgb(r, g, b)` (WCAG 2). */
function luminance(colour: string): number {
  const [r, g, b] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map((c) => {
    const s = Number(c) / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * What is wrong on the page as it is: axe-core's WCAG 2 A/AA rules (axe injected into the page), and the
 * contrast of the charts' text, which axe leaves for review (text drawn in an SVG); one line per finding.
 */
async function violations(page: Page, view: string): Promise<string[]> {
  const lines = await axeViolations(page, view);
  const lowContrast = new Map<string, string[]>();
  for (const t of await chartTexts(page)) {
    const ratio = contrast(t.colour, t.background);
    // All the charts' text is small (under 18 px): 4.5:1.
    if (ratio >= 4.5) continue;
    const finding = `${view}: chart text in ${t.colour} on ${t.background} (${ratio.toFixed(2)}:1)`;
    lowContrast.set(finding, [...(lowContrast.get(finding) ?? []), `"${t.text}"`]);
  }
  return [...lines, ...[...lowContrast].map(([finding, texts]) => `${finding}, e.g. ${texts.slice(0, 3).join(', ')}`)];
}

/** The text of the charts (SVG text and the legend) as drawn: its colour and the first opaque background behind it. */
function chartTexts(page: Page): Promise<{ text: string; colour: string; background: string }[]> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document;
    const view = doc.defaultView;
    return [...doc.querySelectorAll('.recharts-wrapper text, .recharts-legend-item-text')]
      .filter((e: any) => e.textContent.trim() && e.getBoundingClientRect().width > 0)
      .map((e: any) => {
        let background = 'rgb(255, 255, 255)';
        for (let el = e; el; el = el.parentElement) {
          const c = view.getComputedStyle(el).backgroundColor;
          if (c.startsWith('rgb(')) {
            background = c;
            break;
          }
        }
        const style = view.getComputedStyle(e);
        return {
          text: e.textContent.trim(),
          colour: e instanceof view.SVGElement ? style.fill : style.color,
          background,
        };
      })
      .filter((t: { colour: string }) => t.colour.startsWith('rgb'));
  });
}

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab', max = 60): Promise<void> {
  await target.waitFor();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    if (await target.evaluate((e: any) => e === e.ownerDocument.activeElement)) return;
  }
  throw new Error(`${target} was not reached with ${max} × ${key}`);
}

/** Whether the element is drawn within the viewport's width and below its top (a skip link parked off-screen is not). */
async function onScreen(target: Locator): Promise<boolean> {
  const box = await target.boundingBox();
  const { width } = target.page().viewportSize()!;
  return !!box && (await target.isVisible()) && box.x >= 0 && box.y >= 0 && box.x + box.width <= width;
}

/**
 * The focused control's focus indicator: its outline, and how it contrasts with what is painted just
 * outside it (the first opaque background there), which WCAG 2.1 (1.4.11) wants at 3:1 or more.
 */
async function focusRing(target: Locator): Promise<{ width: number; style: string; contrast: number }> {
  const ring = await target.evaluate((e: any) => {
    const view = e.ownerDocument.defaultView;
    const style = view.getComputedStyle(e);
    const box = e.getBoundingClientRect();
    const x = Math.max(0, box.left - parseFloat(style.outlineOffset) - parseFloat(style.outlineWidth) - 1);
    const behind = e.ownerDocument
      .elementsFromPoint(x, box.top + box.height / 2)
      .map((el: any) => view.getComputedStyle(el).backgroundColor as string)
      .find((c: string) => c.startsWith('rgb('));
    return {
      focused: e === e.ownerDocument.activeElement,
      width: parseFloat(style.outlineWidth),
      style: style.outlineStyle as string,
      colour: style.outlineColor as string,
      behind: behind as string,
    };
  });
  if (!ring.focused) throw new Error(`${target} does not have the focus`);
  return { width: ring.width, style: ring.style, contrast: Math.round(contrast(ring.colour, ring.behind) * 10) / 10 };
}

/** A focus indicator is drawn on the focused control (an outline), and stands out from what is around it. */
async function expectVisibleFocus(target: Locator): Promise<void> {
  const ring = await focusRing(target);
  const seen = { control: `${target}`, outline: `${ring.width}px ${ring.style}`, contrast: `${ring.contrast}:1` };
  expect({ ...seen, visible: ring.style !== 'none' && ring.width >= 2 && ring.contrast >= 3 }).toEqual({
    ...seen,
    visible: true,
  });
}

describe('the dashboard’s accessibility in a browser', () => {
  let stack: Stack;
  let alice: Client;
  let session: BrowserSession;
  let page: Page;
  let caseId: string;
  /** A referral of gp:hansen's. */
  let referral: string;
  let views: Record<'work' | 'alerts' | 'cases' | 'case' | 'reports' | 'caseloads', View>;

  /** The inbox's one card of the late case's coordinator-assignment (its breach and escalations). */
  const breach = () =>
    page.locator(`[data-testid=alert][data-case="${caseId}"][data-milestone="coordinator-assignment-1"]`);

  /** Loads a view afresh and waits for its data. */
  async function open(view: View): Promise<void> {
    await page.goto(`${stack.baseUrl}${view.path}`);
    for (const selector of view.ready) await page.locator(selector).first().waitFor();
  }

  /** Signed in through the page as Henviser of gp:hansen, in Danish: her referrals page. */
  async function signedInAsReferrer(): Promise<void> {
    await signedOut('da');
    await page.getByLabel('Rolle').selectOption('referrer');
    await page.getByLabel('Organisation').selectOption('gp:hansen');
    await page.getByLabel('Bruger-id').fill('dr-hansen');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.locator(`[data-testid=referral][data-case="${referral}"] [data-testid=handoff]`).first().waitFor();
  }

  /** What sticks out of a phone's screen (390 px): sideways scrolling of the page, and the elements matched outside it. */
  async function cutOff(view: string, selector: string): Promise<string[]> {
    const problems: string[] = [];
    const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
    if (scrollWidth > 390) problems.push(`${view}: the page is ${scrollWidth} px wide`);
    const outside = await page.locator(selector).evaluateAll((els) =>
      els
        .filter((e) => {
          const box = e.getBoundingClientRect();
          return box.width > 0 && (box.left < 0 || box.right > 390);
        })
        .map((e) => `${e.tagName.toLowerCase()} "${(e.textContent ?? '').trim().slice(0, 30)}"`),
    );
    if (outside.length) problems.push(`${view}: outside the screen: ${outside.join(', ')}`);
    return problems;
  }

  /** The sign-in page in `language`, signed out. */
  async function signedOut(language: Language): Promise<void> {
    await page.goto(`${stack.baseUrl}/app/`);
    // "Mit arbejde" shows her organisation's queue (nothing is assigned to her): the work items to check.
    await page.evaluate(
      `sessionStorage.clear(); localStorage.setItem('pathway.language', '${language}'); localStorage.setItem('pathway.work.scope', 'organisation')`,
    );
    await page.reload();
    await page.getByRole('button', { name: TEXTS[language].signIn }).waitFor();
  }

  beforeAll(async () => {
    stack = await Stack.start({
      workers: 1,
      // The views are checked as several people, signed in through the page a dozen times within minutes:
      // more than the sign-in limit per address (10 a minute), which this test does not check.
      env: {
        PATHWAY_POLICY_FILE: POLICY,
        DEV_SIGN_IN: 'true',
        RECONCILE_INTERVAL_MS: '2000',
        JOB_LOCK_MS: '2000',
        RATE_LIMIT_SIGN_IN: '100',
      },
    });
    alice = await stack.as('coordinator', 'municipality:851', 'alice');
    // One case left to run late (its coordinator-assignment alerts fill the inbox), and one due in two
    // weeks (birth imminent) whose coordinator is assigned in time (a handling time for the reports).
    caseId = await register(alice, concern({ substances: ['alcohol', 'cocaine'] }));
    // A GP's referral, sent on to the clinic and the municipality: the referrer's page has a card to show.
    const gp = await stack.as('referrer', 'gp:hansen', 'dr-hansen');
    referral = await register(gp, concern());
    await send(gp, referral, 'refer-to-clinic');
    await send(gp, referral, 'notify-municipality');
    const imminent = await register(alice, concern({ estimatedDueDate: inDays(14) }));
    await send(alice, imminent, 'assign-coordinator', {
      coordinator: { id: 'alice', name: 'Alice Jensen', organisation: 'municipality:851' },
    });
    await waitFor(
      `every alert of ${caseId} up to escalation 2`,
      async () =>
        ((await alice.get(`/v1/alerts?caseId=${caseId}`)).body.items as { id: string }[] | undefined)?.some(
          (a) => a.id === `${caseId}.coordinator-assignment-1.escalation-2`,
        ),
      { everyMs: 500 },
    );

    views = {
      work: { name: 'my-work', path: '/app/', ready: ['[data-testid=work-item]'] },
      alerts: {
        name: 'alerts',
        path: '/app/alerts',
        ready: ['[data-testid=stream-state].live', '[data-testid=alert]'],
      },
      cases: { name: 'cases', path: '/app/cases', ready: [`a[href="/app/cases/${imminent}"]`] },
      case: {
        name: 'case',
        path: `/app/cases/${caseId}`,
        ready: ['[data-testid=timeline] .recharts-surface', '[data-testid=audit-reads] tr'],
      },
      reports: {
        name: 'reports',
        path: '/app/reports',
        ready: [
          '[data-testid=handling-table]',
          '[data-testid=annual-table]',
          '[data-testid=capacity-table]',
          '.recharts-surface',
        ],
      },
      caseloads: { name: 'caseloads', path: '/app/caseloads', ready: ['[data-testid=caseload][data-person=alice]'] },
    };
    // bypassCSP: axe-core is injected as an inline script, which the page's policy forbids. The policy
    // allows inline styles, so what the checks see is what a user's browser shows.
    session = await BrowserSession.open('dashboard-a11y', { width: 1366, height: 900 }, { bypassCSP: true });
    page = session.page;
  });

  afterAll(async () => {
    await session?.close();
    await stack?.stop();
  });

  afterEach(() => expect(session.errors).toEqual([]));

  it.each(['da', 'en'] as const)(
    'has no WCAG 2 A/AA violations on any view (axe-core), in %s',
    async (language) => {
      const found: string[] = [];
      await signedOut(language);
      await expect(page.evaluate('document.documentElement.lang')).resolves.toBe(language);
      found.push(...(await violations(page, 'sign-in')));
      await page.getByRole('button', { name: TEXTS[language].signIn }).click();
      await page.getByRole('button', { name: TEXTS[language].signOut }).waitFor();

      for (const view of Object.values(views)) {
        await open(view);
        await expect(page.evaluate('document.documentElement.lang')).resolves.toBe(language);
        found.push(...(await violations(page, view.name)));
      }
      // The case list searched, with a filter on: the search form, the count and the answer for no match.
      await open(views.cases);
      await page.locator('form[role=search] input[type=search]').fill('ZZZZZZ');
      await page.locator('form[role=search] input[type=checkbox]').first().check();
      await page.locator('form[role=search] button[type=submit]').click();
      await page.getByTestId('case-count').filter({ hasText: ': 0' }).waitFor();
      found.push(...(await violations(page, 'cases-searched')));
      // A card just acknowledged (not the breach's: the keyboard test acknowledges that one), in the
      // Kvitterede tab, with the filters in use.
      await open(views.alerts);
      const alert = page
        .locator('[data-testid=alert][data-status=open]:not([data-milestone="coordinator-assignment-1"])')
        .first();
      const taken = `[data-testid=alert][data-case="${await alert.getAttribute('data-case')}"][data-milestone="${await alert.getAttribute('data-milestone')}"]`;
      await alert.locator('form input').fill('Set.');
      await alert.locator('button[type=submit]').click();
      await page.getByTestId('acknowledged-count').waitFor();
      await page.getByTestId('inbox-filters').locator('select').first().selectOption('critical');
      found.push(...(await violations(page, 'alerts-filtered')));
      await page.getByTestId('inbox-filters').locator('select').first().selectOption('');
      await page.getByTestId('tab-acknowledged').click();
      await page.locator(`${taken}[data-status=acknowledged]`).waitFor();
      found.push(...(await violations(page, 'alerts-acknowledged')));
      // The forms: registering a concern with the API's field errors shown, and a case action.
      await open(views.work);
      await page.locator('.title-row button.primary').click();
      const form = page.getByTestId('register-form');
      await form.locator('button[type=submit]').click();
      await form.getByTestId('field-error').first().waitFor();
      found.push(...(await violations(page, 'register-form-with-errors')));
      await open(views.case);
      await page.locator('button[data-command]').first().click();
      await page.getByTestId('action-form').waitFor();
      found.push(...(await violations(page, 'case-action-form')));
      // Her own work: the deadlines of the case she coordinates.
      await open(views.work);
      const mine = page.waitForResponse((r) => r.url().includes('/v1/milestones?') && r.url().includes('mine=true'));
      await page.locator('[data-testid=work-scope] input[value=mine]').check();
      await mine;
      await page.locator('[data-testid=work-item]').first().waitFor();
      found.push(...(await violations(page, 'my-work-mine')));
      await page.locator('[data-testid=work-scope] input[value=organisation]').check();

      expect(found).toEqual([]);
    },
    90_000,
  );

  it('works with the keyboard alone: sign in, skip link, navigation, acknowledge, a case action; focus is visible', async () => {
    await signedOut('da');
    // The sign-in form in order, its defaults kept.
    await tabTo(page, page.getByLabel('Rolle'), 'Tab', 1);
    await tabTo(page, page.getByLabel('Organisation'), 'Tab', 1);
    await tabTo(page, page.getByLabel('Bruger-id'), 'Tab', 1);
    await tabTo(page, page.getByLabel('Visningsnavn (valgfrit)'), 'Tab', 1);
    const signIn = page.getByRole('button', { name: 'Log ind' });
    await tabTo(page, signIn, 'Tab', 1);
    await expectVisibleFocus(signIn);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Mit arbejde' }).waitFor();

    // The skip link comes first, shows when focused, and moves the focus past the header.
    const skip = page.getByRole('link', { name: 'Spring til indhold' });
    await expect(onScreen(skip)).resolves.toBe(false);
    await tabTo(page, skip, 'Tab', 1);
    await expect(onScreen(skip)).resolves.toBe(true);
    await expectVisibleFocus(skip);
    await page.keyboard.press('Enter');
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('main');
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement.closest("main") !== null')).resolves.toBe(true);

    // The navigation, backwards from the content: Alarmer, opened with Enter.
    const alertsLink = page.getByRole('navigation').getByRole('link', { name: /Alarmer/ });
    await tabTo(page, alertsLink, 'Shift+Tab');
    await expectVisibleFocus(alertsLink);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Alarmer' }).waitFor();

    // Acknowledge the breach with a note: type it, press Enter.
    const note = breach().getByLabel('Note (valgfri)');
    await tabTo(page, note);
    await expectVisibleFocus(note);
    await page.keyboard.type('Ringer i dag.');
    await page.keyboard.press('Enter');
    // Taken: the card leaves the open alerts for the Kvitterede tab.
    await page.getByTestId('acknowledged-count').waitFor();
    await expect(breach().count()).resolves.toBe(0);
    const stored = await alice.get(`/v1/alerts?caseId=${caseId}&status=acknowledged`);
    expect(stored.body.items.map((a: { id: string }) => a.id)).toContain(`${caseId}.coordinator-assignment-1.breach`);
    // The note is free text, so clinical (disclosure policy): not in the alert, but in the case's
    // events for those who see clinical detail (the responsible municipality).
    const events = (await (await stack.as('municipality', 'municipality:851', 'mia')).get(`/v1/cases/${caseId}/events`))
      .body.events as { type: string; data: { alert?: string; note?: string } }[];
    expect(events.filter((e) => e.type === 'AlertAcknowledged').map((e) => [e.data.alert, e.data.note])).toContainEqual(
      ['coordinator-assignment-1.breach', 'Ringer i dag.'],
    );

    // To the Kvitterede tab, and open the case from the card there; open the assign-coordinator form, fill it and send it.
    const acknowledgedTab = page.getByTestId('tab-acknowledged');
    await tabTo(page, acknowledgedTab, 'Shift+Tab');
    await expectVisibleFocus(acknowledgedTab);
    await page.keyboard.press('Enter');
    const caseLink = breach().and(page.locator('[data-status="acknowledged"]')).getByRole('link');
    await tabTo(page, caseLink);
    await page.keyboard.press('Enter');
    await page.getByTestId('case-page').waitFor();
    const assign = page.locator('button[data-command="assign-coordinator"]');
    await tabTo(page, assign);
    await expectVisibleFocus(assign);
    await page.keyboard.press('Enter');
    await expect(assign.getAttribute('aria-expanded')).resolves.toBe('true');
    const form = page.getByTestId('action-form');
    // The coordinator is chosen from the organisation's people (she is on its list: she signed in), not typed.
    const coordinator = form.locator('#field-coordinator');
    await tabTo(page, coordinator);
    await expectVisibleFocus(coordinator);
    await page.keyboard.type('alice');
    await expect(coordinator.locator('option:checked').textContent()).resolves.toBe('alice');
    const submit = form.getByRole('button', { name: 'Send' });
    await tabTo(page, submit);
    await expectVisibleFocus(submit);
    await page.keyboard.press('Enter');
    await page.getByTestId('sent').waitFor();
    await page.getByTestId('coordinator').filter({ hasText: 'alice (Aalborg)' }).waitFor();
  });

  it.each([
    { width: 1366, height: 900, screenshots: false },
    { width: 820, height: 1180, screenshots: true },
    { width: 1180, height: 820, screenshots: true },
  ])(
    'holds its layout at $width×$height: no page-level horizontal scrolling, navigation and sign-out in view, no WCAG 2 A/AA violations',
    async ({ width, height, screenshots }) => {
      await page.setViewportSize({ width, height });
      const overflow = () =>
        page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      const problems: string[] = [];

      await signedOut('da');
      if ((await overflow()) > 0) problems.push(`sign-in scrolls ${await overflow()} px sideways`);
      if (screenshots) await session.screenshot(`${width}x${height}-sign-in`);
      await page.getByRole('button', { name: 'Log ind' }).click();
      await page.getByRole('heading', { name: 'Mit arbejde' }).waitFor();

      for (const view of Object.values(views)) {
        await open(view);
        if ((await overflow()) > 0) problems.push(`${view.name} scrolls ${await overflow()} px sideways`);
        if (!(await onScreen(page.getByRole('navigation'))))
          problems.push(`${view.name}: the navigation is out of view`);
        if (!(await onScreen(page.getByRole('button', { name: 'Log ud' }))))
          problems.push(`${view.name}: sign-out is out of view`);
        problems.push(...(await violations(page, `${view.name} at ${width}×${height}`)));
        if (screenshots) await session.screenshot(`${width}x${height}-${view.name}`);
      }
      expect(problems).toEqual([]);
    },
    90_000,
  );

  it('shows the inbox at a phone’s width (390 px) without cut-off: no sideways scrolling, every card within the screen, no WCAG 2 A/AA violations, open and acknowledged', async () => {
    // A case of its own: its first card comes within seconds, whatever the tests before took.
    const fresh = await register(alice, concern());
    await page.setViewportSize({ width: 390, height: 844 });
    await signedOut('da');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.getByRole('heading', { name: 'Mit arbejde' }).waitFor();
    const problems: string[] = [];
    for (const tab of ['open', 'acknowledged']) {
      await open(views.alerts);
      await page.getByTestId(`tab-${tab}`).click();
      await page
        .locator(
          tab === 'open'
            ? `[data-testid=alert][data-case="${fresh}"]`
            : '[data-testid=alert][data-status=acknowledged]',
        )
        .first()
        .waitFor();
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      if (overflow > 0) problems.push(`the ${tab} alerts scroll ${overflow} px sideways`);
      const cut = await page
        .locator('section.inbox, section.inbox [data-testid=alert], section.inbox form, section.inbox fieldset')
        .evaluateAll((els) =>
          els
            .filter((e) => {
              const box = e.getBoundingClientRect();
              return box.left < 0 || box.right > 390 || e.scrollWidth > e.clientWidth;
            })
            .map((e) => e.getAttribute('data-testid') ?? e.tagName),
        );
      if (cut.length) problems.push(`the ${tab} alerts cut off: ${cut.join(', ')}`);
      problems.push(...(await violations(page, `alerts (${tab}) at 390×844`)));
      await session.screenshot(`390x844-alerts-${tab}`);
    }
    expect(problems).toEqual([]);
  });
  it.each([
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ])(
    'shows the referrer’s page at $width×$height without violations (axe-core), sideways scrolling or cut-off, in Danish and English',
    async ({ width, height }) => {
      await page.setViewportSize({ width, height });
      await signedInAsReferrer();
      const problems: string[] = [];
      for (const language of ['da', 'en'] as const) {
        if (language === 'en') {
          await page.getByLabel('Sprog').selectOption('en');
          await page.getByRole('heading', { name: 'My referrals' }).waitFor();
        }
        problems.push(...(await violations(page, `referrals (${language}) at ${width}×${height}`)));
        if (width === 390)
          problems.push(
            ...(await cutOff(`referrals (${language})`, '[data-testid=referral], [data-testid=referral] li, .pill')),
          );
        await session.screenshot(`${width}x${height}-referrals-${language}`);
      }
      await page.getByLabel('Language').selectOption('da');
      expect(problems).toEqual([]);
    },
    90_000,
  );

  it.each([
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ])(
    'shows "Medarbejdere" to the administrator at $width×$height without violations (axe-core), sideways scrolling or cut-off, in Danish and English, a removal awaiting confirmation',
    async ({ width, height }) => {
      await page.setViewportSize({ width, height });
      await signedOut('da');
      await page.getByLabel('Rolle').selectOption('admin');
      await page.getByLabel('Organisation').selectOption('municipality:851');
      await page.getByLabel('Bruger-id').fill('kommune-admin');
      await page.getByLabel('Visningsnavn (valgfrit)').fill('Karin Lund');
      await page.getByRole('button', { name: 'Log ind' }).click();
      await page.getByRole('button', { name: 'Log ud' }).waitFor();
      await open({ name: 'people', path: '/app/people', ready: ['[data-testid=person][data-person=alice]'] });
      const problems: string[] = [];
      for (const language of ['da', 'en'] as const) {
        if (language === 'en') {
          await page.getByLabel('Sprog').selectOption('en');
          await page.getByRole('heading', { name: 'People' }).waitFor();
        }
        problems.push(...(await violations(page, `people (${language}) at ${width}×${height}`)));
        if (width === 390)
          problems.push(
            ...(await cutOff(`people (${language})`, '[data-testid=person], [data-testid=person] td, form')),
          );
        await session.screenshot(`${width}x${height}-people-${language}`);
      }
      // A removal awaiting confirmation, and a rename open.
      await page.locator('[data-testid=person][data-person=alice] [data-testid=rename]').click();
      await page.locator('[data-testid=person][data-person=alice] input').waitFor();
      await page.locator('[data-testid=person][data-person=alice] [data-testid=remove]').click();
      await page.getByTestId('confirm-remove').waitFor();
      problems.push(...(await violations(page, `people (confirm, rename) at ${width}×${height}`)));
      if (width === 390) problems.push(...(await cutOff('people (confirm, rename)', '[data-testid=person] td, form')));
      await session.screenshot(`${width}x${height}-people-confirm`);
      await page.getByLabel('Language').selectOption('da');
      expect(problems).toEqual([]);
    },
    90_000,
  );

  it('shows Mit arbejde, the case list and a case at a phone’s width (390 px): no sideways scrolling, every cell within the screen, no WCAG 2 A/AA violations', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signedOut('da');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.getByRole('button', { name: 'Log ud' }).waitFor();
    const problems: string[] = [];

    await open(views.work);
    problems.push(...(await cutOff('my-work', '[data-testid=work-item], [data-testid=work-item] td')));
    problems.push(...(await violations(page, 'my-work at 390×844')));
    await session.screenshot('390x844-my-work');

    await open(views.cases);
    problems.push(...(await cutOff('cases', '[data-testid=case-list] tr, [data-testid=case-list] td')));
    problems.push(...(await violations(page, 'cases at 390×844')));
    await session.screenshot('390x844-cases');

    await open(views.case);
    // The deadline table with one deadline's explanation open.
    const explain = page.getByTestId('explain').first();
    await explain.click();
    await page.locator(`#${await explain.getAttribute('aria-controls')}`).waitFor();
    problems.push(...(await cutOff('case', 'main h1, main section, main dl, main button, main td, main th')));
    problems.push(...(await violations(page, 'case at 390×844')));
    await session.screenshot('390x844-case');
    expect(problems).toEqual([]);
  });
});
