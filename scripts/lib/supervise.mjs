// Supervision for `npm start`: a process that stops unexpectedly is started again, with backoff.

/** 1 s, 2 s, 4 s … at most 30 s between restarts; a process that ran a minute starts over at 1 s. */
export const BACKOFF = { firstMs: 1_000, maxMs: 30_000, resetAfterMs: 60_000 };

/** The apps exit with this when they refuse their configuration (CONFIG_ERROR_EXIT_CODE in libs/config): not restarted. */
export const CONFIG_ERROR_EXIT_CODE = 78;

/** The wait before the restart that follows `consecutive` earlier ones without a good run between. */
export function restartDelay(consecutive, backoff = BACKOFF) {
  return Math.min(backoff.maxMs, backoff.firstMs * 2 ** consecutive);
}

/**
 * Keeps one process running: `start()` spawns it (a ChildProcess); when it exits while not being
 * stopped, it is started again after restartDelay, and that is logged. `stop()` ends it (SIGTERM,
 * SIGKILL after `killAfterMs`) and restarts nothing more. One that exits refusing its configuration
 * is not restarted: `onConfigError` is called instead.
 */
export function supervise(name, start, { log, onConfigError, backoff = BACKOFF, killAfterMs = 15_000 } = {}) {
  let child = null;
  let stopping = false;
  let restarts = 0;
  let consecutive = 0;
  let timer = null;

  const launch = () => {
    timer = null;
    const startedAt = performance.now();
    const current = start();
    child = current;
    current.once('exit', (code, signal) => {
      if (child === current) child = null;
      if (stopping) return;
      if (code === CONFIG_ERROR_EXIT_CODE) {
        log?.(`the ${name} refuses its configuration (see above); not restarting it`);
        onConfigError?.();
        return;
      }
      const ranMs = performance.now() - startedAt;
      if (ranMs >= backoff.resetAfterMs) consecutive = 0;
      const delay = restartDelay(consecutive, backoff);
      consecutive++;
      restarts++;
      log?.(
        `the ${name} stopped unexpectedly (${signal ?? `exit ${code}`}) after ${(ranMs / 1000).toFixed(1)} s; ` +
          `restarting it in ${delay / 1000} s (restart ${restarts})`,
      );
      timer = setTimeout(launch, delay);
    });
  };
  launch();

  return {
    get child() {
      return child;
    },
    get restarts() {
      return restarts;
    },
    /** Stops it for good; resolves when it has exited. */
    stop(signal = 'SIGTERM') {
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        current.once('exit', resolve);
        current.kill(signal);
        setTimeout(() => current.kill('SIGKILL'), killAfterMs).unref();
      });
    },
  };
}
