/**
 * `run(scenario, options)`: one chaos run from code (a user's test suite, a script), the same run the CLI's
 * `shakedown run` does, returning its result instead of an exit code.
 *
 * ```ts
 * import { run } from 'shakedown';
 * import scenario from './scenarios/model-latency-spike.ts';
 * const { result } = await run(scenario, { seed: 42 });
 * ```
 */
import { readOpenFileRoom } from './load/open-file-limit.ts';
import { dirname, resolve } from 'node:path';
import { writeRunReports } from './cli/write-reports.ts';
import { ShakedownError } from './errors.ts';
import type { RunResult } from './results/result-types.ts';
import { loadScenarioFile } from './runner/load-scenario-file.ts';
import { assertLoopbackTarget } from './load/loopback.ts';
import { freshSeed } from './runner/random.ts';
import { runScenario, type RunEvent } from './runner/run-scenario.ts';
import { createRunFolder } from './results/write-results.ts';
import { resolveScenario } from './scenario/resolve-scenario.ts';
import type { ResolvedScenario, ScenarioOptions } from './scenario/types.ts';

export interface RunOptions {
  /** Seed for fault jitter, fake choices and request order. Default: the scenario's `seed`, else a fresh one. */
  seed?: number;
  /** Folder the run folder is created in (`<out>/<scenario>/<timestamp>`), relative to `cwd`. Default: `shakedown-results`. */
  out?: string;
  /** Appended to the run folder's name and stored in results.json. Default: none. */
  label?: string;
  /** Folder the SUT's command runs in and relative paths start from. Default: `process.cwd()`. */
  cwd?: string;
  /** Aborts the run: teardown runs, partial results are written, the result's status is `interrupted`. */
  signal?: AbortSignal;
  /** Allow a `system.url` that is not loopback. Default: false. */
  allowRemoteTarget?: boolean;
  /** Write report.html, junit.xml and summary.md beside results.json. Default: true. */
  reports?: boolean;
  /** Progress, fault and info events as the run goes. Default: none. */
  onEvent?: (event: RunEvent) => void;
}

export interface RunOutput {
  result: RunResult;
  /** The run's results.json (its folder holds samples and reports). */
  resultsFile: string;
  /** Problems met while stopping processes and deleting proxies; they do not change the result. */
  teardownProblems: string[];
}

/**
 * Runs a scenario: a `defineScenario(...)` value, or the path of a scenario file (`.ts`, `.js`, `.mjs`).
 * SLOs that fail do not throw: read `result.verdict` (or use the `shakedown/vitest` matchers).
 * @throws ShakedownError SCENARIO_INVALID (every problem, one per line), SCENARIO_NOT_FOUND, SCENARIO_LOAD_FAILED,
 *   REMOTE_TARGET (exit code 2); an infrastructure failure (Toxiproxy, fakes, SUT; exit code 3) after the
 *   partial results are written
 */
export async function run(scenario: ScenarioOptions | string, options: RunOptions = {}): Promise<RunOutput> {
  const cwd = options.cwd ?? process.cwd();
  const { resolved, shown, source } = await load(scenario, cwd);
  if (resolved.system.url) assertLoopbackTarget(resolved.system.url, options.allowRemoteTarget ?? false);
  const outDir = createRunFolder(resolve(cwd, options.out ?? 'shakedown-results'), resolved.name, options.label);
  const outcome = await runScenario({
    scenario: resolved,
    scenarioFile: shown,
    scenarioSource: source,
    seed: options.seed ?? resolved.seed ?? freshSeed(),
    outDir,
    label: options.label ?? '',
    allowRemoteTarget: options.allowRemoteTarget ?? false,
    cwd,
    signal: options.signal ?? new AbortController().signal,
    onEvent: options.onEvent ?? (() => {}),
  });
  if (options.reports !== false) writeRunReports(outcome.result, dirname(outcome.resultsFile));
  if (outcome.error) throw outcome.error;
  return { result: outcome.result, resultsFile: outcome.resultsFile, teardownProblems: outcome.teardownProblems };
}

async function load(
  scenario: ScenarioOptions | string,
  cwd: string,
): Promise<{ resolved: ResolvedScenario; shown: string; source: string }> {
  if (typeof scenario === 'string') {
    const loaded = await loadScenarioFile(scenario, cwd);
    return { resolved: loaded.scenario, shown: loaded.displayName, source: loaded.source };
  }
  const shown = `scenario ${typeof scenario?.name === 'string' ? `'${scenario.name}'` : '(unnamed)'}`;
  const checked = resolveScenario(scenario, shown, readOpenFileRoom()?.room ?? null);
  if (!checked.ok) {
    const n = checked.problems.length;
    throw new ShakedownError(
      'SCENARIO_INVALID',
      `${shown} is not a valid scenario (${n} problem${n === 1 ? '' : 's'}):\n${checked.problems.map((p) => `  ${p}`).join('\n')}`,
      { exitCode: 2 },
    );
  }
  // Functions (system.env, custom scorers) are left out of the hash's source: their text is not the scenario's.
  return { resolved: checked.scenario, shown, source: JSON.stringify(scenario) ?? '' };
}
