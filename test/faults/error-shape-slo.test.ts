/**
 * An error shape caught by an SLO (issue 12 item 4), end to end through the CLI: the retry router pair (the official
 * `openai` SDK, its own retry loop) while every model call is a 429 whose only retry hint is in the message
 * ("Please try again in 2s", no `retry-after` header). The careless router retries at once; the careful one reads
 * the hint. Caught by `model.calls_per_request` and `model.early_retry_rate` (calls matched by question text).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readRun, removeTempDirs, runCli, tempDir } from '../cli/helpers.ts';

afterAll(() => removeTempDirs());

async function run(twin: string) {
  const out = tempDir();
  const { code, stdout } = await runCli([
    'run',
    `test/fixtures/scenarios/edges/retry-hint-body-${twin}.ts`,
    '--seed',
    '3',
    '--out',
    out,
    '--quiet',
  ]);
  const { result } = readRun(out, `hint-${twin}`);
  const slo = (metric: string) => result.slos.find((s) => s.metric === metric)!;
  return { code, stdout, result, slo };
}

describe('a 429 with the retry hint only in the message body, against a retry router', () => {
  it('careless (retries at once): 11 model calls per request, almost all before the hinted wait: both SLOs fail', async () => {
    const { code, stdout, result, slo } = await run('careless');
    expect(code, stdout).toBe(1);
    expect(result.faults[0].proof.mode_applied).toBeGreaterThan(50);
    // 1 call and 10 immediate retries for a request that met the limit early in the window (fewer near its end)
    expect(slo('model.calls_per_request').actual!).toBeGreaterThanOrEqual(9);
    expect(slo('model.calls_per_request').actual!).toBeLessThanOrEqual(11);
    expect(slo('model.calls_per_request').passed).toBe(false);
    expect(slo('model.early_retry_rate').actual!).toBeGreaterThan(0.8);
    expect(slo('model.early_retry_rate').passed).toBe(false);
  });

  it('careful (waits what the message asks): under 4 calls per request, no retry before the wait: both SLOs pass', async () => {
    const { code, stdout, result, slo } = await run('careful');
    expect(code, stdout).toBe(0);
    expect(result.phases.find((p) => p.kind === 'fault')!.metrics.error_rate).toBe(0);
    expect(slo('model.calls_per_request').actual!).toBeLessThan(4);
    expect(slo('model.early_retry_rate')).toMatchObject({ actual: 0, passed: true });
  });
});
