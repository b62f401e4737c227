/**
 * A latency toxic at toxicity 0.5 on a service that keeps one connection to its model (the summarizer pair, real
 * Toxiproxy with -seed from the run seed): the evidence says, per run, whether the toxic reached the requests.
 * Seed 2's roll misses the connection (not exercised); seed 1's touches one of the connections the pool opens.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readRun, removeTempDirs, runCli, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

async function run(seed: number) {
  const out = tempDir();
  const { code, stdout } = await runCli([
    'run',
    'test/fixtures/scenarios/rolled-latency.ts',
    '--seed',
    String(seed),
    '--out',
    out,
    '--quiet',
  ]);
  expect(code, stdout).toBe(0);
  const { result, samples } = readRun(out, 'rolled-latency');
  const inWindow = samples.map((line) => JSON.parse(line) as { phase: string; latency_ms: number }).filter((s) => s.phase === 'rolled');
  return { result, stdout, fault: result.faults[0], inWindow };
}

describe('a toxic that Toxiproxy rolls per connection (toxicity < 1)', () => {
  it('is reported as not exercised when its roll missed the only connection the service used', async () => {
    const { fault, stdout, inWindow } = await run(2);
    expect(fault.proof.connections_in_window).toBe(1);
    expect(fault.proof.reach).toEqual({ chance_untouched: 0.5, calls_in_window: inWindow.length, calls_untouched: inWindow.length });
    expect(inWindow.every((s) => s.latency_ms < 600)).toBe(true);
    const problem = `toxicity 0.5 is rolled once per connection by Toxiproxy, and none of the ${inWindow.length} calls to model during the window met the latency: the fault was not exercised; the service used 1 connection to model (chance that none was touched: 50%); use toxicity 1, or a count-based mode for a share of requests`;
    expect(fault.problems).toEqual([problem]);
    expect(stdout).toContain(`  fault rolled: ${problem}`);
  });

  it('is not called unexercised when it slowed some requests, and counts exactly those it provably missed', async () => {
    const { fault, inWindow } = await run(1);
    const slowed = inWindow.filter((s) => s.latency_ms >= 600).length;
    expect(slowed).toBeGreaterThan(0);
    expect(fault.proof.reach?.calls_in_window).toBe(inWindow.length);
    expect(fault.proof.reach?.calls_untouched).toBe(inWindow.length - slowed);
    expect(fault.problems).toEqual([]);
  });
});
