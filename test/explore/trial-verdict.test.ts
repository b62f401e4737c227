import { describe, expect, it } from 'vitest';
import { describeFailures, describeVerdicts, trialVerdict } from '../../harness/explore/trial-verdict.ts';
import type { RunResult } from '../../harness/results/result-types.ts';
import type { SloVerdict } from '../../harness/results/result-types.ts';

const v = (phase: string, metric: SloVerdict['metric'], actual: number | null, passed: boolean, reason?: string): SloVerdict => ({
  selector: metric === 'recovery_s' ? 'recovery' : 'fault',
  phase,
  metric,
  expression: metric === 'recovery_s' ? '< 5' : '< 1%',
  actual,
  passed,
  margin: null,
  ...(reason ? { reason } : {}),
});

describe('a trial verdict', () => {
  it('does not hold a baseline breach, an unmeasurable recovery or an empty overlap phase against the schedule', () => {
    const slos = [
      { ...v('baseline', 'p95_ms', 507.9, false), selector: 'baseline', expression: '< 500' },
      v('model-latency', 'recovery_s', null, false, 'not measured'),
      v('model-latency+model-down', 'error_rate', null, false, 'no samples'),
      v('model-down', 'error_rate', 0, true),
    ];
    expect(trialVerdict({ slos })).toEqual({ passed: true, failed: [], unjudged: slos.slice(0, 3), failedProperties: [] });
  });

  it('fails on a measured breach and on a recovery that never came', () => {
    const slos = [v('model-latency', 'recovery_s', null, false, 'not recovered'), v('model-down', 'error_rate', 0.25, false)];
    const verdict = trialVerdict({ slos });
    expect(verdict.passed).toBe(false);
    expect(describeVerdicts(verdict.failed)).toEqual(['model-latency.recovery_s=not recovered (< 5)', 'model-down.error_rate=0.25 (< 1%)']);
  });
});

describe('properties (functions of the trial result) beside the SLOs', () => {
  const slos = [v('model-down', 'error_rate', 0, true)];
  const run = { slos, score: { value: 42 } } as unknown as RunResult;

  it('fails a trial whose property returns false or a reason, and names them', () => {
    const verdict = trialVerdict(run, [
      { name: 'score-above-50', check: (r) => (r.score?.value ?? 0) > 50 },
      { name: 'says-why', check: (r) => (r.score?.value === 42 ? 'score is exactly 42' : true) },
      { name: 'holds', check: () => true },
    ]);
    expect(verdict).toMatchObject({
      passed: false,
      failed: [],
      failedProperties: ['score-above-50: false', 'says-why: score is exactly 42'],
    });
    expect(describeFailures(verdict)).toEqual(['property score-above-50: false', 'property says-why: score is exactly 42']);
  });

  it('passes when every property and SLO holds', () => {
    expect(trialVerdict(run, [{ name: 'holds', check: () => true }]).passed).toBe(true);
  });

  it('throws, naming the property, when a check throws (a bug in the property, not a failing schedule)', () => {
    const broken = { name: 'typo', check: (r: RunResult) => (r as unknown as { nope: { x: number } }).nope.x > 1 };
    expect(() => trialVerdict(run, [broken])).toThrow(/^explore property 'typo' threw: Cannot read properties of undefined/);
  });
});
