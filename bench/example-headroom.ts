/**
 * Issue 14's headroom goal: the example service (examples/rag-service) stays trusted under the full harness up to
 * ≥ 0.9 of the rate it holds with its fakes alone. Two series over the same rates, alternated per rate:
 *   alone: the real fakes process and the service wired to it directly, driven by the bare engine (runLoad);
 *   full:  `./shakedown run bench/scenarios/example-headroom.ts` (Toxiproxy, fakes, recording, health).
 * A rate holds when ≥ 97 % of its arrivals completed, errors ≤ 1 %, p99 ≤ P99_BOUND_MS and (full) results.json
 * says `health.trusted`. Result: the highest holding rate of each series and their ratio.
 * Usage: node bench/example-headroom.ts [--quick] [--seconds 4] [--rates 50,100,150,200,300]
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createRequestSequence } from '../harness/runner/request-source.ts';
import { dataset } from '../harness/scenario/define-scenario.ts';
import { fullRun } from './full-path.ts';
import { QUICK, ROOT, argNumber, bareLoad, f, header, percentile, startFakesProcess } from './lib.ts';

const P99_BOUND_MS = 250;
const seconds = argNumber('seconds', QUICK ? 3 : 4);
const ratesArg = process.argv.indexOf('--rates');
const rates = ratesArg === -1 ? (QUICK ? [50, 100, 200] : [50, 100, 150, 200, 300]) : process.argv[ratesArg + 1].split(',').map(Number);

header(
  'headroom',
  `example service: highest holding rate with its fakes alone vs under the full harness, ${rates.join(' / ')} req/s, ${seconds} s each`,
);
const fakes = await startFakesProcess({ model: { kind: 'model' }, retrieval: { kind: 'retrieval' }, api: { kind: 'inventory' } });
const service = spawn(process.execPath, ['examples/rag-service/server.ts'], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    ...process.env,
    PORT: '0',
    OPENAI_BASE_URL: `${fakes.urls.model}/v1`,
    RETRIEVAL_URL: fakes.urls.retrieval,
    INVENTORY_URL: fakes.urls.api,
  },
});
const listening = await new Promise<string>((resolve) =>
  createInterface({ input: service.stdout! }).on('line', (l) => {
    const m = /listening on (http:\/\/\S+)/.exec(l);
    if (m) resolve(m[1]);
  }),
);
const best = { alone: 0, full: 0 };
try {
  for (const rate of rates) {
    const sequence = createRequestSequence(dataset.ask('/ask') as never, 1);
    const next = () => {
      const r = sequence.next();
      return { method: r.method, path: r.path, headers: r.headers, body: r.body };
    };
    // 1 s warm-up at the rate, discarded (the full run has warmup: '1s' too)
    await bareLoad(
      listening,
      { executor: 'constant-arrival-rate', rate, connections: Math.max(8, rate * 2), duration_ms: 1000 },
      { next, keep: false },
    );
    const { summary, samples } = await bareLoad(
      listening,
      { executor: 'constant-arrival-rate', rate, connections: Math.max(8, rate * 2), duration_ms: seconds * 1000 },
      { next },
    );
    const p99 = percentile(
      samples.map((s) => s.latency_ms),
      99,
    );
    const errors = samples.filter((s) => s.error_kind !== null).length / Math.max(1, samples.length);
    const aloneHolds = summary.completed >= 0.97 * summary.arrivals && errors <= 0.01 && p99 <= P99_BOUND_MS;
    if (aloneHolds) best.alone = Math.max(best.alone, rate);

    const { result, out } = fullRun(
      { BENCH_RATE: String(rate), BENCH_SECONDS: String(seconds) },
      { scenario: 'bench/scenarios/example-headroom.ts', name: 'bench-example-headroom' },
    );
    rmSync(out, { recursive: true, force: true });
    const m = result.phases[0].metrics;
    const fullHolds = result.health.trusted && m.throughput_rps >= 0.97 * rate && m.error_rate <= 0.01 && m.p99_ms <= P99_BOUND_MS;
    if (fullHolds) best.full = Math.max(best.full, rate);
    console.log(
      `${rate} req/s: alone p99 ${f(p99, 1)} ms, errors ${f(errors * 100, 1)} %, completed ${summary.completed}/${summary.arrivals}, harness cpu ${f(summary.health.cpu_cores)} → ${aloneHolds ? 'holds' : 'does not hold'}; ` +
        `full p99 ${m.p99_ms} ms, errors ${f(m.error_rate * 100, 1)} %, ${f(m.throughput_rps, 0)} req/s, trusted ${result.health.trusted}${result.health.flags.length ? ` (${result.health.flags.join('; ')})` : ''} → ${fullHolds ? 'holds' : 'does not hold'}`,
    );
  }
  console.log(
    `headroom result: highest holding rate alone ${best.alone} req/s, full harness ${best.full} req/s, ratio ${f(best.full / best.alone)} (goal ≥ 0.9)`,
  );
} finally {
  service.kill('SIGTERM');
  await fakes.close();
}
