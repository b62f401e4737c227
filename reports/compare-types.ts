/**
 * The types and defaults of a comparison, shared by compare-runs.ts and the tests it runs (compare-requests.ts,
 * compare-slos.ts); in their own file so that those import no module that imports them.
 */
import type { CompareSample, RunResult } from '../harness/results/result-types.ts';

export type { CompareSample };

/** Metrics compared per phase, from the 1-second series. `higherIsBetter` sets the direction of a verdict. */
export const COMPARED_METRICS = Object.freeze([
  { metric: 'throughput_rps', higherIsBetter: true },
  { metric: 'error_rate', higherIsBetter: false },
  { metric: 'timeout_rate', higherIsBetter: false },
  { metric: 'p50_ms', higherIsBetter: false },
  { metric: 'p95_ms', higherIsBetter: false },
  { metric: 'p99_ms', higherIsBetter: false },
  { metric: 'quality', higherIsBetter: true },
  { metric: 'ttft_ms', higherIsBetter: false },
  { metric: 'itl_ms', higherIsBetter: false },
  { metric: 'stream_abort_rate', higherIsBetter: false },
  // The quiet harm, per outcome (scored runs): an honest 5xx turned into an empty 200 lowers error_rate; these
  // make it show as worse.
  { metric: 'empty_rate', higherIsBetter: false },
  { metric: 'fallback_rate', higherIsBetter: false },
  { metric: 'stale_rate', higherIsBetter: false },
  { metric: 'wrong_rate', higherIsBetter: false },
  { metric: 'partial_rate', higherIsBetter: false },
  { metric: 'truncated_rate', higherIsBetter: false },
] as const);
export type ComparedMetric = (typeof COMPARED_METRICS)[number]['metric'];

export interface CompareOptions {
  /** Significance level of the two-sided Welch test. Default 0.01. */
  alpha?: number;
  /** Smallest difference that counts, per metric: `abs` in the metric's unit, `rel` as a fraction of the baseline; the larger applies. */
  minEffect?: Partial<Record<ComparedMetric, { abs: number; rel: number }>>;
}
export interface ResolvedCompareOptions {
  alpha: number;
  minEffect: Record<ComparedMetric, { abs: number; rel: number }>;
}

/**
 * Defaults. The latency minimums are on the scale of AI services (hundreds of ms to seconds): two runs of one build
 * on a busy machine (one core spun by another process) moved a 22 ms baseline p99 by +23.6 ms with the whole
 * distribution 6 ms slower (p < 0.001, intervals apart), which 20 ms called a regression; the careless pairs'
 * latency regressions are seconds.
 */
export const COMPARE_DEFAULTS: Readonly<ResolvedCompareOptions> = Object.freeze({
  alpha: 0.01,
  minEffect: Object.freeze({
    throughput_rps: { abs: 0.5, rel: 0.05 },
    error_rate: { abs: 0.01, rel: 0 },
    timeout_rate: { abs: 0.01, rel: 0 },
    p50_ms: { abs: 25, rel: 0.15 },
    p95_ms: { abs: 50, rel: 0.2 },
    p99_ms: { abs: 50, rel: 0.25 },
    quality: { abs: 0.02, rel: 0 },
    ttft_ms: { abs: 25, rel: 0.15 },
    itl_ms: { abs: 10, rel: 0.15 },
    stream_abort_rate: { abs: 0.01, rel: 0 },
    empty_rate: { abs: 0.01, rel: 0 },
    fallback_rate: { abs: 0.01, rel: 0 },
    stale_rate: { abs: 0.01, rel: 0 },
    wrong_rate: { abs: 0.01, rel: 0 },
    partial_rate: { abs: 0.01, rel: 0 },
    truncated_rate: { abs: 0.01, rel: 0 },
  }),
});

export type Verdict = 'better' | 'worse' | 'same' | 'untested';

export interface RunRef {
  file: string;
  label: string;
  git_sha: string | null;
  id: string;
  scenario_hash: string;
  status: string;
  trusted: boolean;
}

export interface MetricRow {
  phase: string;
  metric: string;
  baseline: number | null;
  candidate: number | null;
  delta: number | null;
  /** Two-sided p-value of the row's test; null when not tested. */
  pValue: number | null;
  /** The test used: over requests, over paired requests (same seed), over 1-second buckets, or an SLO verdict. */
  test: CompareTest | null;
  /** Values the test used per side: requests, pairs (both the same), or buckets. */
  n: [number, number];
  /** Deprecated alias of `n` for Welch rows (1-second buckets); [0, 0] otherwise. */
  buckets: [number, number];
  minEffect: number | null;
  verdict: Verdict;
  /** Why a row is `untested` (`not enough data: 4 vs 3 requests, need 10 each`). */
  reason?: string;
}

export type CompareTest = 'mann-whitney' | 'fisher' | 'sign' | 'mcnemar' | 'welch-buckets' | 'slo';

export interface CompareInput {
  file: string;
  result: RunResult;
  /** The run's samples; without them every metric is tested over 1-second buckets. */
  samples?: readonly CompareSample[];
}
