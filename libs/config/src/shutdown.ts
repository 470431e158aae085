import { Logger } from '@nestjs/common';

/** How long a graceful stop (SIGTERM, SIGINT) may take before the process exits anyway. */
export const SHUTDOWN_GRACE_MS = 20_000;

/**
 * Bounds a graceful stop: once SIGTERM or SIGINT arrives, the process exits after `graceMs` even
 * if a close never finishes (BullMQ's Worker.close() can wait forever on a connection that went
 * through a Redis restart: taskforcesh/bullmq#4656). Safe to cut short: PostgreSQL is the truth,
 * and a job held at exit is taken over by another worker when its lock expires.
 */
export function boundShutdown(name: string, graceMs = SHUTDOWN_GRACE_MS): void {
  const arm = (signal: NodeJS.Signals) =>
    setTimeout(() => {
      new Logger(name).warn(`still stopping ${graceMs / 1000} s after ${signal}: exiting now`);
      process.exit(1);
    }, graceMs).unref();
  process.once('SIGTERM', arm);
  process.once('SIGINT', arm);
}
