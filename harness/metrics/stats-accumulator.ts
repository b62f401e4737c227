/**
 * Accumulates samples into the standard metrics of one slice of a run (a phase, a 1-second bucket, a category).
 * Memory is constant per accumulator: counters plus one HDR histogram.
 */
import { ERROR_KINDS, type ErrorKind, type PhaseMetrics, type SampleRecord } from '../results/result-types.ts';
import type { Outcome } from '../scenario/metrics.ts';
import { createLatencyHistogram, encodeHistogram, maxMs, meanMs, percentileMs, recordLatency, type LatencyHistogram } from './latency-histogram.ts';

export interface StatsAccumulator {
  add(sample: SampleRecord, goodLatencyMs?: number): void;
  readonly requests: number;
  readonly histogram: LatencyHistogram;
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

export function createStatsAccumulator(): StatsAccumulator {
  const histogram = createLatencyHistogram();
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
      recordLatency(histogram, sample.latency_ms);
      if (sample.error_kind) {
        errors[sample.error_kind]++;
        failed++;
      }
      if (sample.outcome) outcomes[sample.outcome] = (outcomes[sample.outcome] ?? 0) + 1;
      if (sample.quality !== undefined) {
        qualitySum += sample.quality;
        qualityCount++;
      }
      const qualityOk = sample.outcome === undefined ? true : sample.outcome === 'ok';
      if (!sample.error_kind && qualityOk && (goodLatencyMs === undefined || sample.latency_ms <= goodLatencyMs)) good++;
    },
    get requests() { return requests; },
    get histogram() { return histogram; },
    get errors() { return errors; },
    get outcomes() { return outcomes; },
    metrics(duration_ms, scored) {
      const seconds = Math.max(duration_ms, 1) / 1000;
      const m: PhaseMetrics = {
        requests,
        throughput_rps: round(requests / seconds, 3),
        error_rate: requests ? round(failed / requests) : 0,
        timeout_rate: requests ? round(errors.timeout / requests) : 0,
        p50_ms: percentileMs(histogram, 50),
        p95_ms: percentileMs(histogram, 95),
        p99_ms: percentileMs(histogram, 99),
        max_ms: maxMs(histogram),
        mean_ms: meanMs(histogram),
        http_error_rate: requests ? round((errors.http_4xx + errors.http_5xx) / requests) : 0,
        connection_error_rate: requests ? round((errors.reset + errors.refused + errors.closed) / requests) : 0,
      };
      if (scored) {
        m.quality = qualityCount ? round(qualitySum / qualityCount) : null;
        m.goodput_rps = round(good / seconds, 3);
        for (const o of ['ok', 'partial', 'stale', 'wrong', 'fallback', 'empty'] as const) {
          m[`${o}_rate`] = requests ? round((outcomes[o] ?? 0) / requests) : 0;
        }
        m.timeout_outcome_rate = requests ? round((outcomes.timeout ?? 0) / requests) : 0;
      }
      return m;
    },
    encodedHistogram() { return encodeHistogram(histogram); },
  };
}
