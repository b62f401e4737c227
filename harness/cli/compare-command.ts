/**
 * `shakedown compare A.json B.json [...]` (or suite folders, expanded into their runs): side-by-side table on stdout and an HTML
 * page. Reads each run's samples.ndjson (beside its results.json) for the request-level tests. Refuses runs of
 * scenarios whose hashes differ unless `--allow-different-scenarios`, saying which and why. Exit 0; 1 with
 * `--fail-on-regression` when a metric is worse or a run did not complete; 2 for bad input files or usage.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { ShakedownError } from '../errors.ts';
import type { RunResult } from '../results/result-types.ts';
import { writeTextAtomic } from '../results/write-results.ts';
import { compareRuns } from '../../reports/compare-runs.ts';
import { renderCompareTerminal } from '../../reports/compare-terminal.ts';
import { renderCompareHtml } from '../../reports/compare-html.ts';
import { readResultFile } from '../results/read-result-file.ts';
import { readSamplesFile } from '../results/read-samples-file.ts';
import { runIdentity } from '../results/run-identity.ts';
import type { CliIO } from './cli-io.ts';
import { expandSuiteArgs } from '../suite/suite-folder.ts';

export interface CompareCommandOptions {
  html?: string;
  failOnRegression?: boolean;
  allowDifferentScenarios?: boolean;
  alpha?: string;
}

const usage = (code: string, message: string) => new ShakedownError(code, message, { exitCode: 2 });

function checkScenarios(inputs: Array<{ file: string; result: RunResult }>, allow: boolean): boolean {
  const byName = new Map<string, Array<{ file: string; result: RunResult }>>();
  for (const i of inputs) byName.set(i.result.run.scenario, [...(byName.get(i.result.run.scenario) ?? []), i]);
  const describe = (i: { file: string; result: RunResult }) =>
    `${i.file} ran ${i.result.run.scenario} (${i.result.run.scenario_file}, hash ${i.result.run.scenario_hash})`;
  const differing = [...byName.values()].filter((g) => new Set(g.map((i) => i.result.run.scenario_hash)).size > 1);
  if (!allow && differing.length) {
    throw usage(
      'SCENARIO_CHANGED',
      `refusing to compare runs of different scenario files:\n${differing
        .flat()
        .map((i) => `  ${describe(i)}`)
        .join(
          '\n',
        )}\nThe scenario changed between these runs (its load, faults or SLOs may differ), so a difference could come from the scenario rather than the build. Pass --allow-different-scenarios to compare anyway.`,
    );
  }
  const singles = [...byName.values()].filter((g) => g.length === 1);
  if (singles.length === byName.size && byName.size > 1) {
    if (!allow)
      throw usage(
        'SCENARIO_CHANGED',
        `refusing to compare runs of different scenarios:\n${inputs.map((i) => `  ${describe(i)}`).join('\n')}\nEach scenario has a single run, so nothing compares like with like. Pass --allow-different-scenarios to compare them against the first anyway.`,
      );
    return true;
  }
  if (singles.length)
    throw usage(
      'NOTHING_TO_COMPARE',
      `nothing to compare ${singles.map((g) => `${g[0].file} (${g[0].result.run.scenario})`).join(', ')} with: give at least two runs of each scenario`,
    );
  return false;
}

/**
 * A run compared with itself (the same file twice, or a copy of it) would show every metric as `same` and read
 * as proof of no regression.
 * @throws ShakedownError SAME_RUN (exit 2) naming both files
 */
function checkDistinctRuns(inputs: Array<{ file: string; result: RunResult }>): void {
  const seen = new Map<string, string>();
  for (const i of inputs) {
    const id = runIdentity(i.result);
    const earlier = seen.get(id);
    if (earlier !== undefined)
      throw usage(
        'SAME_RUN',
        `${earlier} and ${i.file} are the same run (${i.result.run.scenario}, started ${i.result.run.started_at}): comparing a run with itself shows no difference by construction. Give results of different runs.`,
      );
    seen.set(id, i.file);
  }
}

/** Runs the compare command; returns the exit code. */
export function compareCommand(args: string[], opts: CompareCommandOptions, io: CliIO): number {
  // Suite folders become their runs' results.json files, matched by scenario (suite-folder.ts).
  const { files, notes } = expandSuiteArgs(args, io.cwd);
  for (const note of notes) io.stdout.write(`${note}\n`);
  if (files.length < 2) throw usage('USAGE', `compare needs at least two results.json files (got ${files.length})`);
  const alpha = opts.alpha === undefined ? undefined : Number(opts.alpha);
  if (alpha !== undefined && !(alpha > 0 && alpha < 1))
    throw usage('USAGE', `--alpha must be a number between 0 and 1 (got '${opts.alpha}')`);
  const inputs = files.map((file) => ({ file, result: readResultFile(resolve(io.cwd, file), file) }));
  checkDistinctRuns(inputs);
  const together = checkScenarios(inputs, opts.allowDifferentScenarios ?? false);
  // Request-level tests need every run's samples (samples.ndjson beside results.json); one missing → buckets for all.
  const samples = inputs.map((i) => {
    const name = basename(i.result.files?.samples ?? 'samples.ndjson');
    const path = join(dirname(resolve(io.cwd, i.file)), name);
    return readSamplesFile(path, join(dirname(i.file), name));
  });
  const withSamples = samples.every((s) => s !== undefined);
  const cmp = compareRuns(
    inputs.map((i, k) => (withSamples ? { ...i, samples: samples[k] } : i)),
    { alpha },
    together,
  );
  if (!withSamples)
    io.stdout.write(
      `note: no samples.ndjson beside ${inputs
        .filter((_, k) => samples[k] === undefined)
        .map((i) => i.file)
        .join(', ')}: every metric is tested over 1-second buckets, with less power\n`,
    );
  io.stdout.write(`${renderCompareTerminal(cmp)}\n`);
  // Default: beside the first results file (never into whatever folder the command ran in).
  const html = opts.html ? resolve(io.cwd, opts.html) : join(dirname(resolve(io.cwd, files[0])), 'compare.html');
  // A page that cannot be written (disk full, no permission) is WRITE_FAILED, exit 4.
  writeTextAtomic(html, renderCompareHtml(cmp), 'comparison', '--html');
  io.stdout.write(`comparison: ${html}\n`);
  // A run that stopped early leaves phases untested, which could hide a regression: a gate must not pass on it.
  const incomplete = inputs.filter((i) => i.result.run.status !== 'completed');
  if (opts.failOnRegression && incomplete.length) {
    io.stdout.write(
      `--fail-on-regression: ${incomplete.map((i) => `${i.file} did not complete (${i.result.run.status})`).join('; ')}; its untested phases could hide a regression, so this counts as one.\n`,
    );
    return 1;
  }
  if (opts.failOnRegression && cmp.worse > 0) {
    const worse = cmp.scenarios.flatMap((sc) => sc.comparisons.flatMap((c) => c.rows.filter((r) => r.verdict === 'worse')));
    io.stdout.write(`--fail-on-regression: worse: ${worse.map((r) => `${r.phase} ${r.metric}`).join(', ')}\n`);
    return 1;
  }
  return 0;
}
