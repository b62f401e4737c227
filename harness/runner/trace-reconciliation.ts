import type { FakesProcess } from './fakes-process.ts';

/**
 * Joins the fakes' request logs to the samples by trace id (the SUT forwards `traceparent` or
 * `x-shakedown-sample-id`): how many measured samples reached at least one dependency.
 */
export async function traceReconciliation(fakes: FakesProcess, names: string[], seed: number, measured: ReadonlySet<number>) {
  const prefix = (seed >>> 0).toString(16).padStart(8, '0');
  const seen = new Set<number>();
  let fake_requests = 0;
  let dropped = 0;
  let untraced = 0;
  for (const name of names) {
    const page = await fakes.log(name, 0).catch(() => undefined);
    if (!page) continue;
    dropped += page.dropped;
    for (const e of page.entries) {
      fake_requests++;
      const id = e.trace_id;
      const key = id === null ? NaN : /^[0-9a-f]{32}$/.test(id) && id.startsWith(prefix) ? Number.parseInt(id.slice(8), 16) : Number(id);
      if (Number.isInteger(key) && measured.has(key)) seen.add(key);
      else if (id === null) untraced++;
    }
  }
  const notes: string[] = [];
  if (dropped) notes.push(`${dropped} fake log entries fell out of the ring (50,000 per fake): traced_by_fakes is a lower bound`);
  if (untraced) notes.push(`${untraced} dependency calls carried no trace id (the SUT did not forward traceparent or x-shakedown-sample-id)`);
  return { traced: seen.size, fake_requests, notes };
}
