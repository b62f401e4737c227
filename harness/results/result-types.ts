/**
 * The run result (`results.json`), schema version 2 (README "Result schema": 2 added the `truncated` outcome and
 * `truncated_rate`, and counts a request in the fault phase its time overlapped; `compare` and `trend` read 1). Renderers read only these types. Times: `*_ms` are
 * milliseconds since `t0` (the start of measured load, monotonic clock) unless named `*_epoch_ms`; rates are
 * fractions in [0, 1]; latencies in ms with sub-millisecond precision (HDR histograms, 3 significant digits).
 * README.md "Result schema" documents every field.
 */
import type { MetricName, Outcome, SloMetricName } from '../scenario/metrics.ts';

export const SCHEMA_VERSION = 2;

/** Older schema versions `compare` and `trend` still read (harness/results/read-result-file.ts maps them). */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = Object.freeze([1, SCHEMA_VERSION]);

export type ErrorKind = 'timeout' | 'reset' | 'refused' | 'closed' | 'http_4xx' | 'http_5xx';
export const ERROR_KINDS: readonly ErrorKind[] = ['timeout', 'reset', 'refused', 'closed', 'http_4xx', 'http_5xx'];

/** One line of `samples.ndjson`. */
export interface SampleRecord {
  id: number;
  /** Intended start (arrival-rate executors) or actual start (constant-vus), ms since t0. */
  start_ms: number;
  end_ms: number;
  latency_ms: number;
  ttfb_ms: number | null;
  status: number | null;
  error_kind: ErrorKind | null;
  bytes: number;
  phase: string;
  question_id?: string;
  category?: string;
  outcome?: Outcome;
  quality?: number;
  reasons?: string[];
  /** Calls each fake logged for this request, per dependency, however matched (README "Dependency call metrics"). */
  dependency_calls?: Record<string, number>;
  /** Traced samples: ms of this sample's latency attributed to each dependency (README "Dependency attribution"). */
  dependency_ms?: Record<string, number>;
  /** Streamed responses (`text/event-stream`) only: time to first token from the intended start, mean inter-token gap (null with < 2 tokens), token events, and whether the stream ended without its completion event (why: `error_event`, `connection`, `no_completion`). */
  ttft_ms?: number | null;
  itl_ms?: number | null;
  tokens?: number;
  stream_aborted?: boolean;
  stream_abort_reason?: 'error_event' | 'connection' | 'no_completion' | null;
  /** Every inter-token gap (ms), for the phase's ITL histogram; kept in memory, not written to samples.ndjson. */
  itl_gaps_ms?: number[];
}

export type PhaseMetrics = Partial<Record<MetricName, number | null>> & {
  requests: number;
  throughput_rps: number;
  /** null when the slice has no samples (so an SLO on it fails instead of passing on 0). */
  error_rate: number | null;
  timeout_rate: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
  mean_ms: number | null;
  /** Streamed responses in the slice; with any, also `ttft_ms` / `itl_ms` (p95), these p50s and `stream_abort_rate`. */
  streams?: number;
  ttft_p50_ms?: number | null;
  itl_p50_ms?: number | null;
};

export interface PhaseResult {
  name: string;
  kind: 'baseline' | 'fault' | 'recovery';
  start_ms: number;
  end_ms: number;
  faults: string[];
  /** False when the run stopped before the phase ended (interrupt, infrastructure failure). */
  completed: boolean;
  metrics: PhaseMetrics;
  errors: Record<ErrorKind, number>;
  outcomes: Partial<Record<Outcome, number>>;
  by_category: Record<
    string,
    {
      requests: number;
      error_rate: number | null;
      quality: number | null;
      p95_ms: number | null;
      outcomes?: Partial<Record<Outcome, number>>;
    }
  >;
  /** Against baseline: latency ratios, rate deltas (this − baseline). Absent for baseline itself. */
  degradation?: { p50_ratio: number | null; p95_ratio: number | null; error_rate_delta: number | null; quality_delta: number | null };
  /** Base64 HDR histogram of latencies in µs (mergeable across runs/shards). */
  latency_histogram_us: string;
}

