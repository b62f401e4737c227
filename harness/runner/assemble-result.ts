/**
 * Puts the run's figures together into the RunResult written as results.json: metadata, the analysis's phases
 * and SLOs, the fault evidence joined with recovery times and window counts, reconciliation, health,
 * resilience score and attribution. Pure: everything it needs comes in `ResultInputs`; nothing is mutated.
 */
import { createHash } from 'node:crypto';
import type { PhaseAttribution } from '../metrics/dependency-attribution.ts';
import {
  connectionWaitNote,
  faultTimingFlag,
  lateArrivalsFlag,
  shieldedArrivalsFlag,
  type ArrivalTiming,
} from '../metrics/lateness-flags.ts';
import { scoreV2Result } from '../metrics/resilience-score-v2.ts';
import { chanceUntouched, toxicReachProblem } from '../metrics/toxic-reach.ts';
import type { RunAnalysis } from '../metrics/run-analysis.ts';
import { SCHEMA_VERSION, type FaultEvidence, type RunResult } from '../results/result-types.ts';
import type { ResolvedScenario } from '../scenario/index.ts';
import { connectionsCoveringHang } from '../scenario/defaults.ts';
import { runVerdict } from '../scoring/run-verdict.ts';
import type { DriveLoadSummary } from './drive-load.ts';
import { healthFlags } from './health-flags.ts';
import type { FaultWindowCount } from './sample-pipeline.ts';

export interface ResultInputs {
  scenario: Pick<ResolvedScenario, 'load' | 'faults' | 'slos'>;
  /** The scenario file's text: its hash tells runs of the same scenario apart from edited ones. */
  scenarioSource: string;
  /** From runMetadata (status and status_reason included). */
  meta: Omit<RunResult['run'], 't0_epoch_ms' | 'scenario_hash' | 'timings_ms'>;
  timings_ms: Record<string, number>;
  t0_epoch_ms: number | null;
  finished: ReturnType<RunAnalysis['finish']>;
  /** The fault scheduler's evidence, before recovery and window counts are joined in. */
  faults: readonly FaultEvidence[];
  faultWindows: ReadonlyMap<string, FaultWindowCount>;
  /** Undefined when measured load never started. */
  load: DriveLoadSummary | undefined;
  fakes_event_loop_delay_p99_ms: number | null;
  /** The evidence join's counts; undefined when the fakes were gone before they could be read. */
  traced: { traced: number; fake_requests: number; untraced_calls: number } | undefined;
  dependencies: RunResult['dependencies'];
  attribution: { phases: PhaseAttribution[]; notes: string[] };
  examples: RunResult['examples'];
  scorerProblems: { count: number; messages: string[] } | null;
  /** Changes to the run's proxies or fakes it did not make (tamper-check.ts). */
  tampering: readonly string[];
  /** Each dependency's call metrics (harness/metrics/dependency-calls.ts); absent when the fakes' logs were not read. */
  dependencyCalls?: RunResult['dependency_calls'];
}

