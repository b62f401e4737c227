/**
 * A count-based fault caught by an SLO, end to end through the CLI (Toxiproxy, the fakes and a small summarizer
 * SUT that is not the example service): the model fails the first attempt of each SUT request; the summarizer
 * that never retries fails its SLO, the one that retries once passes it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readRun, removeTempDirs, runCli, tempDir } from '../cli/helpers.ts';

afterAll(() => removeTempDirs());

describe('once-per-request fault against a summarizer', () => {
  it('the careless summarizer (no retries) passes every first-attempt error on: the fault SLO fails, exit 1', async () => {
    const out = tempDir();
    const { code, stdout } = await runCli(['run', 'test/fixtures/scenarios/once-per-request-careless.ts', '--seed', '3', '--out', out]);
    expect(code).toBe(1);
    expect(stdout).toContain('http_error 502 retry-after 0.05s [once per request]');
    const { result } = readRun(out, 'once-per-request-careless');
    expect(result.verdict).toEqual({ passed: false, slos_total: 1, slos_failed: 1 });
    const fault = result.faults[0];
    expect(fault.proof.mode_applied).toBeGreaterThan(10);
    // Without retries, each SUT request reached the model once, and each was failed (the counters are read as the
    // mode switches on, so one request at the window's edge may be counted without meeting it).
    expect(fault.proof.mode_applied).toBeGreaterThanOrEqual((fault.proof.fake_requests_in_window ?? 0) - 1);
    expect(result.phases.find((p) => p.kind === 'fault')!.errors.http_5xx).toBeGreaterThan(10);
  }, 60_000);

  it('the careful summarizer (one retry, honouring retry-after-ms) hides the fault from its users: the SLO passes', async () => {
    const out = tempDir();
    const { code } = await runCli(['run', 'test/fixtures/scenarios/once-per-request-careful.ts', '--seed', '3', '--out', out]);
    expect(code).toBe(0);
    const { result } = readRun(out, 'once-per-request-careful');
    expect(result.verdict).toEqual({ passed: true, slos_total: 1, slos_failed: 0 });
    const fault = result.faults[0];
    expect(fault.proof.mode_applied).toBeGreaterThan(10);
    // Every failed first attempt was retried: the model saw about twice the SUT's requests in the window.
    expect(fault.proof.fake_requests_in_window).toBeGreaterThanOrEqual(2 * (fault.proof.mode_applied ?? 0) - 1);
    expect(result.phases.find((p) => p.kind === 'fault')!.metrics.error_rate).toBe(0);
  }, 60_000);
});
