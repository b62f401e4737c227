/**
 * Latency histograms: HDR (hdr-histogram-js), recorded in microseconds so sub-millisecond precision survives,
 * 3 significant digits, up to one hour. Mergeable and serializable (base64), so shards can be merged later.
 */
import * as hdr from 'hdr-histogram-js';

export type LatencyHistogram = hdr.Histogram;

const HIGHEST_US = 3_600_000_000;

/**
 * Counts in plain 32-bit buckets (~95 KB per histogram) rather than `packed` (~20 KB): recording three latencies
 * per sample costs ~0.4 µs instead of ~6–8 µs, and a mean or percentile over the buckets ~5–13 ms instead of
 * ~43–58 ms (measured side by side, 100,000 samples; bench/RESULTS.md, B2). A bucket overflows past 2^31 counts.
 * The many small histograms (per phase × category, per phase × dependency: 39 phases × 9 categories made 33 MB
 * of 32-bit buckets in a one-fault-a-minute soak, B8) are `compact`: packed, ~2 µs per record.
 */
const BUCKETS = 32;

export interface LatencyHistogramOptions {
  /** Packed counts (~20 KB instead of ~95 KB, ~2 µs per record instead of ~0.1 µs); default false. */
  compact?: boolean;
}

export function createLatencyHistogram(options: LatencyHistogramOptions = {}): LatencyHistogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: options.compact ? 'packed' : BUCKETS,
    useWebAssembly: false,
  });
}

/** Records a latency in ms (clamped to [1 µs, 1 h]). */
export function recordLatency(h: LatencyHistogram, latency_ms: number): void {
  h.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(latency_ms * 1000))));
}

/** Percentile (0..100) in ms, or null when empty. Rounded to 0.001 ms. */
export function percentileMs(h: LatencyHistogram, p: number): number | null {
  if (h.totalCount === 0) return null;
  return Math.round(h.getValueAtPercentile(p)) / 1000;
}

export function maxMs(h: LatencyHistogram): number | null {
  return h.totalCount === 0 ? null : Math.round(h.maxValue) / 1000;
}

export function meanMs(h: LatencyHistogram): number | null {
  return h.totalCount === 0 ? null : Math.round(h.mean) / 1000;
}

export function encodeHistogram(h: LatencyHistogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(base64: string): LatencyHistogram {
  return hdr.decodeFromCompressedBase64(base64, BUCKETS, false);
}
