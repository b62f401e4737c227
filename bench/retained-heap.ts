/**
 * B8 companion: is the harness's RSS growth in a long run retained memory or garbage not yet collected? Runs
 * the CLI in this process (harness/cli/main.ts, as bin.ts does) with `--expose-gc`, forces a full GC every
 * 10 s and prints the live heap (heapUsed after GC) and RSS, then the growth per 1,000 samples. Array buffers
 * (HDR histogram buckets among them) live outside the V8 heap: their growth is printed beside it.
 * Scenario: bench/scenarios/full-path.ts (fixed-answer server, scored; BENCH_RATE req/s, BENCH_SECONDS) or
 * `--soak` for the example service with all three fakes at `--rate`.
 * The CLI runs in this process, so the launcher's V8 flags (`./shakedown`) apply only when given here too:
 * `node --expose-gc --max-semi-space-size=16 --heap-growing-percent=50 bench/retained-heap.ts`.
 * Usage: node --expose-gc bench/retained-heap.ts [--seconds 60] [--rate 300]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../harness/cli/main.ts';
import { ROOT, argNumber, f, header } from './lib.ts';

const seconds = argNumber('seconds', 60);
const rate = argNumber('rate', 300);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
header('B8 heap', `live heap after forced GC during a ${seconds} s full run at ${rate} req/s (bench/scenarios/full-path.ts)`);
Object.assign(process.env, { BENCH_EXECUTOR: 'rate', BENCH_RATE: String(rate), BENCH_SECONDS: String(seconds) });
const out = mkdtempSync(join(tmpdir(), 'shakedown-bench-'));
const started = performance.now();
const points: Array<{ t: number; heap: number; rss: number; arrayBuffers: number }> = [];
const timer = setInterval(() => {
  gc();
  const m = process.memoryUsage();
  points.push({
    t: (performance.now() - started) / 1000,
    heap: m.heapUsed / 2 ** 20,
    rss: m.rss / 2 ** 20,
    arrayBuffers: m.arrayBuffers / 2 ** 20,
  });
  console.log(
    `t ${f(points.at(-1)!.t, 0)} s: live heap ${f(points.at(-1)!.heap, 1)} MB, rss ${f(points.at(-1)!.rss, 1)} MB, external ${f(m.external / 2 ** 20, 1)} MB, array buffers ${f(m.arrayBuffers / 2 ** 20, 1)} MB`,
  );
}, 10_000);
const sink = { write: () => true } as unknown as NodeJS.WritableStream;
const code = await main(['run', join(ROOT, 'bench/scenarios/full-path.ts'), '--seed', '1', '--out', out, '--quiet'], {
  stdout: sink,
  stderr: process.stderr,
  cwd: ROOT,
  signal: new AbortController().signal,
} as never);
clearInterval(timer);
rmSync(out, { recursive: true, force: true });
const inRun = points.filter((p) => p.t > 12 && p.t < seconds);
if (inRun.length >= 2) {
  const [a, b] = [inRun[0], inRun.at(-1)!];
  const samples = (b.t - a.t) * rate;
  console.log(
    `B8 heap result (exit ${code}): live heap ${f(a.heap, 1)} → ${f(b.heap, 1)} MB from ${f(a.t, 0)} s to ${f(b.t, 0)} s: ${f(((b.heap - a.heap) * 1024) / (samples / 1000), 1)} KB per 1,000 samples (${f((b.heap - a.heap) / ((b.t - a.t) / 60), 1)} MB per minute); array buffers (outside the V8 heap: HDR histogram buckets, socket buffers) ${f(a.arrayBuffers, 1)} → ${f(b.arrayBuffers, 1)} MB; rss ${f(a.rss, 1)} → ${f(b.rss, 1)} MB`,
  );
}