export interface SeriesPoint {
  /** Bucket start, whole seconds since t0. */
  t_s: number;
  requests: number;
  throughput_rps: number;
  errors: Record<ErrorKind, number>;
  error_rate: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  quality: number | null;
  /** Buckets with streamed responses: p95 time to first token, p95 inter-token gap, share of streams aborted. */
  ttft_ms?: number | null;
  itl_ms?: number | null;
  stream_abort_rate?: number | null;
  phase: string;
  active_faults: string[];
  /** Count per outcome of the second's samples (scored runs only). */
  outcomes?: Partial<Record<Outcome, number>>;
}

/** The resilience score (README "Resilience score"): value 0–100, components 0–100 with weights, the formula as text. */
export interface ResilienceScoreResult {
  value: number | null;
  components: Array<{ name: 'availability' | 'latency' | 'quality' | 'recovery'; value: number | null; weight: number }>;
  formula: string;
  phases: Array<{ phase: string; availability: number | null; latency: number | null; quality: number | null }>;
  faults: Array<{ fault: string; recovery_s: number | null; bound_s: number; recovery: number | null }>;
}

/**
 * Resilience score v2 (README "Resilience score"; harness/metrics/resilience-score-v2.ts): the mean over fault and
 * recovery phases of 100 × mean credit by outcome class. `components` are the classes' shares of those phases'
 * requests (percent), each with its credit as weight.
 */
export interface ResilienceScoreV2Result {
  version: 2;
  value: number | null;
  /**
   * True when the run did not complete (interrupted or failed): the value covers only the requests measured before
   * it stopped, and a phase cut short weighs as much as a whole one. Not comparable with a completed run's score.
   */
  partial?: boolean;
  /** The latency budget the classes were judged against (ms); null when the phases had different ones (`phases[].budget_ms`). */
  budget_ms: number | null;
  /** One terminal line. */
  formula: string;
  /** The whole formula with each class defined (HTML report). */
  formula_long: string;
  components: Array<{ name: 'good' | 'loud' | 'late' | 'quiet'; value: number | null; weight: number }>;
  phases: Array<{
    phase: string;
    budget_ms: number;
    requests: number;
    classes: Record<'good' | 'loud' | 'late' | 'quiet', number>;
    value: number;
  }>;
}

/** Dependency attribution of one phase (README "Dependency attribution"). */
export interface PhaseAttributionResult {
  phase: string;
  /** The SUT's latency in the phase, to line the dependencies up with. */
  sut: { requests: number; p50_ms: number | null; p95_ms: number | null };
  dependencies: Record<string, { calls: number; errors: number; error_rate: number | null; p50_ms: number | null; p95_ms: number | null }>;
  traced_samples: number;
  traced_mean_ms: number | null;
  share_of_sut_latency: Record<string, number>;
}

/** How a dependency call was matched to the sample that caused it (README "Dependency call metrics"). */
export type MatchKind = 'trace_id' | 'sample_id_header' | 'question_text' | 'unmatched';

export interface DependencyPhaseCalls {
  phase: string;
  requests: number;
  calls: number;
  calls_per_request: number | null;
  calls_per_request_p95: number | null;
  /** calls_per_request ÷ baseline calls_per_request; null without a baseline with calls. */
  retry_amplification: number | null;
  /** Calls sent before the previous call's `retry-after` had passed (same request, same path). */
  early_retries: number;
  early_retry_rate: number | null;
  /** Calls beyond the first on the same path for the same request. */
  duplicate_calls: number;
  /** Share of requests that made some call (same path) more than once. */
  duplicate_call_rate: number | null;
}

/** One dependency's call metrics per phase (harness/metrics/dependency-calls.ts). */
export interface DependencyCalls {
  phases: DependencyPhaseCalls[];
  /** How each logged call was matched to a sample, counted. */
  matched: Record<MatchKind, number>;
}

export interface FaultEvidence {
  name: string;
  on: string;
  description: string;
  at_ms: number;
  for_ms: number;
  /** When the harness finished applying it / removing it, ms since t0; null if it never happened. */
  applied_at_ms: number | null;
  removed_at_ms: number | null;
  /** Toxiproxy toxic name or fake mode id, and the proxy it was on. */
  target: { proxy: string; toxic?: string; mode_id?: string; fake?: string };
  /** Proof it reached traffic: requests the fake saw during the window, requests where the mode applied, samples that failed. */
  proof: {
    fake_requests_in_window: number | null;
    mode_applied: number | null;
    samples_in_window: number;
    failed_samples_in_window: number;
    /**
     * Connections to the fake the fault was rolled for: open when it went on plus opened during the window (one per
     * proxy link); null when the fakes' counters could not be read. Absent in results written before it was counted.
     */
    connections_in_window?: number | null;
    /**
     * A toxic with `toxicity < 1` only (harness/metrics/toxic-reach.ts): the chance that Toxiproxy's per-connection
     * rolls touched none of those connections, and for a latency toxic the calls in the window and those that
     * provably did not meet it (null for other toxics).
     */
    reach?: { chance_untouched: number | null; calls_in_window: number | null; calls_untouched: number | null };
  };
  recovery_s: number | null;
  /** `recovered`, `not_recovered` (never back within tolerance before the run ended), or `no_baseline`. */
  recovery: 'recovered' | 'not_recovered' | 'no_baseline' | 'not_measured';
  problems: string[];
}

