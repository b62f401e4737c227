/**
 * A trial's verdict: the run's SLO verdicts, less those that say nothing about the schedule: the baseline's
 * (every fault starts after it, so a baseline breach is the machine's noise or an earlier trial's leftovers), a
 * recovery that could not be measured (the next fault started, or the trial ended, before `recovery.buckets`
 * seconds had passed) and a phase with no samples (a short overlap of two faults). Counting those as failures
 * would let the search "find" schedules that fail by the machine's load or by their geometry alone.
 */
import type { RunResult, SloVerdict } from '../results/result-types.ts';
import type { ExploreProperty } from '../scenario/explore-space.ts';

export const UNJUDGED_REASONS: readonly string[] = ['not measured', 'no samples'];

export interface TrialVerdict {
  passed: boolean;
  failed: SloVerdict[];
  /** Failed only for want of a measurement; not held against the schedule. */
  unjudged: SloVerdict[];
  /** The explore block's properties that did not hold: `name: why` (why = the string the check returned, or `false`). */
  failedProperties: string[];
}

/**
 * Judges a trial. `properties` are called with the run (when given one: the minimal schedule's verdicts are judged
 * again from its SLOs alone); a property that throws throws here, naming itself.
 */
export function trialVerdict(run: Pick<RunResult, 'slos'> | RunResult, properties: readonly ExploreProperty[] = []): TrialVerdict {
  const unjudged = run.slos.filter(
    (v) => !v.passed && (v.phase === 'baseline' || (v.actual === null && UNJUDGED_REASONS.includes(v.reason ?? ''))),
  );
  const failed = run.slos.filter((v) => !v.passed && !unjudged.includes(v));
  const failedProperties: string[] = [];
  for (const property of properties) {
    let held: boolean | string;
    try {
      held = property.check(run as RunResult);
    } catch (error) {
      throw new Error(`explore property '${property.name}' threw: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    }
    if (held !== true) failedProperties.push(`${property.name}: ${typeof held === 'string' && held ? held : 'false'}`);
  }
  return { passed: failed.length === 0 && failedProperties.length === 0, failed, unjudged, failedProperties };
}

/** The failed SLOs and properties of a verdict, one string each, for the terminal and explore.json. */
export function describeFailures(verdict: TrialVerdict): string[] {
  return [...describeVerdicts(verdict.failed), ...verdict.failedProperties.map((p) => `property ${p}`)];
}

/** `fault.timeout_rate=1 (< 1%)` for each verdict. */
export function describeVerdicts(verdicts: readonly SloVerdict[]): string[] {
  return verdicts.map((v) => `${v.phase}.${v.metric}=${v.actual ?? v.reason ?? 'null'} (${v.expression})`);
}
