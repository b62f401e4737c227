/**
 * Issue 13's table: `shakedown explore` over one generic fault space (bench/explore-generic.ts) against every
 * careless twin and pair (bench/twin-cases.ts, bench/pair-cases.ts), then the careful side with the same space and
 * SLOs. Per careless case: trials and time to the first confirmed failure, the minimal schedule (faults and their
 * dependencies), and whether `shakedown run` fails the written scenario; per careful case: the failures found, if any.
 *
 *   PATH=$PWD/.tools/node/bin:$PWD/.tools/bin:$PATH node bench/explore-pairs.ts [--budget 10m] [--careful-trials 8]
 *     [--careful-budget 10m] [--failures 3] [--cover] [--reference] [--restart-per-trial] [--skip-careful] [--only name,name]
 *     [--out DIR]
 *
 * `--failures N` (explore's own option) lets each search go on after a failure without its fault kinds, so a
 * failure both sides share does not hide the careless side's bug; every failure found is printed. The careful side
 * stops at its first failure (it should have none but the shared ones). `--cover` (explore's own option) first tries
 * every kind alone on the careless side; `--skip-careful` leaves the careful explore out (bench/explore-crosscheck.ts
 * then replays each careless failure against the careful side, which says more per minute). `--reference` explores
 * the careless side with the careful one as explore's `--reference` (bench/explore-generic-reference.ts): a failure
 * counts only when the careful side passes it.
 *
 * One explore at a time (two cores). The careful side runs with a trial bound (the budget alone would spend it all
 * on a service that never fails). Prints each row as it is done, then the Markdown table.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExploreFailure, ExploreResult } from '../harness/results/explore-types.ts';
import { machine } from './lib.ts';
import { PAIR_CASES } from './pair-cases.ts';
import { ROOT, TWIN_CASES } from './twin-cases.ts';

const valueOf = (flag: string) => {
  const at = process.argv.indexOf(flag);
  return at === -1 ? undefined : process.argv[at + 1];
};
const budget = valueOf('--budget') ?? '10m';
const carefulTrials = valueOf('--careful-trials') ?? '8';
const only = valueOf('--only');
const failures = valueOf('--failures') ?? '3';
const carefulBudget = valueOf('--careful-budget') ?? budget;
const cover = process.argv.includes('--cover');
const skipCareful = process.argv.includes('--skip-careful');
const withReference = process.argv.includes('--reference');
const restartPerTrial = process.argv.includes('--restart-per-trial');
const out = valueOf('--out') ?? mkdtempSync(join(tmpdir(), 'shakedown-explore-pairs-'));
const cases = [...TWIN_CASES, ...PAIR_CASES].filter((c) => !only || only.split(',').some((o) => c.scenario.includes(o)));

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['harness/cli/bin.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

function latestExplore(dir: string): ExploreResult {
  const scenarioDir = join(dir, readdirSync(dir)[0]);
  const runs = readdirSync(scenarioDir).sort();
  return JSON.parse(readFileSync(join(scenarioDir, runs.at(-1)!, 'explore.json'), 'utf8')) as ExploreResult;
}

/** One failure: its minimal schedule's faults and dependencies, and the SLOs it fails. */
function describe(f: ExploreFailure): string {
  const on = [...new Set(f.minimal.map((x) => x.on))].join(', ');
  const failed = f.verdicts.filter((v) => !v.passed).map((v) => `${v.phase}.${v.metric}`);
  return `${f.found_by === 'cover' ? '(cover) ' : ''}${f.minimal.length} fault${f.minimal.length === 1 ? '' : 's'} on ${on}: ${f.minimal.map((x) => x.description).join('; ')} (fails ${failed.join(', ')})`;
}

console.log(
  `explore over a generic space; budget ${budget} a careless case, ${carefulTrials} trials a careful one; ${machine()}; under ${out}`,
);
const rows: string[] = [];
for (const [i, c] of cases.entries()) {
  const env = { SHAKEDOWN_EXPLORE_BASE: c.scenario };
  const dir = join(out, `${i}-careless`);
  const started = performance.now();
  const careless = await cli(
    [
      'explore',
      'bench/explore-generic.ts',
      '--seed',
      '1',
      '--budget',
      budget,
      '--failures',
      failures,
      ...(cover ? ['--cover'] : []),
      ...(withReference ? ['--reference', 'bench/explore-generic-reference.ts'] : []),
      ...(restartPerTrial ? ['--restart-per-trial'] : []),
      '--out',
      dir,
      '--quiet',
    ],
    {
      ...env,
      SHAKEDOWN_TWIN: 'careless',
    },
  );
  const wall_s = Math.round((performance.now() - started) / 1000);
  let found = 'no failure found';
  let replay = '-';
  if (careless.code === 1) {
    const r = latestExplore(dir);
    const trials = r.search!.trials;
    const first = trials.find((t) => t.failed)!;
    const all = r.search!.failures ?? [r.search!.failure!];
    found = `first failure at trial ${first.index} (${Math.round(first.ended_ms / 1000)} s); ${all.map(describe).join(' / ')}${
      r.reference ? `; ${r.reference.shared.length} schedules failed the careful side too (not counted)` : ''
    }`;
    const replays: string[] = [];
    for (const f of all) {
      const ran = await cli(['run', f.scenario_file!, '--out', join(dir, 'replay'), '--quiet'], { ...env, SHAKEDOWN_TWIN: 'careless' });
      replays.push(`exit ${ran.code}`);
    }
    replay = `run ${replays.join(' / ')}`;
  } else if (careless.code !== 0) found = `explore exit ${careless.code}: ${careless.output.split('\n').slice(-4).join(' ')}`;
  else if (withReference)
    found = `no failure found; ${latestExplore(dir).reference?.shared.length ?? 0} schedules failed the careful side too`;
  console.log(`  ${c.scenario} careless: ${found}; ${replay}; ${wall_s} s`);

  if (skipCareful) {
    rows.push(`| ${c.bug} (\`${c.carelessKnobs}\`) | ${found} | ${replay} | ${wall_s} s | (bench/explore-crosscheck.ts) |`);
    continue;
  }
  const carefulDir = join(out, `${i}-careful`);
  const careful = await cli(
    [
      'explore',
      'bench/explore-generic.ts',
      '--seed',
      '1',
      '--budget',
      carefulBudget,
      '--trials',
      carefulTrials,
      '--out',
      carefulDir,
      '--quiet',
    ],
    { ...env, SHAKEDOWN_TWIN: 'careful' },
  );
  let carefulNote = `explore exit ${careful.code}`;
  if (careful.code === 0 || careful.code === 1) {
    const r = latestExplore(carefulDir);
    const n = r.search!.trials.length;
    const all = r.search!.failures ?? (r.search!.failure ? [r.search!.failure] : []);
    carefulNote = all.length ? `FAILED in ${n} trials: ${all.map(describe).join(' / ')}` : `no failure in ${n} trials`;
  }
  console.log(`  ${c.scenario} careful: ${carefulNote}`);
  rows.push(`| ${c.bug} (\`${c.carelessKnobs}\`) | ${found} | ${replay} | ${wall_s} s | ${carefulNote} |`);
}
console.log('\n| case (careless knob) | careless: search | written scenario | careless wall | careful (same space and SLOs) |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(row);
