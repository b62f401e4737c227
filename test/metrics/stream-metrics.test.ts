/** Streaming metrics of a slice: ttft and itl percentiles (itl over every gap, not per-sample means) and the abort rate. */
import { describe, expect, it } from 'vitest';
import { createStatsAccumulator } from '../../harness/metrics/stats-accumulator.ts';
import type { SampleRecord } from '../../harness/results/result-types.ts';
import { expectMs, sample } from './samples.ts';

const streamed = (ttft_ms: number | null, gaps: number[], aborted: boolean): SampleRecord => ({
  ...sample({ start_ms: 0, latency_ms: 100, phase: 'p' }),
  ttft_ms,
  itl_ms: gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : null,
  tokens: gaps.length + (ttft_ms === null ? 0 : 1),
  stream_aborted: aborted,
  stream_abort_reason: aborted ? 'error_event' : null,
  itl_gaps_ms: gaps,
});

describe('stream metrics', () => {
  it('has no streaming keys for a slice without streamed responses', () => {
    const acc = createStatsAccumulator();
    acc.add(sample({ start_ms: 0, latency_ms: 10, phase: 'p' }));
    const m = acc.metrics(1000, false);
    for (const key of ['streams', 'ttft_ms', 'ttft_p50_ms', 'itl_ms', 'itl_p50_ms', 'stream_abort_rate']) expect(m).not.toHaveProperty(key);
  });

  it('reports exact nearest-rank values in exact mode: p95 over every gap, and aborted / streams', () => {
    const acc = createStatsAccumulator({ exact: true });
    // one sample with 19 gaps of 5 ms, one with a single 400 ms gap: the per-sample means would be 5 and 400,
    // but over gaps the p95 is the 19th of 20 gaps (5 ms) and the p50 too
    acc.add(streamed(20, Array(19).fill(5), false));
    acc.add(streamed(30, [400], true));
    acc.add(streamed(null, [], true)); // aborted before its first token: no ttft
    acc.add(sample({ start_ms: 0, latency_ms: 10, phase: 'p', error_kind: 'http_5xx' })); // not a stream
    expect(acc.metrics(1000, false)).toMatchObject({
      requests: 4,
      streams: 3,
      ttft_ms: 30,
      ttft_p50_ms: 20,
      itl_ms: 5,
      itl_p50_ms: 5,
      stream_abort_rate: 0.6667,
    });
  });

  it('records ttft and gaps into HDR histograms in phase mode (3 significant digits)', () => {
    const acc = createStatsAccumulator();
    for (let i = 1; i <= 100; i++) acc.add(streamed(i * 10, [i], false));
    const m = acc.metrics(1000, false);
    expectMs(m.ttft_ms, 950);
    expectMs(m.ttft_p50_ms, 500);
    expectMs(m.itl_ms, 95);
    expectMs(m.itl_p50_ms, 50);
    expect(m.stream_abort_rate).toBe(0);
  });
});
