// Chorus's /metrics as a bench reads it: one scrape, and one sample's value.
import { BENCH_API_KEY } from './chorus-process.ts';

/** Scrapes /metrics with the bench's API key; answers the text and how long it took. */
export async function scrapeMetrics(url: string): Promise<{ ms: number; text: string }> {
  const started = performance.now();
  const answer = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${BENCH_API_KEY}` } });
  const text = await answer.text();
  if (answer.status !== 200) throw new Error(`/metrics answered ${answer.status}: ${text}`);
  return { ms: performance.now() - started, text };
}

/** A sample's value in an exposition. */
export function metricValue(text: string, name: string): number {
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
}
