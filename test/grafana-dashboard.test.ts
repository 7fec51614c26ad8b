import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startFakeUpstream } from './support/fake-upstream.js';
import { startGateway } from './support/gateway.js';

interface Panel {
  title: string;
  description: string;
  targets: Array<{ expr: string }>;
}

const DASHBOARD = JSON.parse(
  readFileSync(new URL('../deploy/grafana/gateway-dashboard.json', import.meta.url), 'utf8'),
) as { panels: Panel[] };
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The metric families a PromQL expression reads (histogram series by their family name). */
const metricsIn = (expr: string) =>
  [...expr.matchAll(/\bgateway_[a-z_]+/g)].map(([name]) => name.replace(/_(bucket|count|sum)$/, ''));

describe('the Grafana dashboard (deploy/grafana/gateway-dashboard.json)', () => {
  it('queries only metrics the gateway exposes, and every panel is described in the README', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });
    const exposed = new Set([...(await gateway.metrics()).matchAll(/^# TYPE (\S+) /gm)].map(([, name]) => name ?? ''));

    const queried = DASHBOARD.panels.flatMap((panel) => panel.targets.flatMap((target) => metricsIn(target.expr)));
    expect(queried.length).toBeGreaterThan(10);
    expect(queried.filter((name) => !exposed.has(name))).toEqual([]);
    for (const panel of DASHBOARD.panels) {
      expect(panel.description.length, panel.title).toBeGreaterThan(20);
      expect(README, `README describes the "${panel.title}" panel`).toContain(`**${panel.title}**`);
    }
  });

  it('notices a metric that does not exist', () => {
    expect(metricsIn('sum(rate(gateway_no_such_metric_total[5m])) / gateway_x_bucket')).toEqual([
      'gateway_no_such_metric_total',
      'gateway_x',
    ]);
  });
});
