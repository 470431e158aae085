import fs from 'node:fs';
import path from 'node:path';
import type { Result as AxeViolation, RunOptions } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { clockMoved, testNow, TIMEOUT } from './time';

const ROOT = path.resolve(__dirname, '..', '..');

/** Where the browser tests leave their screenshots for review (build output: not committed). */
export const SCREENSHOT_DIR = path.join(ROOT, 'dist', 'screenshots');

/** Debian's Chromium (npm test installs it), or the one CHROMIUM_PATH names. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => !!p,
  );
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found)
    throw new Error(
      "Chromium is missing: run the tests with `npm test`, which installs Debian's chromium, or set CHROMIUM_PATH",
    );
  return found;
}

/** A headless Chromium with a Danish browser in Copenhagen, as the dashboard's users have. */
export class BrowserSession {
  /** Errors the page threw (uncaught): a test ends with none. */
  readonly errors: string[] = [];

  private constructor(
    readonly browser: Browser,
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly folder: string,
  ) {}

  /**
   * `bypassCSP` lets a test inject a script of its own (such as axe-core) into the page, which the page's
   * content security policy forbids otherwise; off by default.
   */
  static async open(
    name: string,
    viewport = { width: 1366, height: 900 },
    options: { bypassCSP?: boolean } = {},
  ): Promise<BrowserSession> {
    const browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=da-DK'],
    });
    const context = await browser.newContext({
      viewport,
      locale: 'da-DK',
      timezoneId: 'Europe/Copenhagen',
      acceptDownloads: true,
      bypassCSP: options.bypassCSP ?? false,
    });
    context.setDefaultTimeout(TIMEOUT.condition);
    // The browser's clock is the tests' clock: the page's "today" (the reports' default period) and
    // its session's expiry are the service's, as on a machine whose clock is right.
    if (clockMoved) await context.clock.install({ time: testNow() });
    const page = await context.newPage();
    const folder = path.join(SCREENSHOT_DIR, name);
    fs.rmSync(folder, { recursive: true, force: true });
    fs.mkdirSync(folder, { recursive: true });
    const session = new BrowserSession(browser, context, page, folder);
    page.on('pageerror', (e) => session.errors.push(e.message));
    return session;
  }

  /**
   * Signs in through the page's development sign-in, as a new visitor in Danish (session and stored
   * choices cleared), and waits until the page is signed in.
   */
  async signIn(baseUrl: string, as: { role: string; organisation: string; sub: string; name?: string }): Promise<void> {
    await this.page.goto(`${baseUrl}/app/`);
    await this.page.evaluate(
      `sessionStorage.clear(); localStorage.clear(); localStorage.setItem('pathway.language', 'da')`,
    );
    await this.page.reload();
    await this.page.getByLabel('Rolle').selectOption(as.role);
    await this.page.getByLabel('Organisation').selectOption(as.organisation);
    await this.page.getByLabel('Bruger-id').fill(as.sub);
    if (as.name !== undefined) await this.page.getByLabel('Visningsnavn (valgfrit)').fill(as.name);
    await this.page.getByRole('button', { name: 'Log ind' }).click();
    await this.page.getByRole('button', { name: 'Log ud' }).waitFor();
  }

  /** A full-page screenshot, `<SCREENSHOT_DIR>/<test name>/<file>.png`; returns its path. */
  async screenshot(file: string): Promise<string> {
    const target = path.join(this.folder, `${file}.png`);
    await this.page.screenshot({ path: target, fullPage: true });
    return target;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_A_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core's WCAG 2.0/2.1 A and AA findings on the page as it is, one line per node, named by `view`
 * (axe is injected as an inline script: open the session with `bypassCSP`).
 */
export async function axeViolations(page: Page, view: string): Promise<string[]> {
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.addScriptTag({ content: AXE });
  const options: RunOptions = { runOnly: { type: 'tag', values: WCAG_A_AA } };
  const found: AxeViolation[] = await page.evaluate(
    (o) => (globalThis as any).axe.run(o).then((r: { violations: unknown }) => r.violations),
    options,
  );
  return found.flatMap((v) =>
    v.nodes.map(
      (n) =>
        `${view}: ${v.id} (${v.impact}) at ${n.target.join(' ')}${n.any[0]?.message ? ` – ${n.any[0].message}` : ''}`,
    ),
  );
}
