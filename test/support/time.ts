import { addDays, localDate } from '@app/pathway';

/**
 * Time in the tests, from one place.
 *
 * The clock: `PATHWAY_TEST_NOW` (an ISO instant; `npm run test:calendar` sets a few hard ones) starts
 * every test file at that instant: each stack runs its apps on a clock file that shows it (tokens
 * are issued and judged on it too), the browser's clock shows it, and expectations are computed
 * from {@link testNow}. Unset, the clock is the machine's.
 *
 * The timeouts: how long a test may wait for something the service does within seconds on an idle
 * machine. `PATHWAY_TEST_TIME_FACTOR` (default 1) multiplies them all, for a slower machine; they
 * bound a failure and cost nothing when the condition comes sooner.
 */
const NOW = process.env.PATHWAY_TEST_NOW;
const startedAt = NOW === undefined ? NaN : Date.parse(NOW);
if (NOW !== undefined && !Number.isFinite(startedAt)) throw new Error(`PATHWAY_TEST_NOW is not an ISO instant: ${NOW}`);
const offsetMs = NOW === undefined ? 0 : startedAt - Date.now();

/** Whether this run moves the clock (PATHWAY_TEST_NOW). */
export const clockMoved = NOW !== undefined;

/** Now, on the tests' clock: the instant the stacks' apps see. */
export const testNow = (): Date => new Date(Date.now() + offsetMs);

/** The Copenhagen date `days` from today on the tests' clock: what due dates and gestational age count in. */
export const inDays = (days: number): string => addDays(localDate(testNow()), days);

const factor = Number(process.env.PATHWAY_TEST_TIME_FACTOR ?? '1');
if (!(factor >= 1))
  throw new Error(`PATHWAY_TEST_TIME_FACTOR must be a number ≥ 1: ${process.env.PATHWAY_TEST_TIME_FACTOR}`);

/** `ms` on this run's scale (PATHWAY_TEST_TIME_FACTOR). */
export const scaled = (ms: number): number => Math.round(ms * factor);

export const TIMEOUT = {
  /** A test, and a beforeAll that starts stacks (jest's default here: see time-setup.ts). */
  test: scaled(180_000),
  /**
   * Something the service does within seconds on an idle machine (a timer fired, a delivery made, a
   * process started); on two busy cores, a burst of them has taken half a minute.
   */
  condition: scaled(60_000),
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/**
 * Polls `probe` until it returns something truthy, and returns that; fails after `timeoutMs` with
 * what was awaited (a function: described at the failure) and the last value seen. Waits for a
 * condition, never for a fixed time.
 */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => Promise<T> | T,
  { timeoutMs = TIMEOUT.condition, everyMs = 100 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) {
      const described = typeof what === 'function' ? what() : what;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${described} (last: ${JSON.stringify(value)})`);
    }
    await sleep(everyMs);
  }
}
