import { describe, expect, it } from 'vitest';
import { describeVerdicts, trialVerdict } from '../../harness/explore/trial-verdict.ts';
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
    expect(trialVerdict({ slos })).toEqual({ passed: true, failed: [], unjudged: slos.slice(0, 3) });
  });

  it('fails on a measured breach and on a recovery that never came', () => {
    const slos = [v('model-latency', 'recovery_s', null, false, 'not recovered'), v('model-down', 'error_rate', 0.25, false)];
    const verdict = trialVerdict({ slos });
    expect(verdict.passed).toBe(false);
    expect(describeVerdicts(verdict.failed)).toEqual(['model-latency.recovery_s=not recovered (< 5)', 'model-down.error_rate=0.25 (< 1%)']);
  });
});
