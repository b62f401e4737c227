/**
 * The example service's careless twins (issue 3, point 7): for each classic resilience bug, the shipped scenario
 * that must catch it, the SLO metrics expected to fail and the outcome class expected to dominate the failed
 * phase. `runTwin` runs one scenario as the careful or the careless configuration (SHAKEDOWN_TWIN) in its own
 * process (a scenario reads SHAKEDOWN_TWIN when it is imported, and an import is cached per process) and
 * summarizes its results.json. Used by bench/twins.ts (the 5× table) and test/twins/twins.test.ts.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Outcome, SloMetricName } from '../harness/scenario/metrics.ts';
import type { RunResult } from '../harness/results/result-types.ts';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export type Twin = 'careful' | 'careless';

export interface TwinCase {
  /** The bug the careless twin carries. */
  bug: string;
  /** Scenario file, relative to the repository root; its `name` is the file's base name. */
  scenario: string;
  /** The knobs that make the careless twin (as the scenario passes them). */
  carelessKnobs: string;
  /** The kind of phase where the careless twin must fail. */
  phase: 'fault' | 'recovery';
  /** SLO metrics that must fail for the careless twin, in that phase. */
  caughtBy: SloMetricName[];
  /** The outcome class that must dominate the degraded samples of that phase for the careless twin. */
  outcome: Outcome;
}

export const TWIN_CASES: readonly TwinCase[] = [
  {
    bug: 'no timeout on the model call',
    scenario: 'scenarios/model-hang.ts',
    carelessKnobs: 'MODEL_TIMEOUT_MS=0',
    phase: 'fault',
    caughtBy: ['timeout_rate', 'p99_ms'],
    outcome: 'timeout',
  },
  {
    bug: 'retries that ignore retry-after',
    scenario: 'scenarios/model-rate-limit-storm.ts',
    carelessKnobs: 'MODEL_RETRY_AFTER=ignore MODEL_MAX_RETRIES=5',
    phase: 'fault',
    caughtBy: ['error_rate'],
    outcome: 'http_error',
  },
  {
    bug: 'a cache that keeps serving answers built on superseded documents',
    scenario: 'scenarios/retrieval-stale-cache.ts',
    carelessKnobs: 'CACHE_TTL_MS=600000',
    phase: 'recovery',
    caughtBy: ['stale_rate'],
    outcome: 'stale',
  },
  {
    bug: 'errors swallowed into a 200 with an empty answer',
    scenario: 'scenarios/model-server-errors.ts',
    carelessKnobs: 'FALLBACK_MODE=empty',
    phase: 'fault',
    caughtBy: ['empty_rate'],
    outcome: 'empty',
  },
  {
    bug: 'a fallback that returns a canned answer without saying so',
    scenario: 'scenarios/retrieval-outage-silent-fallback.ts',
    carelessKnobs: 'FALLBACK_MODE=silent',
    phase: 'fault',
    caughtBy: ['fallback_rate'],
    outcome: 'fallback',
  },
  {
    bug: 'a stream whose stall is never detected',
    scenario: 'scenarios/model-stream-stall.ts',
    carelessKnobs: 'STREAM_IDLE_TIMEOUT_MS=0',
    phase: 'fault',
    caughtBy: ['timeout_rate', 'p99_ms'],
    outcome: 'timeout',
  },
];

export interface TwinRun {
  scenario: string;
  twin: Twin;
  exitCode: number | null;
  resultsFile: string;
  passed: boolean;
  failedSlos: { selector: string; phase: string; metric: string; expression: string; actual: number | null }[];
  /** The most frequent outcome other than `ok` in the case's phase, with its share of that phase's samples. */
  dominantFailure: { outcome: string; share: number } | null;
  /** Model calls the fake saw per SUT request in the fault phase (dependency attribution). */
  modelCallsPerRequest: number | null;
  trusted: boolean;
  /** The run's resilience score (0–100), or null when no component had a value. */
  score: number | null;
}

const scenarioName = (file: string) => file.replace(/^.*\//, '').replace(/\.ts$/, '');

/** Runs `shakedown run <scenario>` in a child process with SHAKEDOWN_TWIN=<twin>; never throws on a failed SLO. */
export async function runTwin(c: TwinCase, twin: Twin, out: string, seed?: number): Promise<TwinRun> {
  const label = `${twin}-${Date.now()}`;
  const args = [
    'harness/cli/bin.ts',
    'run',
    c.scenario,
    '--out',
    out,
    '--label',
    label,
    '--quiet',
    ...(seed === undefined ? [] : ['--seed', String(seed)]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, SHAKEDOWN_TWIN: twin },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const folder = join(out, scenarioName(c.scenario));
  const run = readdirSync(folder).find((name) => name.endsWith(`-${label}`));
  if (exitCode !== 0 && exitCode !== 1) throw new Error(`${c.scenario} (${twin}) exited ${exitCode}:\n${output.slice(-2000)}`);
  if (!run) throw new Error(`${c.scenario} (${twin}) wrote no run folder under ${folder}:\n${output.slice(-2000)}`);
  const resultsFile = join(folder, run, 'results.json');
  return summarize(c, twin, exitCode, resultsFile, JSON.parse(readFileSync(resultsFile, 'utf8')) as RunResult);
}

export function summarize(c: TwinCase, twin: Twin, exitCode: number | null, resultsFile: string, result: RunResult): TwinRun {
  const phase = result.phases.find((p) => p.kind === c.phase);
  let dominantFailure: TwinRun['dominantFailure'] = null;
  if (phase) {
    const counts = Object.entries(phase.outcomes ?? {}).filter(([outcome]) => outcome !== 'ok') as [string, number][];
    const total = Object.values(phase.outcomes ?? {}).reduce((a, b) => a + (b as number), 0);
    const [top] = counts.sort((a, b) => b[1] - a[1]);
    if (top && top[1] > 0) dominantFailure = { outcome: top[0], share: top[1] / total };
  }
  const faultPhase = result.attribution?.phases.find((p) => result.phases.find((q) => q.name === p.phase)?.kind === 'fault');
  const model = faultPhase?.dependencies.model;
  return {
    scenario: c.scenario,
    twin,
    exitCode,
    resultsFile,
    passed: result.verdict.passed,
    failedSlos: result.slos
      .filter((s) => !s.passed)
      .map((s) => ({ selector: s.selector, phase: s.phase, metric: s.metric, expression: s.expression, actual: s.actual })),
    dominantFailure,
    modelCallsPerRequest: model && faultPhase.sut.requests > 0 ? model.calls / faultPhase.sut.requests : null,
    trusted: result.health.trusted,
    score: result.score?.value ?? null,
  };
}
