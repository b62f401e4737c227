/**
 * Issue 13's table, the differential column: every failing schedule `bench/explore-pairs.ts` found against a
 * careless side, replayed with `shakedown run` against the careful side of the same case (the written scenario,
 * SHAKEDOWN_TWIN=careful). A schedule that fails the careless side and passes the careful one is the careless bug;
 * one that fails both is a weakness they share (the example service turns a slow retrieval into 503s either way).
 *
 *   PATH=$PWD/.tools/node/bin:$PWD/.tools/bin:$PATH node bench/explore-crosscheck.ts <explore-pairs out dir>
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExploreResult } from '../harness/results/explore-types.ts';
import { machine } from './lib.ts';
import { PAIR_CASES } from './pair-cases.ts';
import { ROOT, TWIN_CASES } from './twin-cases.ts';

const out = process.argv[2];
if (!out || !existsSync(out)) throw new Error('usage: node bench/explore-crosscheck.ts <bench/explore-pairs.ts out dir>');
const cases = [...TWIN_CASES, ...PAIR_CASES];

function run(file: string, env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['harness/cli/bin.ts', 'run', file, '--out', join(out, 'crosscheck'), '--quiet'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: 'ignore',
    });
    child.once('exit', (code) => resolve(code));
  });
}

console.log(`replaying each careless failure against the careful side; ${machine()}`);
for (const dir of readdirSync(out).filter((d) => d.endsWith('-careless'))) {
  const explored = join(out, dir);
  const scenarioDir = readdirSync(explored).find((d) => d.startsWith('explore-'));
  if (!scenarioDir) continue;
  const runDir = readdirSync(join(explored, scenarioDir)).sort().at(-1)!;
  const result = JSON.parse(readFileSync(join(explored, scenarioDir, runDir, 'explore.json'), 'utf8')) as ExploreResult;
  // The case's base scenario (bench/explore-pairs.ts ran the explore with SHAKEDOWN_EXPLORE_BASE set to it): the
  // explored scenario is named explore-<its name>, and shipped scenarios are named as their files.
  const base = result.scenario.replace(/^explore-/, '');
  const c = cases.find((k) => k.scenario.endsWith(`/${base}.ts`));
  if (!c) throw new Error(`${dir}: no case for scenario ${base}`);
  const failures = result.search?.failures ?? (result.search?.failure ? [result.search.failure] : []);
  for (const f of failures) {
    if (!f.scenario_file) continue;
    const code = await run(f.scenario_file, { SHAKEDOWN_EXPLORE_BASE: c.scenario, SHAKEDOWN_TWIN: 'careful' });
    const faults = `${f.found_by === 'cover' ? '(cover) ' : ''}${f.minimal.map((m) => m.description).join('; ')}`;
    console.log(`| ${c.bug} | ${faults} | careful: exit ${code}${code === 0 ? ' (passes: the careless bug)' : ' (fails too: shared)'} |`);
  }
}
