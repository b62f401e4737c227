/**
 * Runs one resolved scenario end to end: Toxiproxy, fakes and SUT up; readiness; warm-up; measured load over
 * the fault timeline; analysis; results; teardown on every exit path. Returns the run result, even for an
 * interrupted or failed run (with `run.status` saying which and the phases that completed).
 */
import { join } from 'node:path';
import { ShakedownError } from '../errors.ts';
import { createRunAnalysis } from '../metrics/run-analysis.ts';
import type { RunResult } from '../results/result-types.ts';
import type { ResolvedScenario } from '../scenario/index.ts';
import { createRunScorer, type RunScorer } from '../scoring/custom-scorer.ts';
import { assembleResult } from './assemble-result.ts';
import { driveLoad, type DriveLoadSummary, type LoadProgress } from './drive-load.ts';
import { createEvidenceJoin, type EvidenceJoin } from './evidence-join.ts';
import type { FakesProcess } from './fakes-process.ts';
import { readFakeCounters } from './fake-counters.ts';
import { createFaultScheduler, type FaultEvent } from './fault-scheduler.ts';
import { loadReferenceData } from './reference-data-file.ts';
import { createRequestSequence } from './request-source.ts';
import { runMetadata } from './run-metadata.ts';
import { createSamplePipeline, type SampleFinish, type SamplePipeline } from './sample-pipeline.ts';
import { startStack, type StackParts } from './start-stack.ts';
import { reapEscapedProcesses } from './escaped-processes.ts';
import { reapStaleRuns, startRunGuard, type RunGuard } from './run-guard.ts';
import { createTamperCheck, type TamperCheck } from './tamper-check.ts';
import { createTeardown } from './teardown.ts';
import { watchProcesses } from './watch-processes.ts';
import { createSampleWriter, writeJsonAtomic } from '../results/write-results.ts';

export type RunEvent =
  | { type: 'info'; message: string }
  /** Shown even with --quiet: what the run did outside its own scope (a dead run's leftovers cleaned up). */
  | { type: 'notice'; message: string }
  | { type: 'progress'; progress: LoadProgress; phase: string; active: string[] }
  | { type: 'fault'; event: FaultEvent };

export interface RunOptions {
  scenario: ResolvedScenario;
  scenarioFile: string;
  scenarioSource: string;
  seed: number;
  /** The run folder (created by the caller). */
  outDir: string;
  label: string;
  allowRemoteTarget: boolean;
  cwd: string;
  signal: AbortSignal;
  onEvent: (event: RunEvent) => void;
}

export interface RunOutcome {
  result: RunResult;
  resultsFile: string;
  /** False when results.json could not be written (the result is still returned). */
  resultsWritten: boolean;
  teardownProblems: string[];
  /** Files of the run that could not be written (results, samples), each a whole message. */
  writeProblems: string[];
  /** The error that ended the run early, if any (infrastructure failure). */
  error?: ShakedownError;
}

/** How long a fault that failed to apply waits for the process watch (watchProcesses) to name a dead dependency as the cause: 1.2 s. */
const DEATH_NOTICE_GRACE_MS = 1200;

