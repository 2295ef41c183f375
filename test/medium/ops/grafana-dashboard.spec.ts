import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, startTestApp } from '../../support/app';

interface Target {
  expr: string;
  datasource: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Target[];
}

const dashboard = JSON.parse(readFileSync('docs/grafana-dashboard.json', 'utf8'));
const panels: Panel[] = dashboard.panels;
const graphs = panels.filter((panel) => panel.type !== 'row');
const PROMETHEUS = { type: 'prometheus', uid: '${DS_PROMETHEUS}' };

describe('docs/grafana-dashboard.json, importable as is', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('asks for its Prometheus datasource at import, and every panel and query uses it', () => {
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
    expect(dashboard.id).toBeNull();
    for (const panel of graphs) {
      expect(panel.datasource, panel.title).toEqual(PROMETHEUS);
      for (const target of panel.targets ?? []) expect(target.datasource, panel.title).toEqual(PROMETHEUS);
    }
  });

  it('has the panels an operator looks for', () => {
    const titles = graphs.map((panel) => panel.title.toLowerCase()).join(' | ');
    for (const topic of ['queue', 'latency', 'failures', 'receipts', 'accounts by status', 'reconnects', 'lease', 'webhook deliveries', 'webhook backlog', 'oldest undelivered']) expect(titles).toContain(topic);
    const latency = graphs.find((panel) => panel.title.toLowerCase().includes('latency'))!;
    expect(latency.targets!.map((target) => target.expr)).toEqual([expect.stringContaining('histogram_quantile(0.5,'), expect.stringContaining('histogram_quantile(0.99,')]);
  });

  it('lays panels out on the 24-column grid without overlaps, with unique ids', () => {
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    const taken = new Set<string>();
    for (const { gridPos, title } of panels) {
      expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x++) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y++) {
          expect(taken.has(`${x},${y}`), `${title} overlaps at ${x},${y}`).toBe(false);
          taken.add(`${x},${y}`);
        }
      }
    }
  });

  it('queries only metrics the app exports', async () => {
    const exported = new Set([...String((await t.request('GET', '/metrics')).body).matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]));
    const queried = new Set(graphs.flatMap((panel) => (panel.targets ?? []).flatMap((target) => [...target.expr.matchAll(/\b((?:whatsapp|nodejs|process)_\w+)/g)].map((match) => match[1]))));
    expect(queried.size).toBeGreaterThan(10);
    for (const metric of queried) expect(exported, metric).toContain(metric.replace(/_(bucket|count|sum)$/, ''));
  });
});
