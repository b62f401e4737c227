import { describe, expect, it } from 'vitest';
import { createOmissionCorrection, expectedIntervalMs } from '../../harness/load/omission-correction.ts';

describe('createOmissionCorrection', () => {
  it('adds the values the omitted requests would have seen, as wrk does (v − I, v − 2I, ... while above I)', () => {
    const c = createOmissionCorrection();
    for (let i = 0; i < 96; i++) c.record(1);
    c.record(10); // with I = 1 ms: phantoms 9, 8, ..., 2 (8 values)
    c.record(1.5); // not over 2I: no phantom
    c.record(2);
    c.record(3); // phantom 2
    const r = c.summarize(1);
    expect(r.uncorrected).toEqual({ count: 100, p50_ms: 1, p90_ms: 1, p99_ms: 3, max_ms: 10 });
    expect(r.corrected).toEqual({ count: 109, p50_ms: 1, p90_ms: 2, p99_ms: 9, max_ms: 10 });
    expect(r.expected_interval_ms).toBe(1);
  });

  it('keeps three significant digits and takes wrk’s expected interval from the run', () => {
    const c = createOmissionCorrection();
    c.record(123.456);
    expect(c.summarize(1000).uncorrected.max_ms).toBe(123);
    expect(expectedIntervalMs(2000, 4000, 4)).toBe(2);
    expect(expectedIntervalMs(2000, 2, 4)).toBe(2000);
  });
});
