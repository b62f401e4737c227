import { describe, expect, it } from 'vitest';
import '../../harness/vitest/index.ts';
import { toFailSlo, toMeetSlos } from '../../harness/vitest/slo-matchers.ts';
import type { RunResult, SloVerdict } from '../../harness/results/result-types.ts';

const slo = (over: Partial<SloVerdict>): SloVerdict => ({
  selector: 'fault',
  phase: 'fault',
  metric: 'p99_ms',
  expression: '< 800',
  actual: 420,
  passed: true,
  margin: 380,
  ...over,
});

/** A run's result with only what the matchers read; the rest of RunResult is not needed for them. */
function runWith(slos: SloVerdict[], status: RunResult['run']['status'] = 'completed'): RunResult {
  const failed = slos.filter((s) => !s.passed).length;
  return {
    run: { id: 'r-1', status },
    slos,
    verdict: { passed: failed === 0, slos_total: slos.length, slos_failed: failed },
  } as unknown as RunResult;
}

describe('SLO matchers', () => {
  it('toMeetSlos passes when every SLO held and lists the failed ones when not', () => {
    expect(toMeetSlos(runWith([slo({})])).pass).toBe(true);
    const failing = runWith([slo({}), slo({ metric: 'error_rate', expression: '< 1%', actual: 0.25, passed: false, margin: -0.24 })]);
    const outcome = toMeetSlos({ result: failing });
    expect(outcome.pass).toBe(false);
    expect(outcome.message()).toBe('expected run r-1 to meet its SLOs, but 1 of 2 failed:\n  fault < 1%: 0.25');
  });

  it('toMeetSlos fails an interrupted run even when its SLOs held so far', () => {
    const outcome = toMeetSlos(runWith([slo({})], 'interrupted'));
    expect(outcome.pass).toBe(false);
    expect(outcome.message()).toBe('expected run r-1 to meet its SLOs, but it ended interrupted:');
  });

  it('toFailSlo passes only when an SLO on that metric (and phase) failed', () => {
    const result = runWith([
      slo({ passed: false, actual: 1200, margin: -400, expression: '< 800' }),
      slo({ selector: 'recovery', phase: 'recovery' }),
    ]);
    expect(toFailSlo(result, 'p99_ms').pass).toBe(true);
    expect(toFailSlo(result, 'p99_ms', 'fault').pass).toBe(true);
    const held = toFailSlo(result, 'p99_ms', 'recovery');
    expect(held.pass).toBe(false);
    expect(held.message()).toBe('expected an SLO on p99_ms in phase recovery to fail, but every one held:\n  held: recovery < 800: 420');
    const none = toFailSlo(result, 'error_rate');
    expect(none.pass).toBe(false);
    expect(none.message()).toBe('expected an SLO on error_rate to fail, but run r-1 has no SLO on error_rate');
  });

  it('refuses something that is not a run result', () => {
    expect(() => toMeetSlos({ status: 200 })).toThrow(
      'expected a Shakedown run result (what run() returns, or the RunResult in results.json)',
    );
  });

  it("extends vitest's expect, .not included", () => {
    const result = runWith([slo({ metric: 'error_rate', passed: false, actual: 0.5 })]);
    expect(result).toFailSlo('error_rate');
    expect(result).not.toMeetSlos();
    expect(() => expect(result).toMeetSlos()).toThrow('expected run r-1 to meet its SLOs, but 1 of 1 failed:\n  fault < 800: 0.5');
  });
});
