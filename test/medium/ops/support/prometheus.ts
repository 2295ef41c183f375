import { TestApp } from '../../../support/app';

/** One scrape of `/metrics`, as `name{label="value",...}` → value (labels sorted by name). */
export type Scrape = Map<string, number>;

/** Scrapes as Prometheus does: no API key. */
export async function scrape(t: TestApp): Promise<Scrape> {
  const response = await t.app.inject({ method: 'GET', url: '/metrics' });
  if (response.statusCode !== 200) throw new Error(`/metrics answered ${response.statusCode}: ${response.body}`);
  return parseExposition(response.body);
}

export function parseExposition(text: string): Scrape {
  const samples: Scrape = new Map();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) continue;
    const labels = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => [name, value] as const);
    samples.set(seriesKey(match[1], Object.fromEntries(labels)), Number(match[3]));
  }
  return samples;
}

/** The value of one series; 0 when it has not been exported yet (a counter that never moved). */
export function valueOf(samples: Scrape, name: string, labels: Record<string, string> = {}): number {
  return samples.get(seriesKey(name, labels)) ?? 0;
}

function seriesKey(name: string, labels: Record<string, string>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((label) => `${label}="${labels[label]}"`);
  return pairs.length > 0 ? `${name}{${pairs.join(',')}}` : name;
}
