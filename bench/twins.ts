/**
 * The careless-twins table (issue 3, point 7): every scenario of bench/twin-cases.ts run N times as the careful
 * configuration (default 5) and once as the careless twin, one run at a time, then one Markdown table: bug,
 * scenario, careful verdict (passed/N), careless verdict, the failing SLO with its actual value, the dominant
 * degraded outcome of the phase meant to catch it, and the model calls per request in the fault phase.
 *
 *   PATH=$PWD/.tools/node/bin:$PWD/.tools/bin:$PATH node bench/twins.ts [--careful N] [--only name] [--out DIR]
 *
 * Exit 1 when a careful run failed or a careless twin was not caught as expected.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argNumber, machine } from './lib.ts';
import { TWIN_CASES, runTwin, type TwinRun } from './twin-cases.ts';

const carefulRuns = argNumber('careful', 5);
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt === -1 ? undefined : process.argv[onlyAt + 1];
const outAt = process.argv.indexOf('--out');
const out = outAt === -1 ? mkdtempSync(join(tmpdir(), 'shakedown-twins-')) : process.argv[outAt + 1];

const fmt = (metric: string, actual: number | null) =>
  actual === null
    ? 'no value'
    : metric.endsWith('_ms')
      ? `${Math.round(actual)} ms`
      : metric.endsWith('_s')
        ? `${actual} s`
        : `${(actual * 100).toFixed(1)}%`;
const calls = (run: TwinRun) => (run.modelCallsPerRequest === null ? '-' : run.modelCallsPerRequest.toFixed(2));

console.log(`careless twins: ${carefulRuns}× careful, 1× careless per scenario; ${machine()}; results under ${out}`);
const rows: string[] = [];
let ok = true;
for (const c of TWIN_CASES) {
  if (only && !c.scenario.includes(only)) continue;
  const careful: TwinRun[] = [];
  for (let i = 0; i < carefulRuns; i++) {
    const run = await runTwin(c, 'careful', out);
    careful.push(run);
    console.log(
      `  ${c.scenario} careful #${i + 1}: ${run.passed ? 'passed' : `FAILED ${run.failedSlos.map((s) => `${s.phase} ${s.metric}=${fmt(s.metric, s.actual)}`).join(', ')}`}${run.trusted ? '' : ' (health: untrusted)'}`,
    );
  }
  const careless = await runTwin(c, 'careless', out);
  const caught = careless.failedSlos.filter((s) => c.caughtBy.includes(s.metric as never));
  const rightOutcome = careless.dominantFailure?.outcome === c.outcome;
  console.log(
    `  ${c.scenario} careless: ${careless.passed ? 'PASSED (not caught)' : `failed ${careless.failedSlos.map((s) => `${s.phase} ${s.metric}=${fmt(s.metric, s.actual)}`).join(', ')}`}; dominant ${careless.dominantFailure?.outcome ?? '-'}`,
  );
  const carefulPassed = careful.filter((r) => r.passed).length;
  if (carefulPassed !== carefulRuns || careless.passed || caught.length === 0 || !rightOutcome) ok = false;
  const slo =
    caught.map((s) => `${s.selector}: ${s.metric} ${s.expression} (actual ${fmt(s.metric, s.actual)})`).join('; ') ||
    'none of the expected';
  const dominant = careless.dominantFailure
    ? `${careless.dominantFailure.outcome} (${(careless.dominantFailure.share * 100).toFixed(0)}% of ${c.phase})`
    : '-';
  const carefulCalls = careful.map(calls).join('/');
  rows.push(
    `| ${c.bug} (\`${c.carelessKnobs}\`) | \`${c.scenario}\` | ${carefulPassed}/${carefulRuns} passed | ${careless.passed ? 'passed (NOT caught)' : 'failed'} | ${slo} | ${dominant} | ${carefulCalls} vs ${calls(careless)} |`,
  );
}
console.log(
  '\n| bug (careless knobs) | scenario | careful | careless | failing SLO (careless, actual) | dominant degraded outcome | model calls per request in the fault, careful vs careless |',
);
console.log('|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
process.exitCode = ok ? 0 : 1;
