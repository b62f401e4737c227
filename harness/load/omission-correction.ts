/**
 * Closed-loop latency with and without coordinated-omission correction, as wrk reports it. In a closed loop a
 * connection stuck on a slow response sends nothing else, so a 200 ms server pause is one slow sample per
 * connection and vanishes from p99. wrk (src/stats.c `stats_correct`, after HdrHistogram's
 * recordValueWithExpectedInterval) adds, for every recorded value v over twice the expected interval I, the values
 * the requests that were not sent would have seen: v − I, v − 2I, ... while above I. wrk's I is the run's time over
 * requests per connection (one connection's mean cycle), which `expectedIntervalMs` computes.
 *
 * Values are kept to three significant digits (like an HdrHistogram of precision 3), so memory stays small at any
 * rate; percentiles of the corrected set are computed in closed form per recorded value (no phantom values are
 * stored) by a bisection to 1 µs.
 *
 * Shapes: `createOmissionCorrection()` → `{ record(latency_ms), summarize(expected_interval_ms) }`;
 * `summarize` → `ClosedLoopLatency` (ms).
 * @see https://github.com/wg/wrk/blob/master/src/stats.c
 */
export interface LatencyPercentiles {
  count: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
}

export interface ClosedLoopLatency {
  /** The expected interval I used for the correction. */
  expected_interval_ms: number;
  /** As measured, from each send. */
  uncorrected: LatencyPercentiles;
  /** With the values the omitted requests would have seen added (count includes them). */
  corrected: LatencyPercentiles;
}

/** wrk's expected interval: wall time over completed requests per connection. */
export function expectedIntervalMs(wall_ms: number, completed: number, connections: number): number {
  return completed >= connections ? wall_ms / Math.floor(completed / connections) : wall_ms;
}

const roundTo3Digits = (us: number) => {
  if (us < 1000) return Math.round(us);
  const scale = 10 ** (Math.floor(Math.log10(us)) - 2);
  return Math.round(us / scale) * scale;
};

export function createOmissionCorrection() {
  const counts = new Map<number, number>(); // µs (3 significant digits) → count
  return {
    record(latency_ms: number): void {
      const us = roundTo3Digits(Math.max(0, latency_ms * 1000));
      counts.set(us, (counts.get(us) ?? 0) + 1);
    },
    summarize(expected_interval_ms: number): ClosedLoopLatency {
      const values = [...counts.entries()].sort((a, b) => a[0] - b[0]);
      const I = Math.max(1, expected_interval_ms * 1000);
      // phantoms of v: v − kI for k = 1..kmax, kmax the largest k with v − kI > I (none unless v > 2I)
      const kmax = (v: number) => Math.max(0, Math.ceil(v / I) - 2);
      const atMost = (x: number, corrected: boolean) => {
        let n = 0;
        for (const [v, c] of values) {
          if (v <= x) n += c;
          if (!corrected) continue;
          const top = kmax(v);
          const kmin = Math.max(1, Math.ceil((v - x) / I));
          if (top >= kmin) n += c * (top - kmin + 1);
        }
        return n;
      };
      const percentiles = (corrected: boolean): LatencyPercentiles => {
        const total = values.reduce((n, [v, c]) => n + c * (1 + (corrected ? kmax(v) : 0)), 0);
        const max = values.at(-1)?.[0] ?? 0;
        const at = (p: number) => {
          if (total === 0) return 0;
          const rank = Math.max(1, Math.ceil((p / 100) * total));
          let lo = 0,
            hi = max;
          while (hi - lo > 1) {
            const mid = Math.floor((lo + hi) / 2);
            if (atMost(mid, corrected) >= rank) hi = mid;
            else lo = mid;
          }
          return (atMost(lo, corrected) >= rank ? lo : hi) / 1000;
        };
        return { count: total, p50_ms: at(50), p90_ms: at(90), p99_ms: at(99), max_ms: max / 1000 };
      };
      return { expected_interval_ms: I / 1000, uncorrected: percentiles(false), corrected: percentiles(true) };
    },
  };
}
