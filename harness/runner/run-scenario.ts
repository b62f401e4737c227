/**
 * Runs one resolved scenario end to end: Toxiproxy, fakes and SUT up; readiness; warm-up; measured load over
 * the fault timeline; analysis; results; teardown on every exit path. Returns the run result, even for an
 * interrupted or failed run (with `run.status` saying which and the phases that completed).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ShakedownError } from '../errors.ts';
import { createRunAnalysis } from '../metrics/run-analysis.ts';
import { SCHEMA_VERSION, type RunResult, type SampleRecord } from '../results/result-types.ts';
import { SCENARIO_DEFAULTS, type ResolvedScenario } from '../scenario/index.ts';
import { createRunScorer, type RunScorer } from '../scoring/custom-scorer.ts';
import type { SampleEvidence } from '../scoring/answer-checks.ts';
import { recoveryBounds, resilienceScore } from '../metrics/resilience-score.ts';
import { createEvidenceJoin, type EvidenceJoin } from './evidence-join.ts';
import { loadReferenceData } from './reference-data-file.ts';
import { createProxyManager, resolveToxiproxy, type ToxiproxyServer } from '../toxiproxy/index.ts';
import { createFaultScheduler, type FaultEvent } from './fault-scheduler.ts';
import { startFakes, type FakesProcess } from './fakes-process.ts';
import { driveLoad, type LoadProgress } from './drive-load.ts';
import { onForcedExit, trackGroup } from './process-groups.ts';
import { createRequestSequence } from './request-source.ts';
import { assertLoopbackTarget, freePort, portAnswers } from './network.ts';
import { startSut, waitReady, type SutProcess } from './sut-process.ts';
import { createTeardown } from './teardown.ts';
import { createSampleWriter, writeJsonAtomic } from './write-results.ts';
import { streamedBody } from './streamed-answer.ts';
import { runMetadata } from './run-metadata.ts';
import { evaluateEnv } from './evaluate-env.ts';
import { deleteProxiesNow, watchProcesses } from './watch-processes.ts';

export type RunEvent =
  | { type: 'info'; message: string }
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
  teardownProblems: string[];
  /** The error that ended the run early, if any (infrastructure failure). */
  error?: ShakedownError;
}

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
  const samplesFile = join(o.outDir, 'samples.ndjson');
  const resultsFile = join(o.outDir, 'results.json');
  const writer = createSampleWriter(samplesFile);
  const analysis = createRunAnalysis(scenario);
  const examples: RunResult['examples'] = [];
  const faultCounters = new Map(scenario.faults.map((f) => [f.name, { samples: 0, failed: 0 }]));
  let toxiproxy: ToxiproxyServer | undefined;
  let fakes: FakesProcess | undefined;
  let sut: SutProcess | undefined;
  let t0: number | undefined;
  let t0Epoch: number | null = null;
  let reached_ms = 0;
  let stoppedAt: number | undefined;
  let loadSummary: Awaited<ReturnType<typeof driveLoad>> | undefined;
  let scheduler: ReturnType<typeof createFaultScheduler> | undefined;
  let failure: ShakedownError | undefined;
  let watchdog: ReturnType<typeof watchProcesses> | undefined;
  const dependencies: RunResult['dependencies'] = {};
  let scorer: RunScorer | undefined;
  let evidenceJoin: EvidenceJoin<(evidence: SampleEvidence | null) => void> | undefined;
  const checkAbort = () => {
    if (signal.aborted) throw signal.reason;
  };

  try {
    checkAbort(); // interrupted between the run folder and here: start nothing
    const sequence = createRequestSequence(scenario.load.requests, o.seed);
    // Toxiproxy and the fakes do not depend on each other: started together (B7: ~0.3–0.7 s of the command to
    // the first request was one waiting for the other). Whichever started is stopped by the teardown even when
    // the other failed; the first failure is thrown.
    const [toxiproxyStart, fakesStart] = await Promise.allSettled([
      resolveToxiproxy({ log: info, seed: o.seed }).then((server) => {
        if (server.pid) trackGroup(server.pid);
        mark('toxiproxy_ready');
        return server;
      }),
      startFakes({ seed: o.seed, fakes: scenario.dependencies }).then((started) => {
        mark('fakes_ready');
        return started;
      }),
    ]);
    if (toxiproxyStart.status === 'fulfilled') {
      const server = toxiproxyStart.value;
      teardown.add('stop Toxiproxy', () => server.stop());
      info(`Toxiproxy ${server.version} at ${server.url} (${server.source})`);
    }
    if (fakesStart.status === 'fulfilled') {
      const started = fakesStart.value;
      teardown.add('stop fakes', () => started.stop());
      info(`fakes process started (pid ${started.pid})`);
    }
    if (toxiproxyStart.status === 'rejected') throw toxiproxyStart.reason;
    if (fakesStart.status === 'rejected') throw fakesStart.reason;
    toxiproxy = toxiproxyStart.value;
    fakes = fakesStart.value;
    checkAbort();
    if (scenario.score)
      scorer = createRunScorer(
        scenario.score,
        scenario.score.kind === 'rag-answer' ? loadReferenceData(scenario.dependencies, o.cwd) : undefined,
      );
    const liveFakes = fakes;
    evidenceJoin = createEvidenceJoin<(evidence: SampleEvidence | null) => void>({
      dependencies: scenario.dependencies,
      seed: o.seed,
      phases: scenario.phases.map((p) => p.name),
      phaseOf: analysis.phaseOf,
      readLog: (name, since) => liveFakes.log(name, since),
      release: (finish, evidence) => finish(evidence),
    });

    const proxies = createProxyManager(toxiproxy.url, { namePrefix: `shakedown-${process.pid}-` });
    // A second Ctrl-C skips the teardown below: this deletes the run's proxies (and so their toxics) anyway.
    const proxyUrl = toxiproxy.url;
    const unforced = onForcedExit(() =>
      deleteProxiesNow(
        proxyUrl,
        Object.keys(scenario.dependencies).map((name) => `shakedown-${process.pid}-${name}`),
      ),
    );
    teardown.add('forget the forced-exit cleanup', unforced);
    teardown.add('delete proxies', async () => {
      const problems = await proxies.cleanup();
      if (problems.length) throw new Error(problems.join('; '));
    });
    const addresses: Record<string, { url: string; host: string; port: number }> = {};
    for (const [name, spec] of Object.entries(scenario.dependencies)) {
      const fake = fakes.fakes[name];
      const upstream = fake.url.replace(/^http:\/\//, '');
      const proxy = await proxies.createProxy(name, upstream);
      const [host, port] = [proxy.listen.split(':')[0], Number(proxy.listen.split(':').at(-1))];
      addresses[name] = { url: `http://${host}:${port}`, host, port };
      dependencies[name] = {
        kind: spec.kind,
        fake_url: fake.url,
        proxy_url: addresses[name].url,
        requests: 0,
        by_status: {},
        by_mode: {},
        by_path: {},
      };
      info(`${name} (${spec.kind}) fake ${fake.url} behind proxy ${addresses[name].url}`);
    }
    mark('proxies_ready');
    checkAbort();

    let sutUrl: string;
    if (scenario.system.kind === 'command') {
      const port = await freePort();
      const extra = evaluateEnv(scenario.system.env, addresses, o.scenarioFile);
      sutUrl = scenario.system.url ?? `http://127.0.0.1:${port}`;
      // A fixed system.url whose port already answers is someone else's server: the run would load it instead.
      if (scenario.system.url && (await portAnswers(sutUrl))) {
        throw new ShakedownError(
          'PORT_IN_USE',
          `${o.scenarioFile}: port ${new URL(sutUrl).port} is already in use by another process before the SUT started (system.url ${sutUrl}). Stop that process or change system.url.`,
        );
      }
      sut = await startSut(scenario.system.command!, {
        cwd: scenario.system.cwd ? join(o.cwd, scenario.system.cwd) : o.cwd,
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SHAKEDOWN_SEED: String(o.seed), ...extra },
      });
      teardown.add('stop SUT', () => sut!.stop());
      info(`SUT started (pid ${sut.pid}): ${scenario.system.command!.join(' ')}`);
    } else {
      sutUrl = scenario.system.url!;
    }
    assertLoopbackTarget(sutUrl, o.allowRemoteTarget);
    const readyMs = await waitReady(`${sutUrl}${scenario.system.ready.path}`, { ...scenario.system.ready, sut, signal });
    info(`SUT ready at ${sutUrl} after ${Math.round(readyMs)} ms`);
    mark('sut_ready');
    checkAbort();

    watchdog = watchProcesses({ sut, fakes, toxiproxy });
    scheduler = createFaultScheduler({ faults: scenario.faults, proxies, fakes, onEvent: (event) => o.onEvent({ type: 'fault', event }) });
    const sched = scheduler;
    const loadAbort = new AbortController();
    const onAbort = () => {
      stoppedAt ??= performance.now();
      loadAbort.abort(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    // A death after an interrupt is the harness's own doing (or the signal reached the group): not a failure.
    void watchdog.died.then((error) => {
      if (signal.aborted) return;
      stoppedAt ??= performance.now();
      failure = error;
      loadAbort.abort(error);
    });

    if (scenario.load.warmup_ms > 0) {
      info(`warm-up ${scenario.load.warmup_ms} ms (not measured)`);
      await driveLoad({
        load: scenario.load,
        url: sutUrl,
        sequence,
        warmup: true,
        signal: loadAbort.signal,
        onSample: () => {},
        onStart: () => mark('first_request'),
      });
      checkAbort();
      if (failure) throw failure;
    }

    info(`measured load: ${scenario.load.executor} for ${scenario.load.duration_ms} ms`);
    loadSummary = await driveLoad({
      load: scenario.load,
      url: sutUrl,
      sequence,
      warmup: false,
      signal: loadAbort.signal,
      onStart: (start) => {
        t0 = start;
        t0Epoch = Date.now();
        sched.start(start);
        evidenceJoin!.start(start, t0Epoch);
        timings.first_request ??= Math.round(start - began);
        mark('measured_load');
      },
      onProgress: (progress) =>
        o.onEvent({ type: 'progress', progress, phase: analysis.phaseOf(progress.elapsed_ms), active: sched.active() }),
      onSample: (s) => {
        const truth = s.meta.question_id ? sequence.truth(s.meta.question_id) : undefined;
        const record: SampleRecord = {
          id: s.id,
          start_ms: s.start_ms,
          end_ms: s.end_ms,
          latency_ms: s.latency_ms,
          ttfb_ms: s.ttfb_ms,
          status: s.status,
          error_kind: s.error_kind,
          bytes: s.bytes,
          phase: analysis.phaseOf(s.start_ms),
          ...(s.meta.question_id ? { question_id: s.meta.question_id, category: s.meta.category } : {}),
          ...(s.stream
            ? {
                ttft_ms: s.stream.ttft_ms,
                itl_ms: s.stream.itl_ms,
                tokens: s.stream.tokens,
                stream_aborted: s.stream.aborted,
                stream_abort_reason: s.stream.abort_reason,
                itl_gaps_ms: s.stream.gaps_ms,
              }
            : {}),
        };
        // Scored once the fakes' logs for this request have been read (evidence-join.ts): grounding and
        // per-request attribution need them.
        evidenceJoin!.push(
          { key: s.meta.key, start_ms: s.start_ms, end_ms: s.end_ms, phase: record.phase, latency_ms: s.latency_ms },
          (evidence) => {
            if (evidence && Object.keys(evidence.calls).length)
              record.dependency_ms = Object.fromEntries(Object.entries(evidence.calls).map(([d, c]) => [d, c.ms]));
            const scored =
              scorer && scenario.score
                ? scorer.score(
                    {
                      status: s.status,
                      error_kind: s.error_kind,
                      body: s.stream
                        ? streamedBody(s.stream, scenario.score.kind === 'rag-answer' ? scenario.score.answer : 'answer')
                        : s.body,
                      latency_ms: s.latency_ms,
                      request: s.meta.request,
                      question_id: s.meta.question_id,
                      category: s.meta.category,
                    },
                    truth,
                    evidence,
                  )
                : undefined;
            if (scored) {
              record.outcome = scored.outcome;
              record.quality = scored.quality;
              if (s.stream?.aborted) {
                scored.reasons.push(`stream aborted (${s.stream.abort_reason?.replace('_', ' ')}) after ${s.stream.tokens} tokens`);
                // The service ended the answer itself: whatever arrived is at best partial, never ok.
                if (record.outcome === 'ok') record.outcome = 'partial';
              }
              if (scored.reasons.length) record.reasons = scored.reasons;
            }
            analysis.add(record);
            const { itl_gaps_ms: _gaps, ...line } = record; // the gaps feed the ITL histograms only
            writer.write(line);
            const bad =
              s.error_kind !== null || (record.outcome !== undefined && record.outcome !== 'ok') || record.stream_aborted === true;
            if (bad && examples.length < 50 && examples.filter((e) => e.phase === record.phase).length < 10) {
              examples.push({
                id: s.id,
                phase: record.phase,
                outcome: record.outcome ?? null,
                error_kind: s.error_kind,
                status: s.status,
                latency_ms: s.latency_ms,
                request: s.meta.request,
                response: s.body.slice(0, 2000),
                reasons: record.reasons ?? [],
              });
            }
          },
        );
        for (const f of scenario.faults) {
          if (s.start_ms >= f.at_ms && s.start_ms < f.at_ms + f.for_ms) {
            const c = faultCounters.get(f.name)!;
            c.samples++;
            if (s.error_kind) c.failed++;
          }
        }
      },
    });
    signal.removeEventListener('abort', onAbort);
    if (failure) throw failure;
    checkAbort();
  } catch (error) {
    if (!failure) {
      if (signal.aborted && error === signal.reason) {
        /* interrupt: handled below */
      } else
        failure =
          error instanceof ShakedownError
            ? error
            : new ShakedownError('RUN_FAILED', `The run failed: ${(error as Error)?.stack ?? String(error)}`, { cause: error });
    }
  }

  watchdog?.stop();
  info('tearing down: removing faults, stopping the SUT, the fakes and Toxiproxy');
  // How far measured load got: all of it, or up to the moment a signal or a failure stopped it.
  if (t0 !== undefined) {
    reached_ms =
      loadSummary && !loadSummary.interrupted && stoppedAt === undefined
        ? scenario.load.duration_ms
        : Math.min(scenario.load.duration_ms, (stoppedAt ?? performance.now()) - t0);
  }
  // Evidence and counters before anything is torn down; held samples are scored once the fakes' logs are read.
  await evidenceJoin?.drain(fakes !== undefined && !fakes.hasExited);
  const faultProblems = scheduler ? await scheduler.stopAll() : [];
  const evidence = scheduler?.evidence() ?? [];
  let fakesHealth: number | null = null;
  // Reconciliation comes from the evidence join, which read every fake log entry during the run.
  const traced = fakes && !fakes.hasExited ? evidenceJoin?.counts() : undefined;
  if (fakes && !fakes.hasExited) {
    for (const name of Object.keys(dependencies)) {
      const stats = await fakes.stats(name).catch(() => undefined);
      if (stats)
        Object.assign(dependencies[name], {
          requests: stats.requests,
          by_status: stats.by_status,
          by_mode: stats.by_mode,
          by_path: stats.by_path,
        });
    }
    fakesHealth = (await fakes.health().catch(() => undefined))?.event_loop_delay_p99_ms ?? null;
  }
  const teardownStart = performance.now();
  const teardownProblems = [...faultProblems, ...(await teardown.run())];
  timings.teardown = Math.round(performance.now() - teardownStart);
  await writer.close().catch((e: Error) => teardownProblems.push(`samples file: ${e.message}`));

  const finished = analysis.finish(t0 === undefined ? 0 : reached_ms);
  for (const e of evidence) {
    const r = finished.recovery.get(e.name);
    if (r) Object.assign(e, r);
    const c = faultCounters.get(e.name)!;
    e.proof.samples_in_window = c.samples;
    e.proof.failed_samples_in_window = c.failed;
  }
  const interrupted = signal.aborted && !failure;
  const status: RunResult['run']['status'] = failure ? 'failed' : interrupted ? 'interrupted' : 'completed';
  const flags: string[] = [];
  const loadDelay = loadSummary?.event_loop_delay_p99_ms ?? null;
  if (loadDelay !== null && loadDelay > 50)
    flags.push(`load generator event-loop delay p99 ${loadDelay} ms (> 50 ms): latencies may be inflated by the harness`);
  if (loadSummary?.cpu_saturated)
    flags.push(
      `the harness was saturated (its event loop busy ${Math.round(loadSummary.event_loop_utilization * 100)} % of the time, ${loadSummary.cpu_cores} cores of CPU): sends and response stamps queued behind its own work; lower load.rate or load.connections`,
    );
  if (fakesHealth !== null && fakesHealth > 50) flags.push(`fakes event-loop delay p99 ${fakesHealth} ms (> 50 ms): fakes were saturated`);
  const late = loadSummary?.late ?? 0;
  if (loadSummary && (late > Math.max(5, loadSummary.arrivals * 0.05) || (late > 0 && loadSummary.max_lateness_ms > 100))) {
    const unsent = loadSummary.unsent ? `, ${loadSummary.unsent} never sent` : '';
    flags.push(
      `${late} of ${loadSummary.arrivals} arrivals went out late or not at all (max lateness ${loadSummary.max_lateness_ms} ms${unsent}): the load generator or its connections (load.connections) could not keep the pace; latencies still count from the intended start`,
    );
  }
  for (const e of evidence)
    if (e.applied_at_ms !== null && Math.abs(e.applied_at_ms - e.at_ms) > 50)
      flags.push(`fault ${e.name} applied ${Math.round(e.applied_at_ms - e.at_ms)} ms off schedule`);
  const scorerProblems = scorer?.problems();
  if (scorerProblems?.count)
    flags.push(`the custom scorer failed on ${scorerProblems.count} samples, left unscored: ${scorerProblems.messages.join('; ')}`);
  const slos = finished.slos;
  const failedSlos = slos.filter((s) => !s.passed).length;
  const meta = runMetadata(o, { toxiproxy, startedAt, status, failure, interrupted });

  const result: RunResult = {
    schemaVersion: SCHEMA_VERSION,
    run: {
      ...meta,
      timings_ms: timings,
      t0_epoch_ms: t0Epoch,
      scenario_hash: createHash('sha256').update(o.scenarioSource).digest('hex').slice(0, 16),
    },
    load: { ...scenario.load, requests: scenario.load.requests },
    phases: finished.phases,
    series: finished.series,
    faults: evidence,
    slos,
    verdict: { passed: status === 'completed' && failedSlos === 0, slos_total: slos.length, slos_failed: failedSlos },
    dependencies,
    reconciliation: {
      samples: finished.whole.requests,
      sent: loadSummary?.sent ?? 0,
      by_kind: Object.fromEntries(Object.entries(finished.whole.errors).filter(([, n]) => n > 0)),
      traced_by_fakes: traced?.traced ?? null,
      fake_requests: traced?.fake_requests ?? null,
      notes: [
        ...(loadSummary ? loadSummary.notes : []),
        ...(traced?.untraced_calls
          ? [`${traced.untraced_calls} dependency calls carried no trace id (the SUT did not forward traceparent or x-shakedown-sample-id)`]
          : []),
      ],
    },
    health: {
      trusted: flags.length === 0,
      flags,
      load_event_loop_delay_p99_ms: loadDelay,
      fakes_event_loop_delay_p99_ms: fakesHealth,
      late_arrivals: late,
      max_lateness_ms: loadSummary?.max_lateness_ms ?? null,
    },
    score: resilienceScore(finished.phases, evidence, scenario.scoreWeights, recoveryBounds(scenario), SCENARIO_DEFAULTS.recoveryBound_s),
    attribution: {
      phases: (evidenceJoin?.attribution() ?? []).map((a) => {
        const p = finished.phases.find((q) => q.name === a.phase);
        return {
          phase: a.phase,
          sut: { requests: p?.metrics.requests ?? 0, p50_ms: p?.metrics.p50_ms ?? null, p95_ms: p?.metrics.p95_ms ?? null },
          dependencies: a.dependencies,
          traced_samples: a.traced_samples,
          traced_mean_ms: a.traced_mean_ms,
          share_of_sut_latency: a.share_of_sut_latency,
        };
      }),
      notes: evidenceJoin?.notes() ?? [],
    },
    examples,
    files: { samples: 'samples.ndjson', results: 'results.json' },
  };
  writeJsonAtomic(resultsFile, result);
  return { result, resultsFile, teardownProblems, ...(failure ? { error: failure } : {}) };
}

export { evaluateEnv } from './evaluate-env.ts';
