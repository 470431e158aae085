import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { metricNames } from './metrics';

const DOCKER = path.resolve(__dirname, '..', '..', '..', 'docker');
const read = (file: string) => fs.readFileSync(path.join(DOCKER, file), 'utf8');

interface Rule {
  alert: string;
  expr: string;
}

const rules: Rule[] = (parse(read('prometheus/alerts.yml')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (g) => g.rules,
);
const dashboard = JSON.parse(read('grafana/dashboards/pathway.json')) as {
  panels: { title: string; targets: { expr: string }[] }[];
};

/** Every pathway_… name in a PromQL expression. */
const namesIn = (expr: string) => [...expr.matchAll(/\bpathway_[a-zA-Z0-9_]+/g)].map((m) => m[0]);

/** A name the registry defines, or a histogram's series of one (…_bucket, …_sum, …_count). */
function defined(name: string, names: ReadonlySet<string>): boolean {
  return names.has(name) || names.has(name.replace(/_(bucket|sum|count)$/, ''));
}

describe('docker/ prometheus and grafana', () => {
  const names = new Set(metricNames());

  it('name only metrics the registry defines, in every alert rule and dashboard panel', () => {
    const used = [
      ...rules.flatMap((r) => namesIn(r.expr).map((name) => ({ where: `alert ${r.alert}`, name }))),
      ...dashboard.panels.flatMap((p) =>
        p.targets.flatMap((t) => namesIn(t.expr).map((name) => ({ where: `panel "${p.title}"`, name }))),
      ),
    ];
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((u) => !defined(u.name, names))).toEqual([]);
    // The test can fail: a renamed metric is not defined.
    expect(defined('pathway_outbox_oldest_age_secs', names)).toBe(false);
    expect(defined('pathway_timer_firing_lateness_seconds_bucket', names)).toBe(true);
  });

  it('alert on the outbox, firing lateness, workers, dead letters and the eviction policy', () => {
    const byName = Object.fromEntries(rules.map((r) => [r.alert, r.expr]));
    expect(byName).toMatchObject({
      PathwayOutboxStale: expect.stringMatching(/pathway_outbox_oldest_age_seconds\) > 60$/),
      PathwayFiringLate: expect.stringMatching(
        /^histogram_quantile\(0\.99, .*pathway_timer_firing_lateness_seconds_bucket.*\) > 5$/,
      ),
      PathwayNoWorker: expect.stringContaining('up{job="pathway-worker"}'),
      PathwayDeadLettersGrowing: expect.stringContaining('pathway_alerts_dead_lettered_total'),
      PathwayRedisEvictionPolicy: expect.stringContaining('pathway_redis_noeviction'),
    });
  });

  it('scrape both APIs and both workers, with the alert rules loaded', () => {
    const config = parse(read('prometheus/prometheus.yml')) as {
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const targets = Object.fromEntries(
      config.scrape_configs.map((c) => [c.job_name, c.static_configs.flatMap((s) => s.targets)]),
    );
    expect(targets).toEqual({
      'pathway-api': ['api-1:3000', 'api-2:3000'],
      'pathway-worker': ['worker-1:3001', 'worker-2:3001'],
    });
    expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
  });

  it('provision Grafana with the Prometheus data source and the dashboard', () => {
    const datasources = parse(read('grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { uid: string; url: string }[];
    };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ uid: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const providers = parse(read('grafana/provisioning/dashboards/pathway.yml')) as {
      providers: { options: { path: string } }[];
    };
    expect(providers.providers[0].options.path).toBe('/var/lib/grafana/dashboards');
    const compose = parse(read('compose.yaml')) as {
      services: Record<string, { ports?: string[]; volumes?: string[] }>;
    };
    for (const service of ['prometheus', 'grafana'])
      expect(compose.services[service].ports?.every((p) => p.startsWith('127.0.0.1:'))).toBe(true);
    expect(compose.services.grafana.volumes).toContain('./grafana/dashboards:/var/lib/grafana/dashboards:ro');
  });
});
