/**
 * B2 (issue 5): the harness's full load path vs the bare engine, against the same fixed-answer JSON server
 * (bench/servers/serve.ts json bench/servers/rag-answer.json), closed model with the same connections.
 *   full: `./shakedown run bench/scenarios/full-path.ts` (the launcher, V8 flags included; a real run: Toxiproxy, fakes process, evidence join
 *         reading the fakes' logs, scoring, per-phase/per-second bucketing, samples.ndjson), throughput from
 *         results.json;
 *   bare: runLoad with the same requests (POST /ask, dataset questions), samples counted and dropped.
 * Alternates, R repeats; prints each ratio and the median. Goal ≥ 0.85 of bare.
 * Usage: node bench/full-path.ts [--quick] [--connections 10] [--seconds 5] [--repeats 3] [--profile]
 *   --profile writes CPU profiles of the full run's processes to $TMPDIR/shakedown-bench-profiles/ (the largest is the harness).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequestSequence } from '../harness/runner/request-source.ts';
import { dataset } from '../harness/scenario/define-scenario.ts';
import { PROFILE_DIR, QUICK, ROOT, TOOLS_PATH, argNumber, bareLoad, f, header, median, startServer } from './lib.ts';

const connections = argNumber('connections', 10);
const seconds = argNumber('seconds', QUICK ? 3 : 5);
const repeats = argNumber('repeats', QUICK ? 2 : 3);
const profile = process.argv.includes('--profile');

/** Runs the bench scenario through the CLI; returns results.json. */
export function fullRun(
  env: Record<string, string>,
  o: { profile?: boolean; scenario?: string; name?: string } = {},
): { result: any; dir: string; out: string } {
  const out = mkdtempSync(join(tmpdir(), 'shakedown-bench-'));
  const profDir = PROFILE_DIR;
  if (o.profile) mkdirSync(profDir, { recursive: true });
  // Through the launcher, as users start it (its V8 flags included); a profile is asked for through NODE_OPTIONS.
  const r = spawnSync(
    join(ROOT, 'shakedown'),
    ['run', o.scenario ?? 'bench/scenarios/full-path.ts', '--seed', '1', '--out', out, '--quiet'],
    {
      cwd: ROOT,
      env: { ...process.env, PATH: TOOLS_PATH, ...env, ...(o.profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profDir}` } : {}) },
      encoding: 'utf8',
      timeout: 180_000,
    },
  );
  const base = join(out, o.name ?? 'bench-full-path');
  let dirs: string[] = [];
  try {
    dirs = readdirSync(base);
  } catch {
    /* no folder: reported below */
  }
  if (dirs.length === 0) throw new Error(`shakedown run exited ${r.status} without results:\n${r.stdout}\n${r.stderr}`);
  const dir = join(base, dirs[0]);
  return { result: JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')), dir, out };
}

if (import.meta.main) {
  header('B2', `full run path vs bare engine, ${connections} connections (closed model), ${seconds} s each, ${repeats} repeats`);
  const server = await startServer('json', { file: join(ROOT, 'bench/servers/rag-answer.json') });
  const sequence = createRequestSequence(dataset.ask('/ask') as never, 1);
  const next = () => {
    const r = sequence.next();
    return { method: r.method, path: r.path, headers: r.headers, body: r.body };
  };
  try {
    await bareLoad(server.url, { executor: 'constant-vus', connections, duration_ms: 1000 }, { keep: false, next });
    const ratios: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const full = fullRun(
        { BENCH_EXECUTOR: 'vus', BENCH_VUS: String(connections), BENCH_SECONDS: String(seconds) },
        { profile: profile && i === 0 },
      );
      const fullRps = full.result.phases[0].metrics.throughput_rps as number;
      const outcomes = JSON.stringify(full.result.phases[0].outcomes);
      rmSync(full.out, { recursive: true, force: true });
      let n = 0;
      const bare = await bareLoad(
        server.url,
        { executor: 'constant-vus', connections, duration_ms: seconds * 1000 },
        {
          next,
          onSample: () => {
            n++;
          },
        },
      );
      ratios.push(fullRps / bare.rps);
      console.log(
        `repeat ${i + 1}: full ${f(fullRps, 0)} req/s (outcomes ${outcomes}, health ${JSON.stringify(full.result.health.flags)}), bare ${f(bare.rps, 0)} req/s, ratio ${f(fullRps / bare.rps, 3)}`,
      );
    }
    console.log(`B2 result: full/bare median ratio ${f(median(ratios), 3)} (goal ≥ 0.85)`);
  } finally {
    await server.close();
  }
}