export interface SloVerdict {
  selector: string;
  phase: string;
  metric: SloMetricName;
  expression: string;
  actual: number | null;
  passed: boolean;
  /** How far from the threshold, in the metric's unit: positive = room to spare, negative = by how much it failed. */
  margin: number | null;
  reason?: string;
}

export interface DependencyStats {
  kind: string;
  fake_url: string;
  proxy_url: string;
  requests: number;
  by_status: Record<string, number>;
  by_mode: Record<string, number>;
  by_path: Record<string, number>;
}

export interface HealthReport {
  trusted: boolean;
  flags: string[];
  load_event_loop_delay_p99_ms: number | null;
  fakes_event_loop_delay_p99_ms: number | null;
  late_arrivals: number;
  max_lateness_ms: number | null;
}

export interface RunResult {
  schemaVersion: typeof SCHEMA_VERSION;
  run: {
    id: string;
    label: string;
    scenario: string;
    description: string;
    scenario_file: string;
    scenario_hash: string;
    git_sha: string | null;
    seed: number;
    status: 'completed' | 'interrupted' | 'failed';
    status_reason: string | null;
    started_at: string;
    ended_at: string;
    t0_epoch_ms: number | null;
    /** Milestones in ms since the run began (after the scenario loaded): toxiproxy_ready, fakes_ready, proxies_ready, sut_ready, first_request (warm-up), measured_load (t0); and teardown (its duration). */
    timings_ms: Record<string, number>;
    versions: Record<string, string>;
    toxiproxy: { url: string; source: string; version: string } | null;
    host: { platform: string; cores: number; memory_gb: number; node: string };
  };
  load: Record<string, unknown>;
  phases: PhaseResult[];
  series: SeriesPoint[];
  faults: FaultEvidence[];
  slos: SloVerdict[];
  verdict: { passed: boolean; slos_total: number; slos_failed: number };
  dependencies: Record<string, DependencyStats>;
  /** samples recorded vs sent by the engine; traced_by_fakes: measured samples whose trace id reached at least one fake (warm-up excluded); fake_requests: calls the fakes logged (warm-up included). */
  reconciliation: {
    samples: number;
    sent: number;
    by_kind: Record<string, number>;
    traced_by_fakes: number | null;
    fake_requests: number | null;
    notes: string[];
  };
  health: HealthReport;
  /** Resilience score: v2 since schemaVersion 2 (v1, the weighted components, in older results); absent before it existed. */
  score?: ResilienceScoreResult | ResilienceScoreV2Result;
  /** Dependency call metrics per dependency (harness/metrics/dependency-calls.ts); absent in older results. */
  dependency_calls?: Record<string, DependencyCalls>;
  /** Dependency attribution per phase; absent in results written before it existed. */
  attribution?: { phases: PhaseAttributionResult[]; notes: string[] };
  examples: Array<{
    id: number;
    phase: string;
    outcome: string | null;
    error_kind: string | null;
    status: number | null;
    latency_ms: number;
    request: unknown;
    response: string;
    reasons: string[];
  }>;
  files: { samples: string; results: string };
  /** Set by the readers (never written) when the file had an older schemaVersion and was mapped to this one. */
  read_from_schema?: number;
}

/** What compare reads of each sample (samples.ndjson). */
export type CompareSample = Pick<
  SampleRecord,
  'id' | 'phase' | 'latency_ms' | 'error_kind' | 'outcome' | 'quality' | 'ttft_ms' | 'itl_ms' | 'stream_aborted' | 'dependency_calls'
>;

// An explore property's argument (harness/scenario/explore-space.ts) is a trial's RunResult.
declare module '../scenario/explore-space.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface TrialResult extends RunResult {}
}
