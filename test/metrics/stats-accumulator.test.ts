import { describe, expect, it } from 'vitest';
import { createLatencyHistogram, decodeHistogram, percentileMs } from '../../harness/metrics/latency-histogram.ts';
import { createStatsAccumulator, emptyErrorCounts } from '../../harness/metrics/stats-accumulator.ts';
import { expectMs, sample } from './samples.ts';

describe('createStatsAccumulator', () => {
  it('reports an empty slice as zero requests, no rates and no latencies', () => {
    const acc = createStatsAccumulator();
    expect(acc.metrics(1000, false)).toEqual({
      requests: 0,
      throughput_rps: 0,
      error_rate: null,
      timeout_rate: null,
      p50_ms: null,
      p95_ms: null,
      p99_ms: null,
      max_ms: null,
      mean_ms: null,
      http_error_rate: null,
      connection_error_rate: null,
      truncated_rate: null,
    });
    expect(acc.metrics(1000, true)).toMatchObject({
      quality: null,
      goodput_rps: 0,
      ok_rate: null,
      partial_rate: null,
      stale_rate: null,
      wrong_rate: null,
      fallback_rate: null,
      empty_rate: null,
      timeout_outcome_rate: null,
    });
    expect(acc.errors).toEqual(emptyErrorCounts());
    expect(acc.errors).toEqual({ timeout: 0, reset: 0, refused: 0, closed: 0, http_4xx: 0, http_5xx: 0 });
  });

  it('counts requests, throughput, error kinds and latency percentiles exactly', () => {
    const acc = createStatsAccumulator();
    // 20 samples over 2 s: latencies 10, 20, ..., 200 ms; #5 timed out, #10 and #15 are 503s, #20 was reset.
    for (let i = 1; i <= 20; i++) {
      const error_kind = i === 5 ? 'timeout' : i === 10 || i === 15 ? 'http_5xx' : i === 20 ? 'reset' : undefined;
      acc.add(sample({ start_ms: i * 100, latency_ms: i * 10, phase: 'baseline', error_kind }));
    }
    const m = acc.metrics(2000, false);
    expect(m.requests).toBe(20);
    expect(m.throughput_rps).toBe(10);
    expect(m.error_rate).toBe(0.2);
    expect(m.timeout_rate).toBe(0.05);
    expect(m.http_error_rate).toBe(0.1);
    expect(m.connection_error_rate).toBe(0.05);
    expect(acc.errors).toEqual({ timeout: 1, reset: 1, refused: 0, closed: 0, http_4xx: 0, http_5xx: 2 });
    // HDR percentiles: the ceil(p% × 20)-th smallest value: p50 → 10th (100 ms), p95 → 19th (190), p99 → 20th (200).
    expectMs(m.p50_ms, 100);
    expectMs(m.p95_ms, 190);
    expectMs(m.p99_ms, 200);
    expect(m.max_ms).toBe(200);
    expectMs(m.mean_ms, 105, 'mean');
    // Quality metrics exist only when a scorer ran.
    expect(m).not.toHaveProperty('quality');
    expect(m).not.toHaveProperty('goodput_rps');
  });

  it('reports the top of the HDR bucket, within 3 significant digits', () => {
    const acc = createStatsAccumulator();
    acc.add(sample({ start_ms: 0, latency_ms: 100, phase: 'baseline' }));
    acc.add(sample({ start_ms: 0, latency_ms: 10_000, phase: 'baseline' }));
    acc.add(sample({ start_ms: 0, latency_ms: 1.5, phase: 'baseline' }));
    // 100 ms = 100 000 µs lies in a 64 µs bucket [99 968, 100 031]; 10 s in an 8192 µs bucket; below 2.048 ms buckets are 1 µs.
    expect(percentileMs(decodeHistogram(acc.encodedHistogram()), 66)).toBe(100.031);
    // The bucket top (10 002.431 ms) passes the exact max; percentiles are capped at the max.
    expect(acc.metrics(1000, false).p99_ms).toBe(10_000);
    expect(acc.metrics(1000, false).p50_ms).toBe(100.031);
    expect(percentileMs(decodeHistogram(acc.encodedHistogram()), 10)).toBe(1.5);
    expect(acc.metrics(1000, false).max_ms).toBe(10_000);
  });

  it('scores quality, outcome rates and goodput against the latency bound', () => {
    const acc = createStatsAccumulator();
    const add = (latency_ms: number, outcome: Parameters<typeof sample>[0]['outcome'], quality: number, error_kind?: 'timeout') =>
      acc.add(sample({ start_ms: 0, latency_ms, phase: 'fault', outcome, quality, error_kind }), 500);
    add(100, 'ok', 1);
    add(499, 'ok', 1);
    add(500, 'ok', 1); // at the bound: good
    add(501, 'ok', 1); // over the bound: not good
    add(100, 'partial', 0.5);
    add(100, 'stale', 0);
    add(100, 'fallback', 0);
    add(10_000, 'timeout', 0, 'timeout');
    const m = acc.metrics(4000, true);
    expect(m).toMatchObject({
      requests: 8,
      throughput_rps: 2,
      quality: 0.5625,
      goodput_rps: 0.75,
      ok_rate: 0.5,
      partial_rate: 0.125,
      stale_rate: 0.125,
      wrong_rate: 0,
      fallback_rate: 0.125,
      empty_rate: 0,
      timeout_outcome_rate: 0.125,
      error_rate: 0.125,
      timeout_rate: 0.125,
    });
    expect(acc.outcomes).toEqual({ ok: 4, partial: 1, stale: 1, fallback: 1, timeout: 1 });
  });

  it('counts an unscored success as good, and any error as not', () => {
    const acc = createStatsAccumulator();
    acc.add(sample({ start_ms: 0, latency_ms: 100, phase: 'baseline' }));
    acc.add(sample({ start_ms: 0, latency_ms: 100, phase: 'baseline', error_kind: 'http_4xx' }));
    expect(acc.metrics(1000, true).goodput_rps).toBe(1);
    expect(acc.metrics(1000, true).quality).toBeNull();
  });

  it('rounds rates to 4 decimals and throughput to 3', () => {
    const acc = createStatsAccumulator();
    for (let i = 0; i < 3; i++)
      acc.add(sample({ start_ms: 0, latency_ms: 10, phase: 'baseline', error_kind: i === 0 ? 'closed' : undefined }));
    const m = acc.metrics(7000, false);
    expect(m.error_rate).toBe(0.3333);
    expect(m.connection_error_rate).toBe(0.3333);
    expect(m.throughput_rps).toBe(0.429);
  });

  it('treats a zero-length window as 1 ms rather than dividing by zero', () => {
    const acc = createStatsAccumulator();
    acc.add(sample({ start_ms: 0, latency_ms: 10, phase: 'baseline' }));
    expect(acc.metrics(0, false).throughput_rps).toBe(1000);
  });

  it('gives exact nearest-rank percentiles in exact mode (1-second buckets)', () => {
    const acc = createStatsAccumulator({ exact: true });
    for (const latency_ms of [5.5, 1.25, 100.0004, 3, 2]) acc.add(sample({ start_ms: 0, latency_ms, phase: 'baseline' }));
    const m = acc.metrics(1000, false);
    expect([m.p50_ms, m.p95_ms, m.p99_ms, m.max_ms, m.mean_ms]).toEqual([3, 100, 100, 100, 22.35]);
  });

  it('reports every rate as null for a slice without samples', () => {
    const m = createStatsAccumulator().metrics(1000, true);
    expect([m.requests, m.error_rate, m.timeout_rate, m.ok_rate, m.quality, m.p95_ms]).toEqual([0, null, null, null, null, null]);
  });

  it('clamps latencies to [1 µs, 1 h] and serializes the histogram losslessly', () => {
    const acc = createStatsAccumulator();
    acc.add(sample({ start_ms: 0, latency_ms: 0, phase: 'baseline' }));
    acc.add(sample({ start_ms: 0, latency_ms: 5 * 3_600_000, phase: 'baseline' }));
    const m = acc.metrics(1000, false);
    expect(percentileMs(decodeHistogram(acc.encodedHistogram()), 0)).toBe(0.001);
    expect(m.max_ms).toBe(3_600_000);
    const decoded = decodeHistogram(acc.encodedHistogram());
    expect(decoded.totalCount).toBe(2);
    expect(percentileMs(decoded, 50)).toBe(m.p50_ms);
  });
});

describe('compact latency histograms', () => {
  it('report the same metrics as the default ones in about a fifth of the memory', () => {
    const wide = createStatsAccumulator();
    const compact = createStatsAccumulator({ compact: true });
    for (let i = 1; i <= 2000; i++) {
      const s = sample({ start_ms: i, latency_ms: 3 + ((i * 7919) % 1000) / 7, phase: 'baseline' });
      wide.add(s);
      compact.add(s);
    }
    expect(compact.metrics(2000, false)).toEqual(wide.metrics(2000, false));
    const w = decodeHistogram(wide.encodedHistogram());
    const c = decodeHistogram(compact.encodedHistogram());
    expect(percentileMs(c, 95)).toBe(percentileMs(w, 95));
    // Footprints as built (decoding gives both the default bucket size, so measure fresh ones).
    expect(createLatencyHistogram({ compact: true }).estimatedFootprintInBytes * 4).toBeLessThan(
      createLatencyHistogram().estimatedFootprintInBytes,
    );
  });
});
