/**
 * B7 (issue 5): time from the command to the first request, and teardown, with a cached Toxiproxy binary.
 * Spawns `./shakedown run bench/scenarios/startup.ts` (the launcher) N times (default 5) and prints each run and the medians.
 * Command to first request = the results' `started_at` + `timings_ms.first_request` − the spawn instant
 * (wall clock; node start-up and scenario import included). Usage: node bench/startup.ts [N] [--quick] (N = 2)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const positional = process.argv.slice(2).find((a) => !a.startsWith('--'));
const runs = Math.min(20, Math.max(1, Number(positional ?? (process.argv.includes('--quick') ? 2 : 5)) || 5));
const rows: Array<{ first: number; sut: number; teardown: number; total: number }> = [];
for (let i = 0; i < runs; i++) {
  const out = mkdtempSync(join(tmpdir(), 'shakedown-bench-'));
  const spawnedAt = Date.now();
  // The command users type: the launcher (its set-up check, ~60 ms once set up, and V8 flags included).
  const r = spawnSync(join(ROOT, 'shakedown'), ['run', 'bench/scenarios/startup.ts', '--seed', '1', '--out', out, '--quiet'], {
    cwd: ROOT,
    env: { ...process.env, PATH: `${join(ROOT, '.tools/bin')}:${process.env.PATH}` },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const total = Date.now() - spawnedAt;
  if (r.status !== 0) {
    process.stderr.write(`run ${i + 1} exited ${r.status}:\n${r.stdout}\n${r.stderr}\n`);
    process.exit(1);
  }
  const dir = join(out, 'bench-startup', readdirSync(join(out, 'bench-startup'))[0]);
  const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  const began = Date.parse(result.run.started_at);
  rows.push({
    first: began + result.run.timings_ms.first_request - spawnedAt,
    sut: result.run.timings_ms.sut_ready,
    teardown: result.run.timings_ms.teardown,
    total,
  });
  rmSync(out, { recursive: true, force: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`);
for (const [i, r] of rows.entries())
  console.log(
    `run ${i + 1}: command→first request ${r.first} ms (SUT ready at ${r.sut} ms after the run began), teardown ${r.teardown} ms, whole command ${r.total} ms`,
  );
console.log(
  `median of ${runs}: command→first request ${median(rows.map((r) => r.first))} ms (goal ≤ 2000), teardown ${median(rows.map((r) => r.teardown))} ms (goal ≤ 1000)`,
);
