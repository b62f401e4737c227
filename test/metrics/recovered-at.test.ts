import { describe, expect, it } from 'vitest';
import { recoveredAt } from '../../harness/metrics/run-analysis.ts';
import { emptyErrorCounts } from '../../harness/metrics/stats-accumulator.ts';

/** A series of seconds with 12 requests each (as a 12 req/s run has) and their latencies. */
function seconds(latencies: number[][], errors: number[] = [], active: number[] = []) {
  const series = latencies.map((l, t) => ({
    requests: l.length,
    errors: { ...emptyErrorCounts(), http_5xx: errors[t] ?? 0 },
    active_faults: active.includes(t) ? ['f'] : [],
  }));
  return { series, latencies };
}

const fast = () => Array.from({ length: 12 }, (_, i) => 20 + i); // 20..31 ms
const withSlow = (ms: number) => [...fast().slice(1), ms];
// Baseline p95 25 ms: bound max(1.5 × 25, 25 + 50) = 75 ms; errors at most 1 %.
const rule = { from: 0, limit: 10, buckets: 3, p95_bound_ms: 75, error_rate_bound: 0.01 };

describe('recoveredAt (recovery_s: k seconds judged pooled)', () => {
  it('recovers at once when one request of a 36-request window is slow', () => {
    // One 400 ms request in second 0 of the window: pooled, the 95th percentile of 36 (rank 35) is still 31 ms.
    const { series, latencies } = seconds([withSlow(400), fast(), fast(), fast(), fast(), fast(), fast(), fast(), fast(), fast()]);
    expect(recoveredAt(series, latencies, rule)).toBe(0);
  });

  it('was held back by one slow request under the old rule (each second alone: its p95 is its maximum)', () => {
    // The old rule needed 3 seconds in a row each with p95 ≤ 75: a slow request every other second never allowed it.
    const pattern = [withSlow(400), fast(), withSlow(400), fast(), withSlow(400), fast(), withSlow(400), fast(), withSlow(400), fast()];
    const perSecondP95 = pattern.map((l) => [...l].sort((a, b) => a - b)[Math.ceil(0.95 * l.length) - 1]);
    expect(perSecondP95.filter((p) => p > 75)).toHaveLength(5);
    const { series, latencies } = seconds(pattern);
    // Pooled, a window from an odd second holds one slow request (rank 35 of 36 is 31 ms); from an even one, two
    // (rank 35 is 400 ms): recovered at second 1.
    expect(recoveredAt(series, latencies, rule)).toBe(1);
  });

  it('does not recover while two or more of a 36-request window are slow (the 95th percentile is then slow)', () => {
    const slow = () => [...fast().slice(2), 400, 400]; // 2 of 12 slow = 6 of 36: rank 35 is 400 ms
    const { series, latencies } = seconds([slow(), slow(), slow(), slow(), slow(), fast(), fast(), fast(), fast(), fast()]);
    // Windows starting at 0..2 hold 6 slow requests, 3 holds 4, 4 holds 2 (rank 35 of 36 = 400 ms), 5 none.
    expect(recoveredAt(series, latencies, rule)).toBe(5);
  });

  it('does not recover while errors pass the bound, pooled over the window', () => {
    const { series, latencies } = seconds(Array.from({ length: 10 }, fast), [1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    // Windows 0–3 each hold an error (1/36 = 2.8 % > 1 %); window 4 (seconds 4–6) has none.
    expect(recoveredAt(series, latencies, rule)).toBe(4);
  });

  it('skips windows with an active fault or an empty second, and gives up at the limit', () => {
    const lat = Array.from({ length: 10 }, fast);
    lat[5] = [];
    const { series, latencies } = seconds(lat, [], [0, 1]);
    expect(recoveredAt(series, latencies, rule)).toBe(2);
    expect(recoveredAt(series, latencies, { ...rule, from: 3 })).toBe(6);
    // Every window of seconds 3..7 holds the empty second 5: none could be judged.
    expect(recoveredAt(series, latencies, { ...rule, from: 3, limit: 8 })).toBe('not_measured');
  });

  it('is not_recovered only when a window was judged and failed; not_measured when another fault covers them all', () => {
    const slow = () => Array.from({ length: 12 }, () => 400);
    const judged = seconds([slow(), slow(), slow(), slow(), slow()]);
    expect(recoveredAt(judged.series, judged.latencies, { ...rule, limit: 5 })).toBe('not_recovered');
    // A second fault active from second 1 on: the only fault-free second is 0, no 3-second window is free of faults.
    const covered = seconds(Array.from({ length: 10 }, fast), [], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(recoveredAt(covered.series, covered.latencies, rule)).toBe('not_measured');
    // Fewer than 3 seconds before the limit.
    expect(recoveredAt(judged.series, judged.latencies, { ...rule, limit: 2 })).toBe('not_measured');
  });
});
