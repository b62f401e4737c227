/** Hand-made samples for the metrics tests, and HDR's precision as a helper. */
import { expect } from 'vitest';
import type { ErrorKind, SampleRecord } from '../../harness/results/result-types.ts';
import type { Outcome } from '../../harness/scenario/metrics.ts';

let nextId = 1;

/** A 200 sample unless an error kind is given; `phase` is whatever the caller assigns. */
export function sample(o: {
  start_ms: number;
  latency_ms: number;
  phase: string;
  error_kind?: ErrorKind;
  status?: number | null;
  outcome?: Outcome;
  quality?: number;
  category?: string;
}): SampleRecord {
  const status =
    o.status !== undefined ? o.status : o.error_kind === 'http_5xx' ? 503 : o.error_kind === 'http_4xx' ? 429 : o.error_kind ? null : 200;
  return {
    id: nextId++,
    start_ms: o.start_ms,
    end_ms: o.start_ms + o.latency_ms,
    latency_ms: o.latency_ms,
    ttfb_ms: null,
    status,
    error_kind: o.error_kind ?? null,
    bytes: 100,
    phase: o.phase,
    ...(o.category ? { category: o.category } : {}),
    ...(o.outcome ? { outcome: o.outcome } : {}),
    ...(o.quality !== undefined ? { quality: o.quality } : {}),
  };
}

/**
 * Asserts a latency as HDR reports it: histograms keep 3 significant digits, so a reported value is within
 * 0.1 % of the recorded one (percentiles report the top of the value's bucket, so never below it).
 */
export function expectMs(actual: number | null | undefined, expected: number, kind: 'percentile' | 'mean' = 'percentile'): void {
  expect(actual, `expected ≈ ${expected} ms`).not.toBeNull();
  const a = actual as number;
  if (kind === 'percentile') expect(a).toBeGreaterThanOrEqual(expected);
  expect(Math.abs(a - expected), `${a} ms is not within 0.1 % of ${expected} ms`).toBeLessThanOrEqual(expected / 1000);
}
