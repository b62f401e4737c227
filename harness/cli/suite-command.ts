/**
 * `shakedown run <folder or glob>... [--shard i/N]`: a suite. Every scenario (of the shard) is loaded and
 * checked first (any invalid file: exit 2 listing every problem, nothing started), then run in turn into
 * `--out` (`<out>/<scenario>/<stamp>/`, as a single run), and the suite folder gets `suite.json`, `index.html`,
 * `junit.xml` and `summary.md`. Exit: the most severe of the runs' exit codes, 130 > 3 > 2 > 1 > 0.
 * An interrupt stops the suite after the current run; the scenarios not run are listed.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ShakedownError } from '../errors.ts';
import { loadScenarioFile, shownPath } from '../runner/load-scenario-file.ts';
import { readResultFile } from '../results/read-result-file.ts';
import { SUITE_FILE, SUITE_SCHEMA_VERSION, worstExitCode, type SuiteRun, type SuiteSummary } from '../results/suite-types.ts';
import { expandSuiteTargets, parseShard, shardEntries } from '../suite/suite-targets.ts';
import { writeSuiteFolder } from '../suite/suite-folder.ts';
import { renderSuiteTerminal } from '../../reports/suite-report.ts';
import { makeFolders } from '../results/write-results.ts';
import type { CliIO } from './cli-io.ts';
import { paintOutcome } from './terminal-style.ts';

/** What one scenario's run gave, as `run <file>` reports it. */
export interface SingleRunOutcome {
  code: number;
  /** The run's results.json (absolute), when a run folder was written. */
  resultsFile: string | null;
}

export interface SuiteCommandOptions {
  shard?: string;
  out: string;
  label?: string;
}

/** Runs a suite; `runOne` runs one scenario file into a results root as `run <file>` does. Returns the exit code. */
export async function suiteCommand(
  targets: string[],
  opts: SuiteCommandOptions,
  io: CliIO,
  runOne: (file: string, outRoot: string) => Promise<SingleRunOutcome>,
): Promise<number> {
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const all = expandSuiteTargets(targets, io.cwd);
  const entries = shardEntries(all, shard);
  const outDir = resolve(io.cwd, opts.out);
  if (existsSync(resolve(outDir, SUITE_FILE)))
    throw new ShakedownError(
      'SUITE_EXISTS',
      `${opts.out} already holds a suite (${SUITE_FILE}); pass --out with a new folder for this one`,
      {
        exitCode: 2,
      },
    );
  // Every file checked before anything starts: a nightly should not run for an hour and then trip on a typo.
  const problems: string[] = [];
  const names = new Map<string, string>();
  for (const e of entries) {
    try {
      const { scenario, displayName } = await loadScenarioFile(e.file, io.cwd);
      const other = names.get(scenario.name);
      if (other)
        problems.push(
          `${displayName}: scenario name '${scenario.name}' is also used by ${other}; compare and merge match runs by name, so give each a distinct name`,
        );
      names.set(scenario.name, displayName);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length)
    throw new ShakedownError(
      'INVALID_SUITE',
      `${problems.length} of ${entries.length} scenario files cannot run, nothing was started:\n${problems.join('\n')}`,
      {
        exitCode: 2,
      },
    );
  const count = `${shard ? `${entries.length} of ` : ''}${all.length} scenario${all.length === 1 ? '' : 's'}`;
  io.stdout.write(`shakedown suite${shard ? ` shard ${shard.index}/${shard.total}` : ''}: ${count} into ${shownPath(io.cwd, outDir)}\n`);
  makeFolders(outDir);
  const started_at = new Date().toISOString();
  const runs: SuiteRun[] = [];
  const notRun: string[] = [];
  for (const [i, e] of entries.entries()) {
    if (io.signal.aborted) {
      notRun.push(e.key);
      continue;
    }
    io.stdout.write(`\n[${i + 1}/${entries.length}] ${e.key}\n`);
    let outcome: SingleRunOutcome;
    let error: string | null = null;
    try {
      outcome = await runOne(e.file, outDir);
    } catch (err) {
      outcome = { code: err instanceof ShakedownError ? err.exitCode : 3, resultsFile: null };
      error = (err as Error).message;
      io.stderr.write(`shakedown: ${e.key}: ${error}\n`);
    }
    let result = null;
    if (outcome.resultsFile) {
      try {
        result = readResultFile(outcome.resultsFile);
      } catch (err) {
        error ??= (err as Error).message;
      }
    }
    if (!error && outcome.code >= 2 && result?.run.status_reason) error = result.run.status_reason;
    runs.push({
      entry: {
        key: e.key,
        scenario_file: shownPath(io.cwd, e.file),
        scenario: result?.run.scenario ?? null,
        exit_code: outcome.code,
        results: outcome.resultsFile ? relative(outDir, outcome.resultsFile).split('\\').join('/') : null,
        error,
      },
      result,
    });
  }
  const summary: SuiteSummary = {
    schemaVersion: SUITE_SCHEMA_VERSION,
    kind: 'suite',
    label: opts.label ?? '',
    shard: shard ?? null,
    merged: null,
    started_at,
    ended_at: new Date().toISOString(),
    exit_code: worstExitCode([...runs.map((r) => r.entry.exit_code), ...(notRun.length ? [130] : [])]),
    not_run: notRun,
    runs: runs.map((r) => r.entry),
  };
  const reportProblems = writeSuiteFolder(outDir, summary, runs);
  io.stdout.write(`\n${renderSuiteTerminal(summary, runs, paintOutcome(io.stdout))}\n`);
  io.stdout.write(`suite: ${shownPath(io.cwd, resolve(outDir, 'index.html'))}\n`);
  if (reportProblems.length) io.stderr.write(`report problems:\n${reportProblems.map((p) => `  ${p}`).join('\n')}\n`);
  return summary.exit_code;
}

/** `run <folder> --dry-run`: checks every scenario (of the shard) and prints each plan; exit 2 when any is invalid. */
export async function suiteDryRun(
  targets: string[],
  opts: { shard?: string },
  io: CliIO,
  dryRunOne: (file: string) => Promise<number>,
): Promise<number> {
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const codes: number[] = [];
  for (const e of shardEntries(expandSuiteTargets(targets, io.cwd), shard)) {
    try {
      codes.push(await dryRunOne(e.file));
    } catch (error) {
      if (!(error instanceof ShakedownError)) throw error;
      io.stderr.write(`shakedown: ${error.message}\n`);
      codes.push(error.exitCode);
    }
  }
  return worstExitCode(codes);
}
