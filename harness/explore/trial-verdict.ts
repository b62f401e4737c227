/**
 * A trial's verdict: the run's SLO verdicts, less those that say nothing about the schedule: the baseline's
 * (every fault starts after it, so a baseline breach is the machine's noise or an earlier trial's leftovers), a
 * recovery that could not be measured (the next fault started, or the trial ended, before `recovery.buckets`
 * seconds had passed) and a phase with no samples (a short overlap of two faults). Counting those as failures
 * would let the search "find" schedules that fail by the machine's load or by their geometry alone.
 */
import type { RunResult, SloVerdict } from '../results/result-types.ts';

export const UNJUDGED_REASONS: readonly string[] = ['not measured', 'no samples'];

export interface TrialVerdict {
  passed: boolean;
  failed: SloVerdict[];
  /** Failed only for want of a measurement; not held against the schedule. */
  unjudged: SloVerdict[];
}

export function trialVerdict(run: Pick<RunResult, 'slos'>): TrialVerdict {
  const unjudged = run.slos.filter(
    (v) => !v.passed && (v.phase === 'baseline' || (v.actual === null && UNJUDGED_REASONS.includes(v.reason ?? ''))),
  );
  const failed = run.slos.filter((v) => !v.passed && !unjudged.includes(v));
  return { passed: failed.length === 0, failed, unjudged };
}

/** `fault.timeout_rate=1 (< 1%)` for each verdict. */
export function describeVerdicts(verdicts: readonly SloVerdict[]): string[] {
  return verdicts.map((v) => `${v.phase}.${v.metric}=${v.actual ?? v.reason ?? 'null'} (${v.expression})`);
}
