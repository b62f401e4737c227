/**
 * B8 (issue 5): a long run at 500 req/s with faults cycling (latency, dependency down, 503s, resets, stale
 * documents), through bench/soak.ts (the issue 6 soak: example RAG service, all three fakes, a fault every
 * `--every` s, /proc probes of RSS and open file descriptors of the harness, fakes, SUT and Toxiproxy every
 * 5–30 s). This adds the B8 figures: the harness's RSS growth after warm-up (first probe 30 s after the
 * harness's first output, to the last probe before teardown), its descriptor count early vs late, and the size
 * of the run's files.
 * Goal: RSS growth ≤ 50 MB, no handle growth. Issue 5 asks for 10 minutes; `--minutes` shortens it on a busy
 * machine (say so with the figures).
 * The harness runs through the `./shakedown` launcher (its V8 flags); `--node-flags="FLAGS"` (passed on to soak.ts)
 * runs `node FLAGS harness/cli/bin.ts` instead, `--node-flags=` plain node: the before/after of those flags.
 * Usage: node bench/long-run.ts [--minutes 10] [--rate 500] [--every 30] [--keep] (keep the run folder) [--node-flags="FLAGS"]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, TOOLS_PATH, argNumber, f, header } from './lib.ts';

const minutes = argNumber('minutes', 10);
const rate = argNumber('rate', 500);
const every = argNumber('every', 30);
header('B8', `${minutes}-minute run at ${rate} req/s, a fault every ${every} s (bench/soak.ts)`);
const out = mkdtempSync(join(tmpdir(), 'shakedown-b8-'));
const nodeFlags = process.argv.find((a) => a.startsWith('--node-flags='));
const r = spawnSync(
  process.execPath,
  [
    join(ROOT, 'bench/soak.ts'),
    '--minutes',
    String(minutes),
    '--rate',
    String(rate),
    '--every',
    String(every),
    '--out',
    out,
    ...(nodeFlags ? [nodeFlags] : []),
  ],
  {
    cwd: ROOT,
    env: { ...process.env, PATH: TOOLS_PATH },
    encoding: 'utf8',
    timeout: (minutes * 60 + 300) * 1000,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const summary = JSON.parse(readFileSync(join(out, 'soak-summary.json'), 'utf8'));
type Probe = { t_s: number; load1?: number; fds: Record<string, number | null>; rss_mb: Record<string, number | null> };
const probes = (summary.probes as Probe[]).slice(0, -1); // the last probe may fall into teardown
const after = probes.filter((p) => p.t_s >= (summary.first_output_s ?? 0) + 30); // 30 s after the harness printed its first line
const first = after[0];
const last = after.at(-1);
const files = summary.run_dir
  ? readdirSync(summary.run_dir).map((n: string) => `${n} ${f(statSync(join(summary.run_dir, n)).size / 1e6, 2)} MB`)
  : [];
console.log(
  `harness started as: ${summary.settings.harness}; load average: mean of the 1-minute value over the probes ${summary.load_average?.mean_1min_over_probes}, at the end (1, 5, 15 min) ${summary.load_average?.at_end_1_5_15?.join(', ')}`,
);
console.log(`achieved ${f((summary.samples ?? 0) / (minutes * 60), 1)} samples/s of ${rate} req/s scheduled`);
console.log(
  `exit ${r.status}; status ${summary.status}; samples ${summary.samples} of ${summary.sent} sent; errors ${JSON.stringify(summary.errors_by_kind)}; health trusted ${summary.health?.trusted} ${JSON.stringify(summary.health?.flags ?? [])}`,
);
console.log(`faults: ${JSON.stringify(summary.faults)}`);
for (const name of Object.keys(first?.rss_mb ?? {})) {
  const g = (p: Probe | undefined, k: 'rss_mb' | 'fds') => p?.[k][name] ?? NaN;
  const series = after.map((p) => p.rss_mb[name]).filter((v): v is number => typeof v === 'number');
  console.log(
    `${name}: RSS ${f(g(first, 'rss_mb'), 1)} MB at ${first?.t_s} s → ${f(g(last, 'rss_mb'), 1)} MB at ${last?.t_s} s (growth ${f(g(last, 'rss_mb') - g(first, 'rss_mb'), 1)} MB, max ${f(Math.max(...series), 1)}); fds ${g(first, 'fds')} → ${g(last, 'fds')}`,
  );
}
console.log(`files: ${files.join(', ')}`);
const growth = (last?.rss_mb.harness ?? NaN) - (first?.rss_mb.harness ?? NaN);
const peak = Math.max(...after.map((p) => p.rss_mb.harness ?? -Infinity)) - (first?.rss_mb.harness ?? NaN);
console.log(
  `B8 result: harness RSS growth after warm-up ${f(growth, 1)} MB to the last probe, ${f(peak, 1)} MB to the peak (goal ≤ 50), harness fds ${first?.fds.harness} → ${last?.fds.harness} (goal: no growth), run folder ${files.join(', ')}; ${minutes} min at ${rate} req/s`,
);
if (!process.argv.includes('--keep')) rmSync(out, { recursive: true, force: true });
else console.log(`kept: ${out}`);
