/**
 * A tool-call fault caught by an SLO end to end: the CLI runs test/fixtures/scenarios/tool-args-slo.ts (real
 * Toxiproxy, the fakes process, a small agent on @anthropic-ai/sdk as the SUT). The agent trusts its tool calls'
 * arguments, so `tool_args_invalid` turns into 500s during the window, and only then.
 */
import { afterAll, expect, it } from 'vitest';
import { readRun, removeTempDirs, runCli, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

it('tool_args_invalid on /v1/messages fails the fault SLO of an agent that trusts tool arguments, and only that SLO', async () => {
  const out = tempDir();
  const { code, stdout, stderr } = await runCli(['run', 'test/fixtures/scenarios/tool-args-slo.ts', '--seed', '5', '--out', out]);
  expect(stderr).toBe('');
  expect(code, stdout).toBe(1);
  expect(stdout).toContain('1 of 2 SLOs failed.');
  const { result } = readRun(out, 'tool-args-slo');
  const baseline = result.phases.find((p) => p.kind === 'baseline')!;
  const fault = result.phases.find((p) => p.kind === 'fault')!;
  expect(baseline.metrics.requests).toBeGreaterThan(10);
  expect(baseline.errors.http_5xx).toBe(0);
  expect(fault.errors.http_5xx).toBeGreaterThan(10);
  expect(result.slos.map((s) => [s.phase, s.metric, s.passed])).toEqual([
    ['baseline', 'error_rate', true],
    [fault.name, 'error_rate', false],
  ]);
  // Proof the fault reached traffic: the mode was rolled on model requests during the window.
  expect(result.faults[0].proof.mode_applied).toBeGreaterThan(10);
});
