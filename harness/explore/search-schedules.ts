/**
 * The search: fast-check runs a property "this schedule passes the scenario's SLOs" over generated schedules,
 * and on a failure shrinks it with its own shrinker, so the schedule reported is one none of whose smaller
 * neighbours fails. Generic over the value, so the logic is tested with a synthetic property and no processes.
 *
 * SLO judgements are noisy (a busy machine adds latency): a failing trial is run `confirmRuns` more times and
 * counts as failing only when every run fails. A noisy false pass only stops a shrink one step early (the
 * schedule kept still failed, confirmed); a noisy false failure accepted would shrink towards a schedule that
 * does not fail, so the cost of confirmation is paid on failures only. Past the time budget, trials are not
 * run and count as passing: the search ends with the smallest confirmed failure so far.
 */
import fc from 'fast-check';

/** One run of one trial, as the judge saw it. */
export interface Judgement {
  passed: boolean;
  /** Failed SLOs or other detail, one line. */
  summary: string;
}

export interface TrialRecord<T> {
  index: number;
  /** `search` until the first confirmed failure, then `shrink`. */
  stage: 'search' | 'shrink';
  value: T;
  /** The first run and its confirmations. */
  runs: Judgement[];
  /** Confirmed failure: every run failed. */
  failed: boolean;
  /** When the trial's last run ended, ms since the search started. */
  ended_ms: number;
}

export interface SearchProgress {
  trials: number;
  failures: number;
  stage: 'search' | 'shrink';
  /** Accepted shrink steps so far (0 before the first failure). */
  shrinks: number;
  last: Judgement;
}

export interface SearchOptions<T> {
  arbitrary: fc.Arbitrary<T>;
  judge: (value: T) => Promise<Judgement>;
  seed: number;
  /** fast-check's replay path (printed with a failure); with it the search starts at that counterexample. */
  path?: string;
  /** Most generated schedules tried before a failure (fast-check's numRuns, `examples` included). */
  trials: number;
  /** Values tried first, shrunk like generated ones when they fail (the arbitrary must map back from them). */
  examples?: T[];
  budget_ms: number;
  /** Extra runs of a failing trial before it counts (default 1). */
  confirmRuns?: number;
  /**
   * Most time the shrink may take after the first confirmed failure (within `budget_ms`); when it runs out the
   * smallest failure confirmed so far is the counterexample. Default: the budget alone. A function is asked at
   * the first confirmed failure.
   */
  shrinkBudget_ms?: number | (() => number);
  onTrial?: (trial: TrialRecord<T>, progress: SearchProgress) => void;
  now?: () => number;
}

export interface SearchResult<T> {
  seed: number;
  /** fast-check's path to the minimal counterexample: replays it with `seed`. */
  path: string | null;
  trials: TrialRecord<T>[];
  /** The smallest confirmed failing value, or null when none failed. */
  counterexample: T | null;
  /** Each accepted failure in order: the first found, then every smaller one that still failed. */
  shrinkPath: T[];
  /** Trials skipped because the budget ran out. */
  skipped: number;
  budgetExhausted: boolean;
}

export async function searchSchedules<T>(o: SearchOptions<T>): Promise<SearchResult<T>> {
  const now = o.now ?? (() => performance.now());
  const confirmRuns = o.confirmRuns ?? 1;
  const started = now();
  let deadline = started + o.budget_ms;
  const trials: TrialRecord<T>[] = [];
  const shrinkPath: T[] = [];
  let skipped = 0;
  const property = fc.asyncProperty(o.arbitrary, async (value) => {
    if (now() >= deadline) {
      skipped++;
      return true;
    }
    const stage = shrinkPath.length === 0 ? 'search' : 'shrink';
    const runs = [await o.judge(value)];
    while (!runs.at(-1)!.passed && runs.length <= confirmRuns && now() < deadline) runs.push(await o.judge(value));
    const failed = runs.length === confirmRuns + 1 && runs.every((r) => !r.passed);
    const trial: TrialRecord<T> = { index: trials.length + 1, stage, value, runs, failed, ended_ms: Math.round(now() - started) };
    trials.push(trial);
    if (failed) shrinkPath.push(value);
    // The first failure starts the shrink's own clock (shrinkBudget_ms), within the search's deadline.
    if (failed && shrinkPath.length === 1 && o.shrinkBudget_ms !== undefined) {
      const share = typeof o.shrinkBudget_ms === 'function' ? o.shrinkBudget_ms() : o.shrinkBudget_ms;
      deadline = Math.min(deadline, now() + share);
    }
    o.onTrial?.(trial, {
      trials: trials.length,
      failures: trials.filter((t) => t.failed).length,
      stage,
      shrinks: Math.max(0, shrinkPath.length - 1),
      last: runs.at(-1)!,
    });
    return !failed;
  });
  const details = await fc.check(property, {
    seed: o.seed,
    numRuns: o.trials,
    ...(o.examples?.length ? { examples: o.examples.map((v): [T] => [v]) } : {}),
    ...(o.path ? { path: o.path } : {}),
  });
  return {
    seed: o.seed,
    path: details.failed ? details.counterexamplePath : null,
    trials,
    counterexample: details.failed && details.counterexample ? details.counterexample[0] : null,
    shrinkPath,
    skipped,
    budgetExhausted: skipped > 0,
  };
}
