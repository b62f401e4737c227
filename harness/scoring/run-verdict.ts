/**
 * The run's verdict: passed only when the run completed (not interrupted, not failed) and every SLO held.
 * An interrupted run with all SLOs met so far has not passed: its later phases were never measured.
 */
import type { RunResult, SloVerdict } from '../results/result-types.ts';

export function runVerdict(status: RunResult['run']['status'], slos: readonly Pick<SloVerdict, 'passed'>[]): RunResult['verdict'] {
  const failed = slos.filter((s) => !s.passed).length;
  return { passed: status === 'completed' && failed === 0, slos_total: slos.length, slos_failed: failed };
}
