/**
 * Runs the benchmarks of issue 5 one after another (each in its own process, so one's JIT and heap do not
 * colour the next) and prints their `result` lines together at the end. `--quick` (what `npm run bench` runs,
 * under 3 minutes): B1, B2, B3, B4, B5 (100 and 500 ms), B6, B7 (2 runs), B9, B10, B11, B12 and the health-flag check,
 * each shortened. Without it: every benchmark at its full length except B8, which takes 10 minutes: run it on
 * its own (`node bench/long-run.ts`). `--only B3,B6` picks some.
 * Usage: node bench/run.ts [--quick] [--only B1,B2]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { QUICK, ROOT, TOOLS_PATH, machine } from './lib.ts';

const all: Array<{ id: string; script: string }> = [
  { id: 'B1', script: 'engine-vs-wrk.ts' },
  { id: 'B2', script: 'full-path.ts' },
  { id: 'B3', script: 'fake-model.ts' },
  { id: 'B4', script: 'toxiproxy-hop.ts' },
  { id: 'B5', script: 'fault-accuracy.ts' },
  { id: 'B6', script: 'pacing.ts' },
  { id: 'B7', script: 'startup.ts' },
  { id: 'B9', script: 'html-report.ts' },
  { id: 'B10', script: 'scorer.ts' },
  { id: 'B11', script: 'pacing-cpu.ts' },
  { id: 'B12', script: 'closed-loop-pause.ts' },
  { id: 'health', script: 'health-flags.ts' },
];
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : null;
const chosen = all.filter((b) => !only || only.includes(b.id));
const started = performance.now();
const results: string[] = [];
for (const b of chosen) {
  const args = [join(ROOT, 'bench', b.script), ...(QUICK ? ['--quick'] : [])];
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PATH: TOOLS_PATH },
    encoding: 'utf8',
    timeout: 300_000,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(r.stdout ?? '');
  const lines = (r.stdout ?? '').split('\n').filter((l) => /result|median of|flags:|trusted/.test(l) && !l.startsWith('repeat'));
  results.push(
    ...(r.status === 0
      ? lines.map((l) => `${b.id}: ${l.replace(/^B\d+ result:? ?/, '')}`)
      : [`${b.id}: FAILED (exit ${r.status ?? r.signal})`]),
  );
}
console.log(`\n== summary (${((performance.now() - started) / 1000).toFixed(0)} s; ${machine()})`);
for (const l of results) console.log(l);