export function assembleResult(i: ResultInputs): RunResult {
  const { finished, load } = i;
  const faults = i.faults.map((e) => {
    const window = i.faultWindows.get(e.name);
    const fault = i.scenario.faults.find((f) => f.name === e.name)?.fault;
    const rolled = fault?.kind === 'toxic' && fault.toxicity < 1 ? fault : undefined;
    const connections = e.proof.connections_in_window ?? null;
    const reach = rolled && {
      chance_untouched: connections === null ? null : chanceUntouched(rolled.toxicity, connections),
      calls_in_window: window?.reach?.in_window ?? null,
      calls_untouched: window?.reach?.untouched ?? null,
    };
    // Only when requests reached the fake in the window: otherwise the scheduler already said it was not exercised.
    const problem =
      rolled && e.proof.fake_requests_in_window !== 0
        ? toxicReachProblem({ on: e.on, type: rolled.type, toxicity: rolled.toxicity, connections, calls: window?.reach ?? null })
        : null;
    return {
      ...e,
      ...finished.recovery.get(e.name),
      proof: {
        ...e.proof,
        samples_in_window: window?.samples ?? 0,
        failed_samples_in_window: window?.failed ?? 0,
        ...(reach ? { reach } : {}),
      },
      problems: problem ? [...e.problems, problem] : e.problems,
    };
  });
  const loadDelay = load?.event_loop_delay_p99_ms ?? null;
  const timing: ArrivalTiming | undefined = load && {
    arrivals: load.arrivals,
    late: load.late,
    unsent: load.unsent,
    max_lateness_ms: load.max_lateness_ms,
    rate_rps: arrivalRate(i.scenario.load),
    p50_ms: finished.whole.metrics(i.scenario.load.duration_ms, false).p50_ms,
    waited_for_connection: load.waited_for_connection,
    pacer_max_lateness_ms: load.pacer_max_lateness_ms,
    connections: 'connections' in i.scenario.load ? (i.scenario.load.connections ?? null) : null,
  };
  const waitNote = timing ? connectionWaitNote(timing) : null;
  const flags = healthFlags({
    load_event_loop_delay_p99_ms: loadDelay,
    fakes_event_loop_delay_p99_ms: i.fakes_event_loop_delay_p99_ms,
    lateness: load ? lateArrivalsFlag(timing!) : null,
    faults: [
      ...faults.map((f) => faultTimingFlag(f, i.meta.status !== 'completed')),
      ...faults.map((f) =>
        shieldedArrivalsFlag({
          name: f.name,
          samples: f.proof.samples_in_window,
          shielded: i.faultWindows.get(f.name)?.shielded ?? 0,
          connections: timing?.connections ?? null,
          cover: coverConnections(i.scenario.load),
        }),
      ),
    ],
    harness_cpu: load
      ? { event_loop_utilization: load.event_loop_utilization, cpu_cores: load.cpu_cores, cpu_saturated: load.cpu_saturated }
      : null,
    scorer: i.scorerProblems,
    tampering: i.tampering,
  });
  const untraced = i.traced?.untraced_calls ?? 0;
  return {
    schemaVersion: SCHEMA_VERSION,
    run: {
      ...i.meta,
      timings_ms: i.timings_ms,
      t0_epoch_ms: i.t0_epoch_ms,
      scenario_hash: createHash('sha256').update(i.scenarioSource).digest('hex').slice(0, 16),
    },
    load: { ...i.scenario.load, requests: i.scenario.load.requests },
    phases: finished.phases,
    series: finished.series,
    faults,
    slos: finished.slos,
    verdict: runVerdict(i.meta.status, finished.slos),
    dependencies: i.dependencies,
    reconciliation: {
      samples: finished.whole.requests,
      sent: load?.sent ?? 0,
      by_kind: Object.fromEntries(Object.entries(finished.whole.errors).filter(([, n]) => n > 0)),
      traced_by_fakes: i.traced?.traced ?? null,
      fake_requests: i.traced?.fake_requests ?? null,
      notes: [
        ...(load ? load.notes : []),
        ...(waitNote ? [waitNote] : []),
        ...(untraced
          ? [`${untraced} dependency calls carried no trace id (the SUT did not forward traceparent or x-shakedown-sample-id)`]
          : []),
      ],
    },
    health: {
      trusted: flags.length === 0,
      flags,
      load_event_loop_delay_p99_ms: loadDelay,
      fakes_event_loop_delay_p99_ms: i.fakes_event_loop_delay_p99_ms,
      late_arrivals: load?.late ?? 0,
      max_lateness_ms: load?.max_lateness_ms ?? null,
    },
    score: { ...scoreV2Result(finished.score), ...(i.meta.status !== 'completed' ? { partial: true } : {}) },
    ...(i.dependencyCalls ? { dependency_calls: i.dependencyCalls } : {}),
    attribution: {
      phases: i.attribution.phases.map((a) => {
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
      notes: i.attribution.notes,
    },
    examples: i.examples,
    files: { samples: 'samples.ndjson', results: 'results.json' },
  };
}

/** The connections that cover a hang at the load's peak rate (defaults.ts); null for closed-model load. */
function coverConnections(load: ResultInputs['scenario']['load']): number | null {
  if (load.executor === 'constant-vus') return null;
  const peak = load.executor === 'constant-arrival-rate' ? load.rate : Math.max(load.startRate, ...load.stages.map((s) => s.target));
  return connectionsCoveringHang(peak, load.timeout_ms);
}

/** The load's mean arrival rate (req/s); null for closed-model load (constant-vus). */
function arrivalRate(load: ResultInputs['scenario']['load']): number | null {
  if (load.executor === 'constant-arrival-rate') return load.rate;
  if (load.executor === 'constant-vus' || load.duration_ms === 0) return null;
  let from = load.startRate;
  let arrivals = 0;
  for (const st of load.stages) {
    arrivals += ((from + st.target) / 2) * (st.duration_ms / 1000);
    from = st.target;
  }
  return arrivals / (load.duration_ms / 1000);
}