/** Runs the scenario. Never throws for run failures: they come back in `error` with partial results. */
export async function runScenario(o: RunOptions): Promise<RunOutcome> {
  const { scenario, signal } = o;
  const info = (message: string) => o.onEvent({ type: 'info', message });
  const teardown = createTeardown();
  const startedAt = new Date();
  const began = performance.now();
  const timings: Record<string, number> = {};
  const mark = (name: string) => {
    timings[name] = Math.round(performance.now() - began);
  };
  const resultsFile = join(o.outDir, 'results.json');
  const writer = createSampleWriter(join(o.outDir, 'samples.ndjson'));
  const analysis = createRunAnalysis(scenario);
  const parts: StackParts = { dependencies: {} };
  let t0: number | undefined;
  let t0Epoch: number | null = null;
  let stoppedAt: number | undefined;
  let loadSummary: DriveLoadSummary | undefined;
  let scheduler: ReturnType<typeof createFaultScheduler> | undefined;
  let failure: ShakedownError | undefined;
  let deaths: ReturnType<typeof watchProcesses> | undefined;
  let guard: RunGuard | undefined;
  let interruptedBeforeTeardown = false;
  let evidenceJoin_: EvidenceJoin<SampleFinish> | undefined;
  let pipeline: SamplePipeline | undefined;
  let scorer: RunScorer | undefined;
  let tamper: TamperCheck | undefined;
  /** Ends measured load early (a failure, an interrupt); set once load can start. */
  let stopLoad: ((reason: unknown) => void) | undefined;

  try {
    if (signal.aborted) throw signal.reason; // interrupted between the run folder and here: start nothing
    const sequence = createRequestSequence(scenario.load.requests, o.seed);
    await reapStaleRuns((message) => o.onEvent({ type: 'notice', message }));
    // The reaper: a lock file listing what the run creates, and a watchdog that removes it if the CLI dies.
    guard = startRunGuard();
    info(`run id ${guard.runId}: proxies shakedown-${guard.runId}-*, lock file ${guard.lockFile || 'none'}`);
    if (guard.problem()) o.onEvent({ type: 'notice', message: `warning: ${guard.problem()}` });
    const stack = await startStack({ ...o, teardown, guard, info, mark }, parts);
    const score = scenario.score;
    if (score) scorer = createRunScorer(score, score.kind === 'rag-answer' ? loadReferenceData(scenario.dependencies, o.cwd) : undefined);
    const evidenceJoin = (evidenceJoin_ = joinFakeLogs(scenario, o.seed, analysis.phaseOf, stack.fakes));
    pipeline = createSamplePipeline({ scenario, sequence, analysis, scorer, join: evidenceJoin, writer });
    deaths = watchProcesses(stack);
    tamper = createTamperCheck({ dependencies: Object.keys(scenario.dependencies), proxies: stack.proxies, fakes: stack.fakes });
    const sched = (scheduler = createFaultScheduler({
      ...stack,
      faults: scenario.faults,
      onEvent: (event) => o.onEvent({ type: 'fault', event }),
      tamper,
      onApplyFailed: (fault, message) => {
        // A dependency that died (Toxiproxy, the fakes) also fails the fault: the process watch's word on it, which
        // comes within about a second, names the real cause, so it is waited for first.
        const failedAt = performance.now();
        void Promise.race([deaths!.died, new Promise((resolve) => setTimeout(resolve, DEATH_NOTICE_GRACE_MS).unref())]).then(() => {
          if (failure || signal.aborted) return;
          failure = new ShakedownError(
            'FAULT_NOT_APPLIED',
            `Fault ${fault.name} on ${fault.on} did not apply at ${fault.at_ms} ms: ${message}. The run stopped there: what followed would not be the scenario's fault. Partial results are written.`,
          );
          stoppedAt ??= failedAt;
          stopLoad?.(failure);
        });
      },
    }));
    const loadAbort = new AbortController();
    stopLoad = (reason) => loadAbort.abort(reason);
    const onAbort = () => {
      stoppedAt ??= performance.now();
      loadAbort.abort(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    // A death after an interrupt is the harness's own doing (or the signal reached the group): not a failure.
    void deaths.died.then((error) => {
      if (signal.aborted) return;
      stoppedAt ??= performance.now();
      failure = error;
      loadAbort.abort(error);
    });
    const drive = { load: scenario.load, url: stack.sutUrl, sequence, allowRemoteTarget: o.allowRemoteTarget, signal: loadAbort.signal };

    if (scenario.load.warmup_ms > 0) {
      info(`warm-up ${scenario.load.warmup_ms} ms (not measured)`);
      await driveLoad({ ...drive, warmup: true, onSample: () => {}, onStart: () => mark('first_request') });
      if (signal.aborted) throw signal.reason;
      if (failure) throw failure;
    }

    info(`measured load: ${scenario.load.executor} for ${scenario.load.duration_ms} ms`);
    loadSummary = await driveLoad({
      ...drive,
      warmup: false,
      onStart: (start) => {
        t0 = start;
        t0Epoch = Date.now();
        sched.start(start);
        evidenceJoin.start(start, t0Epoch);
        timings.first_request ??= Math.round(start - began);
        mark('measured_load');
      },
      onProgress: (progress) =>
        o.onEvent({ type: 'progress', progress, phase: analysis.phaseOf(progress.elapsed_ms), active: sched.active() }),
      onSample: pipeline.onSample,
    });
    signal.removeEventListener('abort', onAbort);
    if (failure) throw failure;
    if (signal.aborted) throw signal.reason;
  } catch (error) {
    if (!failure && !(signal.aborted && error === signal.reason)) failure = asRunFailure(error);
  }

  deaths?.stop();
  // A signal from here on (a Ctrl-C while tearing down) does not make a finished run an interrupted one.
  interruptedBeforeTeardown = signal.aborted;
  info('tearing down: removing faults, stopping the SUT, the fakes and Toxiproxy');
  const reached_ms = reachedMs(scenario.load.duration_ms, t0, loadSummary, stoppedAt);
  // Evidence and counters before anything is torn down; held samples are scored once the fakes' logs are read.
  const fakes = parts.fakes && !parts.fakes.hasExited ? parts.fakes : undefined;
  await evidenceJoin_?.drain(fakes !== undefined);
  const problems = scheduler ? await scheduler.stopAll() : [];
  // After every fault is removed the proxies and fakes must be as the run found them (before the teardown deletes them).
  if (fakes && parts.toxiproxy) await tamper?.check();
  const fakesHealth = fakes ? await readFakeCounters(fakes, parts.dependencies, problems) : null;
  const teardownStart = performance.now();
  problems.push(...(await teardown.run()));
  if (guard) {
    const sutPort = parts.sut && parts.sutUrl ? Number(new URL(parts.sutUrl).port) : undefined;
    problems.push(...(await reapEscapedProcesses(guard.runId, sutPort)));
    guard.standDown();
    const lockProblem = guard.problem();
    if (lockProblem) problems.push(lockProblem);
  }
  timings.teardown = Math.round(performance.now() - teardownStart);
  // A file that could not be written (disk full) fails the run with exit 4, unless it already failed otherwise.
  const writeProblems: ShakedownError[] = [];
  await writer.close().catch((e: ShakedownError) => writeProblems.push(e));

  // Call metrics only when every log entry was read: with the fakes gone, counts would read as zero calls.
  const dependencyCalls = fakes && pipeline && evidenceJoin_ ? pipeline.dependencyCalls(evidenceJoin_.matched()) : undefined;
  const interrupted = interruptedBeforeTeardown && !failure;
  const status: RunResult['run']['status'] = failure ? 'failed' : interrupted ? 'interrupted' : 'completed';
  const result = assembleResult({
    scenario,
    scenarioSource: o.scenarioSource,
    meta: runMetadata(o, { toxiproxy: parts.toxiproxy, startedAt, status, failure, interrupted }),
    timings_ms: timings,
    t0_epoch_ms: t0Epoch,
    finished: analysis.finish(reached_ms, dependencyCalls),
    faults: scheduler?.evidence() ?? [],
    faultWindows: pipeline?.faultWindows ?? new Map(),
    load: loadSummary,
    fakes_event_loop_delay_p99_ms: fakesHealth,
    // Reconciliation comes from the evidence join, which read every fake log entry during the run.
    traced: fakes ? evidenceJoin_?.counts() : undefined,
    dependencies: parts.dependencies,
    attribution: { phases: evidenceJoin_?.attribution() ?? [], notes: evidenceJoin_?.notes() ?? [] },
    examples: pipeline?.examples ?? [],
    scorerProblems: scorer?.problems() ?? null,
    tampering: tamper?.reasons() ?? [],
    dependencyCalls,
  });
  try {
    writeJsonAtomic(resultsFile, result);
  } catch (error) {
    writeProblems.push(error as ShakedownError);
  }
  const error = failure ?? writeProblems[0];
  return {
    result,
    resultsFile,
    resultsWritten: !writeProblems.some((e) => e.message.includes(resultsFile)),
    teardownProblems: problems,
    writeProblems: writeProblems.map((e) => e.message),
    ...(error ? { error } : {}),
  };
}

/** Any error that ended the run, as the ShakedownError the CLI reports (an unexpected one keeps its stack). */
function asRunFailure(error: unknown): ShakedownError {
  return error instanceof ShakedownError
    ? error
    : new ShakedownError('RUN_FAILED', `The run failed: ${(error as Error)?.stack ?? String(error)}`, { cause: error });
}

/**
 * How far measured load got (ms since t0): all of it when it ran to the end, else up to the moment a signal or
 * a failure stopped it (`stopped`, a performance.now() value; now when undefined); 0 when it never started.
 */
function reachedMs(duration_ms: number, t0: number | undefined, load: DriveLoadSummary | undefined, stopped: number | undefined): number {
  if (t0 === undefined) return 0;
  return load && !load.interrupted && stopped === undefined ? duration_ms : Math.min(duration_ms, (stopped ?? performance.now()) - t0);
}

/** The evidence join over the fakes' request logs: each sample is handed back with the calls it caused. */
export function joinFakeLogs(scenario: ResolvedScenario, seed: number, phaseOf: (ms: number) => string, fakes: FakesProcess) {
  return createEvidenceJoin<SampleFinish>({
    dependencies: scenario.dependencies,
    seed,
    phases: scenario.phases.map((p) => p.name),
    phaseOf,
    readLog: (name, since) => fakes.log(name, since),
    release: (finish, evidence, calls) => finish(evidence, calls),
    cutByToxic: cuttingToxics(scenario.faults),
    modeKindOf: (id) => {
      const f = scenario.faults.find((g) => g.name === id);
      return f?.fault.kind === 'mode' ? f.fault.mode.kind : id;
    },
  });
}

/**
 * Whether a toxic that cuts the response (`limit_data`, `reset_peer`) and meets every connection (toxicity 1) was
 * on a dependency's proxy at a time (ms since t0), by the schedule. A `timeout` toxic lets no data through, so an
 * answer made after one rests on no model output (a fallback), not on a cut one.
 */
function cuttingToxics(faults: ResolvedScenario['faults']): (dependency: string, t_ms: number) => boolean {
  const cutting = faults.filter(
    (f) => f.fault.kind === 'toxic' && (f.fault.type === 'limit_data' || f.fault.type === 'reset_peer') && f.fault.toxicity >= 1,
  );
  return (dependency, t) => cutting.some((f) => f.on === dependency && f.at_ms <= t && t < f.at_ms + f.for_ms);
}
