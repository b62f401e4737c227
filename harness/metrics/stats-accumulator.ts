/**
 * Accumulates samples into the standard metrics of one slice of a run (a phase, a 1-second bucket, a category).
 * Latencies go into an HDR histogram (constant memory, mergeable; phases and categories), or, with
 * `{ exact: true }`, into a plain array with nearest-rank percentiles (1-second buckets: a few hundred values
 * each, and ~100× cheaper to read than scanning a one-hour HDR count array per percentile).
 * Every rate is null for an empty slice, so an SLO on it fails with "no samples" instead of passing on 0.
 * Streamed responses (samples with `stream_aborted` set) add `ttft_ms` (p95 of time to first token), `itl_ms`
 * (p95 over every inter-token gap of the slice, not over per-sample means), their p50s and `stream_abort_rate`
 * (aborted / streams); a slice without streams has none of these keys.
 */
import { ERROR_KINDS, type ErrorKind, type PhaseMetrics, type SampleRecord } from '../results/result-types.ts';
import type { Outcome } from '../scenario/metrics.ts';
import {
  createLatencyHistogram,
  encodeHistogram,
  maxMs,
  meanMs,
  percentileMs,
  recordLatency,
  type LatencyHistogram,
} from './latency-histogram.ts';

export interface StatsAccumulator {
  add(sample: SampleRecord, goodLatencyMs?: number): void;
  readonly requests: number;
  readonly errors: Record<ErrorKind, number>;
  readonly outcomes: Partial<Record<Outcome, number>>;
  /**
   * Metrics over a window of `duration_ms` (throughput = requests / duration).
   * @param scored whether samples carry a quality (a scorer ran); quality metrics are null otherwise
   */
  metrics(duration_ms: number, scored: boolean): PhaseMetrics;
  encodedHistogram(): string;
}

export function emptyErrorCounts(): Record<ErrorKind, number> {
  return Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as Record<ErrorKind, number>;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

interface LatencyRecorder {
  record(latency_ms: number): void;
  percentile(p: number): number | null;
  max(): number | null;
  mean(): number | null;
  encoded(): string;
}

function hdrRecorder(compact: boolean): LatencyRecorder {
  const h: LatencyHistogram = createLatencyHistogram({ compact });
  return {
    record: (v) => recordLatency(h, v),
    // HDR reports a bucket's top, which can pass the exact max by < 0.1 %: never report p99 above max.
    percentile: (p) => {
      const v = percentileMs(h, p);
      const m = maxMs(h);
      return v === null || m === null ? v : Math.min(v, m);
    },
    max: () => maxMs(h),
    mean: () => meanMs(h),
    encoded: () => encodeHistogram(h),
  };
}

/** Exact latencies; percentile by nearest rank (the value at rank ceil(p/100 × n)), rounded to 0.001 ms. */
function exactRecorder(): LatencyRecorder {
  const values: number[] = [];
  let sorted = true;
  let sum = 0;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    record(v) {
      if (values.length && v < values[values.length - 1]) sorted = false;
      values.push(v);
      sum += v;
    },
    percentile(p) {
      if (values.length === 0) return null;
      if (!sorted) {
        values.sort((a, b) => a - b);
        sorted = true;
      }
      return r3(values[Math.max(0, Math.ceil((p / 100) * values.length) - 1)]);
    },
    max() {
      return values.length ? r3(values.reduce((a, b) => (b > a ? b : a), -Infinity)) : null;
    },
    mean: () => (values.length ? r3(sum / values.length) : null),
    encoded() {
      const h = createLatencyHistogram();
      for (const v of values) recordLatency(h, v);
      return encodeHistogram(h);
    },
  };
}

/**
 * `exact`: every latency kept (per-second buckets); `compact`: packed HDR counts, for the many small slices (see
 * latency-histogram.ts); default: 32-bit HDR counts.
 */
export function createStatsAccumulator(options: { exact?: boolean; compact?: boolean } = {}): StatsAccumulator {
  const latencies = options.exact ? exactRecorder() : hdrRecorder(options.compact ?? false);
  // Streamed responses: time to first token per stream, and every inter-token gap (so itl p95 is over gaps)
  // (created with the first stream, so slices of a run without streams pay nothing)
  let ttfts: LatencyRecorder | undefined;
  let gaps: LatencyRecorder | undefined;
  let streams = 0;
  let aborted = 0;
  const errors = emptyErrorCounts();
  const outcomes: Partial<Record<Outcome, number>> = {};
  let requests = 0;
  let failed = 0;
  let qualitySum = 0;
  let qualityCount = 0;
  let good = 0;
  return {
    add(sample, goodLatencyMs) {
      requests++;
      latencies.record(sample.latency_ms);
      if (sample.error_kind) {
        errors[sample.error_kind]++;
        failed++;
      }
      if (sample.outcome) outcomes[sample.outcome] = (outcomes[sample.outcome] ?? 0) + 1;
      if (sample.quality !== undefined) {
        qualitySum += sample.quality;
        qualityCount++;
      }
      if (sample.stream_aborted !== undefined) {
        streams++;
        if (sample.stream_aborted) aborted++;
        ttfts ??= options.exact ? exactRecorder() : hdrRecorder(options.compact ?? false);
        gaps ??= options.exact ? exactRecorder() : hdrRecorder(options.compact ?? false);
        if (sample.ttft_ms != null) ttfts.record(sample.ttft_ms);
        for (const gap of sample.itl_gaps_ms ?? []) gaps.record(gap);
      }
      const qualityOk = sample.outcome === undefined ? true : sample.outcome === 'ok';
      if (!sample.error_kind && qualityOk && (goodLatencyMs === undefined || sample.latency_ms <= goodLatencyMs)) good++;
    },
    get requests() {
      return requests;
    },
    get errors() {
      return errors;
    },
    get outcomes() {
      return outcomes;
    },
    metrics(duration_ms, scored) {
      const seconds = Math.max(duration_ms, 1) / 1000;
      const share = (n: number) => (requests ? round(n / requests) : null);
      const m: PhaseMetrics = {
        requests,
        throughput_rps: round(requests / seconds, 3),
        error_rate: share(failed),
        timeout_rate: share(errors.timeout),
        p50_ms: latencies.percentile(50),
        p95_ms: latencies.percentile(95),
        p99_ms: latencies.percentile(99),
        max_ms: latencies.max(),
        mean_ms: latencies.mean(),
        http_error_rate: share(errors.http_4xx + errors.http_5xx),
        connection_error_rate: share(errors.reset + errors.refused + errors.closed),
        // decided from the dependency evidence, not a scorer, so present in unscored runs too
        truncated_rate: share(outcomes.truncated ?? 0),
      };
      if (ttfts && gaps) {
        Object.assign(m, {
          streams,
          ttft_ms: ttfts.percentile(95),
          ttft_p50_ms: ttfts.percentile(50),
          itl_ms: gaps.percentile(95),
          itl_p50_ms: gaps.percentile(50),
          stream_abort_rate: round(aborted / streams),
        });
      }
      if (scored) {
        m.quality = qualityCount ? round(qualitySum / qualityCount) : null;
        m.goodput_rps = round(good / seconds, 3);
        for (const o of ['ok', 'partial', 'stale', 'wrong', 'fallback', 'empty'] as const) {
          m[`${o}_rate`] = share(outcomes[o] ?? 0);
        }
        m.timeout_outcome_rate = share(outcomes.timeout ?? 0);
      }
      return m;
    },
    encodedHistogram() {
      return latencies.encoded();
    },
  };
}
