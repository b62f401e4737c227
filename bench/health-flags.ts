/**
 * Harness-health check (issue 5): a B2-style full run (bench/scenarios/full-path.ts, fixed-answer server) at
 * rates this machine cannot sustain, then what results.json `health` says. Also one run at a sustainable rate
 * (must stay trusted). Each run 4 s of measured load.
 *   sustainable: 200 req/s;  over-driven: 20,000 req/s with 64 connections (arrivals queue for a connection)
 *   and 6,000 req/s with 1,000 connections (the load generator's own event loop is the limit).
 * Usage: node bench/health-flags.ts [--quick]
 */
import { rmSync } from 'node:fs';
import { fullRun } from './full-path.ts';
import { QUICK, f, header } from './lib.ts';

const cases = [
  { name: 'sustainable 200 req/s', rate: 200, connections: 16 },
  { name: 'over-driven 20,000 req/s, 64 connections', rate: 20_000, connections: 64 },
  ...(QUICK ? [] : [{ name: 'over-driven 6,000 req/s, 1,000 connections', rate: 6000, connections: 1000 }]),
];
header('health', 'do the harness-health flags fire when the load generator is saturated? (full runs, 4 s each)');
for (const c of cases) {
  const { result, out } = fullRun({
    BENCH_EXECUTOR: 'rate',
    BENCH_RATE: String(c.rate),
    BENCH_CONNECTIONS: String(c.connections),
    BENCH_SECONDS: '4',
  });
  rmSync(out, { recursive: true, force: true });
  const h = result.health;
  const m = result.phases[0].metrics;
  console.log(
    `${c.name}: achieved ${f(m.throughput_rps, 0)} req/s, p50 ${m.p50_ms} ms, p99 ${m.p99_ms} ms; trusted ${h.trusted}; late ${h.late_arrivals} (max ${h.max_lateness_ms} ms); load event-loop p99 ${h.load_event_loop_delay_p99_ms} ms; flags: ${h.flags.length ? h.flags.map((x: string) => `\n    - ${x}`).join('') : 'none'}`,
  );
}
