/**
 * One run on a stack that is already up (Toxiproxy, fakes, SUT started by startStack): warm-up, measured load
 * over the fault timeline, analysis, the assembled result. `shakedown explore` calls it once per trial, so the
 * processes start once; before it returns, every fault of the run is removed and each proxy is checked back to
 * enabled with no toxics (the reset between trials). No samples file is written (a trial keeps its result only).
 *
 * @throws the signal's reason when interrupted, or the ShakedownError of a process that died (the caller's
 *   teardown stops the stack)
 */
import { createRunAnalysis } from '../metrics/run-analysis.ts';
import type { RunResult } from '../results/result-types.ts';
import type { ResolvedScenario } from '../scenario/index.ts';
import { createRunScorer } from '../scoring/custom-scorer.ts';
import { assembleResult } from './assemble-result.ts';
import { driveLoad, type DriveLoadSummary } from './drive-load.ts';
import { createFaultScheduler } from './fault-scheduler.ts';
import { loadReferenceData } from './reference-data-file.ts';
import { createRequestSequence } from './request-source.ts';
import { runMetadata } from './run-metadata.ts';
import { joinFakeLogs, type RunEvent } from './run-scenario.ts';
import { createSamplePipeline } from './sample-pipeline.ts';
import type { Stack } from './start-stack.ts';
import { watchProcesses } from './watch-processes.ts';
import { createTamperCheck } from './tamper-check.ts';

export interface RunOnStackOptions {
  scenario: ResolvedScenario;
  stack: Stack;
  dependencies: RunResult['dependencies'];
  scenarioFile: string;
  scenarioSource: string;
  seed: number;
  label: string;
  cwd: string;
  /** Names the run in its metadata (run.id is its last segment). */
  outDir: string;
  signal: AbortSignal;
  onEvent?: (event: RunEvent) => void;
}

export async function runOnStack(o: RunOnStackOptions): Promise<RunResult> {
  const { scenario, stack, signal } = o;
  const startedAt = new Date();
  const began = performance.now();
  const analysis = createRunAnalysis(scenario);
  const sequence = createRequestSequence(scenario.load.requests, o.seed);
  const score = scenario.score;
  const scorer = score
    ? createRunScorer(score, score.kind === 'rag-answer' ? loadReferenceData(scenario.dependencies, o.cwd) : undefined)
    : undefined;
  // The same join as a run's: each sample comes back with its evidence and the calls it caused.
  const join = joinFakeLogs(scenario, o.seed, analysis.phaseOf, stack.fakes);
  const pipeline = createSamplePipeline({ scenario, sequence, analysis, scorer, join, writer: { write: () => {} } });
  // Each trial checks its proxies and fakes as a run does: a change it did not make marks the trial untrusted.
  const tamper = createTamperCheck({ dependencies: Object.keys(scenario.dependencies), proxies: stack.proxies, fakes: stack.fakes });
  const scheduler = createFaultScheduler({
    ...stack,
    faults: scenario.faults,
    tamper,
    onEvent: (event) => o.onEvent?.({ type: 'fault', event }),
  });
  const watchdog = watchProcesses(stack);
  const loadAbort = new AbortController();
  let failure: Error | undefined;
  const onAbort = () => loadAbort.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  void watchdog.died.then((error) => {
    failure = error;
    loadAbort.abort(error);
  });
  const drive = { load: scenario.load, url: stack.sutUrl, sequence, allowRemoteTarget: false, signal: loadAbort.signal };
  let t0Epoch: number | null = null;
  let load: DriveLoadSummary | undefined;
  try {
    if (scenario.load.warmup_ms > 0) await driveLoad({ ...drive, warmup: true, onSample: () => {} });
    if (!loadAbort.signal.aborted)
      load = await driveLoad({
        ...drive,
        warmup: false,
        onStart: (start) => {
          t0Epoch = Date.now();
          scheduler.start(start);
          join.start(start, t0Epoch);
        },
        onProgress: (progress) =>
          o.onEvent?.({ type: 'progress', progress, phase: analysis.phaseOf(progress.elapsed_ms), active: scheduler.active() }),
        onSample: pipeline.onSample,
      });
  } finally {
    signal.removeEventListener('abort', onAbort);
    watchdog.stop();
    await join.drain(!stack.fakes.hasExited);
    const problems = await scheduler.stopAll();
    if (!failure && !signal.aborted) problems.push(...(await resetProxies(stack, Object.keys(scenario.dependencies))));
    if (!failure && !signal.aborted) await tamper.check();
    if (problems.length && !failure && !signal.aborted)
      failure = new Error(`the stack could not be reset after the trial: ${problems.join('; ')}`);
  }
  if (signal.aborted) throw signal.reason;
  if (failure) throw failure;
  const dependencyCalls = pipeline.dependencyCalls(join.matched());
  const finished = analysis.finish(scenario.load.duration_ms, dependencyCalls);
  return assembleResult({
    scenario,
    scenarioSource: o.scenarioSource,
    meta: runMetadata(o, { toxiproxy: stack.toxiproxy, startedAt, status: 'completed', interrupted: false }),
    timings_ms: { run: Math.round(performance.now() - began) },
    t0_epoch_ms: t0Epoch,
    finished,
    faults: scheduler.evidence(),
    faultWindows: pipeline.faultWindows,
    load,
    fakes_event_loop_delay_p99_ms: null,
    traced: join.counts(),
    dependencies: o.dependencies,
    attribution: { phases: join.attribution(), notes: join.notes() },
    examples: pipeline.examples,
    scorerProblems: scorer?.problems() ?? null,
    tampering: tamper.reasons(),
    dependencyCalls,
  });
}

/** Every proxy back to enabled with no toxics (a fault whose removal failed must not leak into the next trial). */
async function resetProxies(stack: Stack, names: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const name of names) {
    try {
      const state = await stack.proxies.get(name);
      for (const t of state.toxics) await stack.proxies.removeToxic(name, t.name);
      if (!state.enabled) await stack.proxies.setEnabled(name, true);
    } catch (error) {
      problems.push(`proxy ${name}: ${(error as Error).message}`);
    }
  }
  return problems;
}
