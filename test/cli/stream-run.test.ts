/**
 * A streaming SUT end to end: the example service answers as SSE (`stream: true`); the model fake stalls half
 * its streams after 2 chunks and a 2 KB/s bandwidth toxic slows every model stream during the fault window.
 * Real Toxiproxy, real fakes, real load (about 15 s).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readRun, removeTempDirs, runCli, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

describe('shakedown run with a streaming SUT', () => {
  it('shows stream aborts and a higher ttft and itl in the fault phase, and scores baseline streamed answers ok', async () => {
    const out = tempDir();
    const { code, stdout, stderr } = await runCli(['run', 'test/fixtures/scenarios/short-stream.ts', '--seed', '3', '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('All 5 SLOs met.');
    const { result, samples } = readRun(out, 'short-stream');
    expect(result.phases.map((p) => [p.name, p.kind])).toEqual([
      ['baseline', 'baseline'],
      ['model-stream-stall+model-bandwidth', 'fault'],
      ['recovery', 'recovery'],
    ]);
    const [baseline, fault, recovery] = result.phases;
    for (const p of result.phases) expect(p.metrics.streams).toBe(p.metrics.requests); // every answer streamed

    // Stalls: about half the fault phase's streams end with the service's error event (it notices after 3 s).
    expect(baseline.metrics.stream_abort_rate).toBe(0);
    expect(fault.metrics.stream_abort_rate!).toBeGreaterThan(0.2);
    expect(recovery.metrics.stream_abort_rate).toBe(0);
    const lines = samples.map((l) => JSON.parse(l) as Record<string, unknown>);
    const aborted = lines.filter((s) => s.stream_aborted === true);
    expect(aborted.length).toBe(Math.round(fault.metrics.stream_abort_rate! * fault.metrics.requests));
    for (const s of aborted) {
      expect(s).toMatchObject({ phase: fault.name, status: 200, error_kind: null, stream_abort_reason: 'error_event', tokens: 2 });
      expect(s.latency_ms as number).toBeGreaterThan(3000);
    }

    // The slow link: every token arrives later (ttft) and further apart (itl), from the tokens' own arrival times.
    expect(fault.metrics.ttft_ms! - baseline.metrics.ttft_ms!).toBeGreaterThan(150);
    expect(fault.metrics.ttft_p50_ms!).toBeGreaterThan(baseline.metrics.ttft_p50_ms! + 150);
    expect(fault.metrics.itl_ms!).toBeGreaterThan(5 * baseline.metrics.itl_ms!);
    expect(fault.metrics.itl_p50_ms!).toBeGreaterThan(baseline.metrics.itl_p50_ms!);
    expect(recovery.metrics.ttft_ms!).toBeLessThan(baseline.metrics.ttft_ms! + 150);
    const faultSeconds = result.series.filter((b) => b.active_faults.length > 0);
    expect(faultSeconds.length).toBeGreaterThanOrEqual(3);
    for (const b of faultSeconds) expect(b.ttft_ms!).toBeGreaterThan(result.series[0].ttft_ms!);
    expect(result.series.every((b) => b.stream_abort_rate !== undefined)).toBe(true);

    // Scoring reads the streamed answer (concatenated deltas) and the done event's citations.
    expect(baseline.outcomes).toEqual({ ok: baseline.metrics.requests });
    expect(baseline.metrics.quality).toBe(1);
    const first = lines.find((s) => s.phase === 'baseline')!;
    expect(first).toMatchObject({ stream_aborted: false, stream_abort_reason: null, outcome: 'ok' });
    expect(first.tokens as number).toBeGreaterThan(2);
    expect(first).not.toHaveProperty('itl_gaps_ms'); // the gaps feed the histograms, not the samples file
    expect(result.slos.filter((s) => s.metric === 'stream_abort_rate').map((s) => s.passed)).toEqual([true, true, true]);
  });
});
