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
  // Toxiproxy's -seed fixes the rolls' sequence, but how many connections the SUT's pool opens (one roll each) can
  // vary on a busy machine: each run is checked against what its own samples show.
  for (const seed of [2, 1]) {
    it(`says exactly which calls provably missed it, and "not exercised" when all did (seed ${seed})`, async () => {
      const { fault, stdout, inWindow } = await run(seed);
      const slowed = inWindow.filter((s) => s.latency_ms >= 600).length;
      expect(fault.proof.connections_in_window).toBeGreaterThanOrEqual(1);
      expect(fault.proof.reach?.calls_in_window).toBe(inWindow.length);
      expect(fault.proof.reach?.calls_untouched).toBe(inWindow.length - slowed);
      const problem = `toxicity 0.5 is rolled once per connection by Toxiproxy, and none of the ${inWindow.length} calls to model during the window met the latency: the fault was not exercised; the service used ${fault.proof.connections_in_window} connection${fault.proof.connections_in_window === 1 ? '' : 's'} to model (chance that none was touched: ${Math.round(0.5 ** fault.proof.connections_in_window! * 1000) / 10}%); use toxicity 1, or a count-based mode for a share of requests`;
      if (slowed === 0) {
        expect(fault.problems).toEqual([problem]);
        expect(stdout).toContain(`  fault rolled: ${problem}`);
      } else expect(fault.problems).toEqual([]);
    });
  }
});
