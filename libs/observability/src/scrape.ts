import type { Gauge } from 'prom-client';
import { metrics, registry } from './metrics';

/** A probe may take this long at a scrape; a slower one is reported down, the rest still answer. */
export const PROBE_TIMEOUT_MS = 700;

interface Probe {
  /** The gauges it sets: emptied when it fails, so that no stale value is reported as current. */
  gauges: Gauge[];
  run: () => Promise<void>;
}

const probes = new Map<string, Probe>();

/**
 * Runs `run` at every scrape (with the others, each within PROBE_TIMEOUT_MS). Returns the function
 * that removes it again (at shutdown).
 */
export function registerProbe(name: string, gauges: Gauge[], run: () => Promise<void>): () => void {
  const probe = { gauges, run };
  probes.set(name, probe);
  return () => {
    if (probes.get(name) === probe) probes.delete(name);
  };
}

/**
 * Drops every value of a gauge, so that it is absent from the scrape (not 0: a 0 would read as a
 * value, such as an empty outbox). `reset` does that for a labelled gauge but sets an unlabelled one to 0.
 */
function clear(gauge: Gauge): void {
  if ((gauge as unknown as { labelNames: string[] }).labelNames.length > 0) gauge.reset();
  else gauge.remove();
}

async function runProbe(name: string, probe: Probe): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe.run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS);
      }),
    ]);
    metrics.probeUp.set({ probe: name }, 1);
  } catch {
    for (const gauge of probe.gauges) clear(gauge);
    metrics.probeUp.set({ probe: name }, 0);
  } finally {
    clearTimeout(timer);
  }
}

/** The registry in Prometheus's text format, after the probes ran (a failed probe never fails the scrape). */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  await Promise.all([...probes].map(([name, probe]) => runProbe(name, probe)));
  return { contentType: registry.contentType, body: await registry.metrics() };
}
