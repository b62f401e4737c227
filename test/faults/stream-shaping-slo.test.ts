/**
 * Stream shaping caught by an SLO (issue 12 item 2), end to end through the CLI: the stream relay pair (the official
 * `openai` SDK streaming) while the model's streams stall after 2 chunks and send only `: ping` keep-alive comments.
 * The careless relay (no idle timeout) hangs every stalled request until the load gives up; the careful one (1 s
 * without a chunk, pings not counted) ends the stream with an error event.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readRun, removeTempDirs, runCli, tempDir } from '../cli/helpers.ts';

afterAll(() => removeTempDirs());

async function run(twin: string) {
  const out = tempDir();
  const { code, stdout } = await runCli([
    'run',
    `test/fixtures/scenarios/edges/stream-stall-${twin}.ts`,
    '--seed',
    '3',
    '--out',
    out,
    '--quiet',
  ]);
  const { result } = readRun(out, `stall-${twin}`);
  return { code, stdout, result, fault: result.phases.find((p) => p.kind === 'fault')! };
}

describe('a stream that stalls with keep-alive pings, against a streaming relay', () => {
  it('careless (no idle timeout): every stalled request hangs to the load timeout: timeout_rate SLO fails', async () => {
    const { code, stdout, result, fault } = await run('careless');
    expect(code, stdout).toBe(1);
    expect(result.faults[0].proof.mode_applied).toBeGreaterThan(10);
    // Every request that met the stall timed out (the phase also counts a request that started just before the
    // window and finished in it: the overlap rule).
    expect(fault.errors.timeout).toBeGreaterThanOrEqual(fault.metrics.requests - 1);
    expect(fault.errors.timeout).toBeGreaterThanOrEqual(result.faults[0].proof.mode_applied! - 1);
    expect(result.slos).toMatchObject([{ metric: 'timeout_rate', passed: false }]);
    expect(result.slos[0].actual!).toBeGreaterThan(0.9);
  });

  it('careful (1 s idle timeout on chunks, not bytes): an error event after about 1 s, no timeouts: the SLO passes', async () => {
    const { code, stdout, result, fault } = await run('careful');
    expect(code, stdout).toBe(0);
    expect(result.faults[0].proof.mode_applied).toBeGreaterThan(10);
    expect(fault.metrics.timeout_rate).toBe(0);
    // Announced: the stalled streams ended with the relay's error event (a loud failure), none hung (the phase also
    // counts a request that started just before the stall: the overlap rule).
    expect(fault.metrics.stream_abort_rate!).toBeGreaterThanOrEqual(0.9);
    expect(fault.metrics.p50_ms!).toBeGreaterThanOrEqual(1000);
    expect(fault.metrics.p99_ms!).toBeLessThan(3000);
    expect(result.slos).toMatchObject([{ metric: 'timeout_rate', actual: 0, passed: true }]);
  });
});
