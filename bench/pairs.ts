/**
 * The careful/careless pairs table (issue 11, "Done means"): every pair of bench/pair-cases.ts (add `--twins` for
 * the six shipped twins of bench/twin-cases.ts too) run N times careful (default 5, at least 2) and once careless,
 * one run at a time; then `shakedown compare --fail-on-regression` careful #1 vs careless (must exit 1 naming a
 * metric) and careful #1 vs each later careful run (the same build: each must exit 0). One Markdown table: careful verdicts and
 * scores, careless exit code, score and failed SLOs, both compares' exit codes and the metrics they named.
 *
 *   PATH=$PWD/.tools/node/bin:$PWD/.tools/bin:$PATH node bench/pairs.ts [--careful N] [--only name] [--twins] [--out DIR]
 *
 * Exit 1 when a careful run failed, a careless one was not caught by the expected SLO, scored no lower than every
 * careful run, or a compare gave the wrong exit code.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argNumber, machine } from './lib.ts';
import { PAIR_CASES } from './pair-cases.ts';
import { ROOT, TWIN_CASES, runTwin, type TwinRun } from './twin-cases.ts';

const carefulRuns = Math.max(2, argNumber('careful', 5));
const valueOf = (flag: string) => {
  const at = process.argv.indexOf(flag);
  return at === -1 ? undefined : process.argv[at + 1];
};
const only = valueOf('--only');
const out = valueOf('--out') ?? mkdtempSync(join(tmpdir(), 'shakedown-pairs-'));
const cases = [...(process.argv.includes('--twins') ? TWIN_CASES : []), ...PAIR_CASES].filter((c) => !only || c.scenario.includes(only));

interface CompareRun {
  exitCode: number | null;
  /** `phase metric` of every row compare called WORSE. */
  worse: string[];
}

/** Runs `shakedown compare <baseline> <candidate> --fail-on-regression` and reads the metrics it called worse. */
async function compare(baseline: string, candidate: string): Promise<CompareRun> {
  const child = spawn(process.execPath, ['harness/cli/bin.ts', 'compare', baseline, candidate, '--fail-on-regression'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (exitCode !== 0 && exitCode !== 1) throw new Error(`compare ${baseline} ${candidate} exited ${exitCode}:\n${output.slice(-2000)}`);
  const worse = output
    .split('\n')
    .map((line) => line.split('│').map((cell) => cell.trim()))
    .filter((cells) => cells.some((cell) => /^WORSE\b/.test(cell)))
    .map((cells) => `${cells[1]} ${cells[2]}`);
  return { exitCode, worse };
}

const score = (run: TwinRun) => (run.score === null ? '-' : run.score.toFixed(1));
const failed = (run: TwinRun) =>
  run.failedSlos.map((s) => `${s.selector}: ${s.metric} ${s.expression} (actual ${s.actual === null ? '-' : +s.actual.toFixed(3)})`);

console.log(`careful/careless pairs: ${carefulRuns}× careful, 1× careless per scenario; ${machine()}; results under ${out}`);
const rows: string[] = [];
let ok = true;
for (const c of cases) {
  const careful: TwinRun[] = [];
  for (let i = 0; i < carefulRuns; i++) {
    const run = await runTwin(c, 'careful', out);
    careful.push(run);
    console.log(
      `  ${c.scenario} careful #${i + 1}: exit ${run.exitCode}, score ${score(run)}${run.passed ? '' : `; FAILED ${failed(run).join(', ')}`}`,
    );
  }
  const careless = await runTwin(c, 'careless', out);
  console.log(
    `  ${c.scenario} careless: exit ${careless.exitCode}, score ${score(careless)}; failed ${failed(careless).join(', ') || 'nothing'}`,
  );
  const regression = await compare(careful[0].resultsFile, careless.resultsFile);
  // Same build: careful #1 against each later careful run (runs minutes apart, as a nightly job's would be).
  const sameBuild: CompareRun[] = [];
  for (const later of careful.slice(1)) sameBuild.push(await compare(careful[0].resultsFile, later.resultsFile));
  const sameBuildOk = sameBuild.filter((r) => r.exitCode === 0).length;
  console.log(
    `  compare careful vs careless: exit ${regression.exitCode} (${regression.worse.join(', ') || 'nothing worse'}); careful #1 vs #2..#${carefulRuns}: exits ${sameBuild.map((r) => r.exitCode).join('/')}`,
  );
  const carefulPassed = careful.filter((r) => r.passed).length;
  const caught = careless.failedSlos.some((s) => c.caughtBy.includes(s.metric as never));
  const scoredLower = careless.score !== null && careful.every((r) => r.score !== null && r.score > careless.score!);
  if (carefulPassed !== carefulRuns || !caught || !scoredLower || regression.exitCode !== 1 || sameBuildOk !== sameBuild.length) ok = false;
  rows.push(
    [
      `${c.bug} (\`${c.carelessKnobs}\`)`,
      `${carefulPassed}/${carefulRuns} exit 0; scores ${careful.map(score).join('/')}`,
      `exit ${careless.exitCode}; score ${score(careless)}${scoredLower ? '' : ' (NOT lower)'}; ${failed(careless).join('; ') || 'no SLO failed'}`,
      `exit ${regression.exitCode}; ${regression.worse.join(', ') || 'no metric named'}`,
      `${sameBuildOk}/${sameBuild.length} exit 0${sameBuild
        .filter((r) => r.exitCode !== 0)
        .map((r) => `; exit ${r.exitCode}: ${r.worse.join(', ') || 'a run did not complete'}`)
        .join('')}`,
    ].join(' | '),
  );
}
console.log('\n| pair (careless knob) | careful | careless | compare careful→careless | compare careful #1→#2..#N |');
console.log('|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row} |`);
process.exitCode = ok ? 0 : 1;
