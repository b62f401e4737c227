/**
 * B6 (issue 5): arrival pacing at 200 req/s. The harness's open model (runLoad constant-arrival-rate) vs stock
 * autocannon 9.0.0 `overallRate` (the library's own run loop), same server, connections and duration,
 * alternated, repeats. Gaps between request starts as the server saw them (bench/servers/serve.ts --record,
 * its performance.now() at each request), and for the harness also from its own send stamps. Achieved rate =
 * (n − 1) / (last − first arrival); gap CV = sd / mean; robust CV = 1.4826 × MAD / median. Goal: rate within
 * 1 %, gap CV ≤ 0.1.
 * Usage: node bench/pacing.ts [--quick] [--rate 200] [--seconds 3] [--repeats 3]
 */
import { createRequire } from 'node:module';
import { QUICK, argNumber, bareLoad, f, header, median, startServer } from './lib.ts';

const rate = argNumber('rate', 200);
const seconds = argNumber('seconds', 3);
const repeats = argNumber('repeats', QUICK ? 2 : 3);
const autocannon = createRequire(import.meta.url)('autocannon') as (o: Record<string, unknown>) => Promise<unknown>;

function gapStats(times: number[]) {
  const t = [...times].sort((a, b) => a - b);
  const gaps = t.slice(1).map((x, i) => x - t[i]);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((a, b) => a + (b - mean) ** 2, 0) / gaps.length);
  const med = median(gaps);
  const mad = median(gaps.map((g) => Math.abs(g - med)));
  return { n: t.length, rate: ((t.length - 1) / (t.at(-1)! - t[0])) * 1000, cv: sd / mean, robust: (1.4826 * mad) / med, median: med };
}
const show = (s: ReturnType<typeof gapStats>) =>
  `${s.n} requests, rate ${f(s.rate, 1)} req/s (${f((100 * (s.rate - rate)) / rate, 2)} %), gap CV ${f(s.cv, 3)}, robust CV ${f(s.robust, 3)}, median gap ${f(s.median, 3)} ms`;

header('B6', `arrival pacing at ${rate} req/s, ${seconds} s each, 8 connections, ${repeats} repeats; gaps as the server saw them`);
const server = await startServer('trivial', { record: true });
const arrivals = async () => (await (await fetch(`${server.url}/__arrivals`)).json()) as number[];
try {
  const ours: Array<ReturnType<typeof gapStats>> = [];
  const stock: Array<ReturnType<typeof gapStats>> = [];
  await arrivals();
  for (let i = 0; i < repeats; i++) {
    const run = await bareLoad(server.url, { executor: 'constant-arrival-rate', rate, connections: 8, duration_ms: seconds * 1000 });
    const o = gapStats(await arrivals());
    const sent = gapStats(run.samples.map((s) => s.sent_ms));
    await autocannon({ url: server.url, overallRate: rate, duration: seconds, connections: 8 });
    const st = gapStats(await arrivals());
    ours.push(o);
    stock.push(st);
    console.log(
      `repeat ${i + 1}: harness at the server: ${show(o)}; from its send stamps: CV ${f(sent.cv, 3)}, robust ${f(sent.robust, 3)}; late ${run.summary.late.count} (max ${f(run.summary.late.max_ms, 1)} ms), event-loop p99 ${f(run.summary.health.event_loop_delay_p99_ms)} ms`,
    );
    console.log(`          stock autocannon overallRate at the server: ${show(st)}`);
  }
  const m = (xs: typeof ours, k: 'rate' | 'cv' | 'robust') => median(xs.map((x) => x[k]));
  console.log(
    `B6 result: harness rate error ${f((100 * (m(ours, 'rate') - rate)) / rate, 2)} % (goal within 1 %), gap CV ${f(m(ours, 'cv'), 3)} (goal ≤ 0.1), robust CV ${f(m(ours, 'robust'), 3)}; ` +
      `stock overallRate: rate error ${f((100 * (m(stock, 'rate') - rate)) / rate, 2)} %, gap CV ${f(m(stock, 'cv'), 3)}, robust CV ${f(m(stock, 'robust'), 3)}; CV ratio stock/harness ${f(m(stock, 'cv') / m(ours, 'cv'), 1)}`,
  );
} finally {
  await server.close();
}
