/**
 * Window edges caught by an SLO (issue 12 item 9), end to end through the CLI: the summarizer pair behind a
 * `toxic.timeout({ timeout: 0 })` holding the model's answers for 3.5 s, removed with `onRemove: 'release'` (the
 * held answers flow on) or `'close'` (the held connections are closed). What the careless summarizer (no model
 * timeout) shows its users differs, late answers or errors, and the fault SLO `p99_ms < 3000` catches both;
 * the careful one (2 s timeout: 504) passes it either way.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readRun, removeTempDirs, runCli, tempDir } from '../cli/helpers.ts';

afterAll(() => removeTempDirs());

async function run(file: string) {
  const out = tempDir();
  const { code, stdout } = await runCli(['run', `test/fixtures/scenarios/edges/${file}.ts`, '--seed', '3', '--out', out, '--quiet']);
  const { result } = readRun(out, `edge-${file}`);
  const fault = result.phases.find((p) => p.kind === 'fault')!;
  return { code, stdout, result, fault };
}

describe('toxic.timeout window edges against a summarizer', () => {
  it('careless, release: every held request is answered when the window ends, 200 but 3.5 s late: p99 SLO fails', async () => {
    const { code, stdout, result, fault } = await run('careless-release');
    expect(code, stdout).toBe(1);
    expect(fault.metrics.error_rate).toBe(0);
    expect(fault.metrics.p99_ms!).toBeGreaterThan(3000);
    expect(result.slos).toMatchObject([{ metric: 'p99_ms', passed: false }]);
  });

  it('careless, close: the held connections are closed at the window end, so every held request fails (502): p99 SLO fails', async () => {
    const { code, stdout, result, fault } = await run('careless-close');
    expect(code, stdout).toBe(1);
    // (less one at most: a request that started just before the window and overlapped it, the overlap rule)
    expect(fault.errors.http_5xx).toBeGreaterThanOrEqual(fault.metrics.requests - 1);
    expect(fault.metrics.p99_ms!).toBeGreaterThan(3000);
    expect(result.slos).toMatchObject([{ metric: 'p99_ms', passed: false }]);
  });

  for (const onRemove of ['release', 'close']) {
    it(`careful, ${onRemove}: its 2 s model timeout answers 504 before the window ends: the SLO passes`, async () => {
      const { code, stdout, result, fault } = await run(`careful-${onRemove}`);
      expect(code, stdout).toBe(0);
      expect(fault.errors.http_5xx).toBeGreaterThan(0);
      expect(fault.metrics.p99_ms!).toBeLessThan(3000);
      expect(result.slos).toMatchObject([{ metric: 'p99_ms', passed: true }]);
    });
  }
});
