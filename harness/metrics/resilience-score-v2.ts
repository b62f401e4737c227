/**
 * Resilience score v2 (README "Resilience score"), 0–100, built on the outcome ranking (outcome-ranking.ts):
 * each request during a fault or recovery phase earns a credit by its class, and the score is the mean over
 * those phases of the phase's mean credit:
 *
 *   credit  = 1 good (answered right within the latency budget), ½ loud (announced failure), 0.1 late (past the
 *             budget), 0 quiet (stale, wrong, empty, partial, truncated, unannounced fallback)
 *   phase   = 100 × Σ credit / requests
 *   score   = mean of phase over fault and recovery phases with requests
 *
 * So a fast honest 504 (½) beats a hang that answers after the budget (0.1), and both beat an answer that looks
 * fine and is not (0). Pure.
 */
import type { ResilienceScoreV2Result, SampleRecord } from '../results/result-types.ts';
import { OUTCOME_CLASSES, rankSample, type OutcomeClass } from './outcome-ranking.ts';

export const OUTCOME_CREDIT: Readonly<Record<OutcomeClass, number>> = Object.freeze({ good: 1, loud: 0.5, late: 0.1, quiet: 0 });

export interface ScoreV2Phase {
  phase: string;
  /** The latency budget this phase's requests were judged against (ms). */
  budget_ms: number;
  requests: number;
  classes: Record<OutcomeClass, number>;
  /** 100 × mean credit, one decimal. */
  value: number;
}

export interface ScoreV2 {
  value: number | null;
  /** The latency budget when every phase scored had the same one, else null (see `phases[].budget_ms`). */
  budget_ms: number | null;
  formula: string;
  phases: ScoreV2Phase[];
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The formula on one terminal line, with the run's latency budget.
 * @param budget one budget in ms, or each phase's (`model-latency 4800 ms, recovery 8000 ms` when they differ)
 */
export function scoreV2Formula(budget: number | ReadonlyMap<string, number>): string {
  return `score = mean over fault+recovery phases of 100×(good + ½·loud + 0.1·late + 0·quiet)/requests; good = right within ${budgetText(budget)}`;
}

function budgetText(budget: number | ReadonlyMap<string, number>): string {
  if (typeof budget === 'number') return `${budget} ms`;
  const values = new Set(budget.values());
  if (values.size === 1) return `${[...values][0]} ms`;
  return `the phase's budget (${[...budget].map(([p, ms]) => `${p} ${ms} ms`).join(', ')})`;
}

/** The whole formula, for the HTML report and README. */
export function scoreV2FormulaLong(budget: number | ReadonlyMap<string, number>): string {
  return (
    `${scoreV2Formula(budget)}. ` +
    'good: a complete, right answer within the latency budget; loud: an announced failure (HTTP error, connection error, a stream ended by an error event or without its completion event, a fallback labelled as one); ' +
    'late: an answer or the harness timeout past the budget; quiet: stale, wrong, empty, partial, truncated (cut short, presented as complete) or an unlabelled fallback. ' +
    'The budget is the scenario latencyBudget, else the tightest p95_ms/p99_ms SLO that applies to the phase, else the request timeout.'
  );
}

/**
 * @param phases the run's phases (name, kind)
 * @param samples every measured sample, with `phase` assigned by the overlap rule (fault-timeline.ts `phaseOfRequest`)
 * @param budget_ms latency budget (outcome-ranking.ts `latencyBudget`)
 * @param announced ids of samples whose fallback the service labelled (`fallback: true`)
 */
export function resilienceScoreV2(
  phases: ReadonlyArray<{ name: string; kind: 'baseline' | 'fault' | 'recovery' }>,
  samples: Iterable<
    Pick<SampleRecord, 'id' | 'phase' | 'status' | 'error_kind' | 'latency_ms' | 'outcome' | 'stream_aborted' | 'stream_abort_reason'>
  >,
  budget_ms: number,
  announced: ReadonlySet<number> = new Set(),
): ScoreV2 {
  const counted = new Map<string, Record<OutcomeClass, number>>();
  for (const p of phases) if (p.kind !== 'baseline') counted.set(p.name, { good: 0, loud: 0, late: 0, quiet: 0 });
  for (const s of samples) {
    const c = counted.get(s.phase);
    if (c) c[rankSample(s, budget_ms, announced.has(s.id))]++;
  }
  return scoreV2FromCounts(counted, budget_ms);
}

/** The budget of each phase from one budget or a map (a phase missing from the map: Infinity). */
const budgetOf = (budget: number | ReadonlyMap<string, number>, phase: string) =>
  typeof budget === 'number' ? budget : (budget.get(phase) ?? Infinity);

/**
 * The score from class counts per phase, for a runner that ranks each sample as it arrives (`rankSample`) instead
 * of keeping them. Pass only fault and recovery phases; phases without requests are left out.
 */
export function scoreV2FromCounts(
  counted: ReadonlyMap<string, Record<OutcomeClass, number>>,
  budget: number | ReadonlyMap<string, number>,
): ScoreV2 {
  const out: ScoreV2Phase[] = [];
  const raw: number[] = [];
  for (const [phase, classes] of counted) {
    const requests = OUTCOME_CLASSES.reduce((n, k) => n + classes[k], 0);
    if (requests === 0) continue;
    const credit = OUTCOME_CLASSES.reduce((n, k) => n + OUTCOME_CREDIT[k] * classes[k], 0);
    raw.push((100 * credit) / requests);
    out.push({ phase, budget_ms: budgetOf(budget, phase), requests, classes: { ...classes }, value: r1(raw.at(-1)!) });
  }
  const value = raw.length ? r1(raw.reduce((n, v) => n + v, 0) / raw.length) : null;
  const used = new Map(out.map((p) => [p.phase, p.budget_ms]));
  const budgets = new Set(used.values());
  const budget_ms = typeof budget === 'number' ? budget : budgets.size === 1 ? [...budgets][0] : null;
  return { value, budget_ms, formula: scoreV2Formula(typeof budget === 'number' ? budget : used), phases: out };
}

/** The score as results.json stores it: the classes' shares as components, and both formulas. */
export function scoreV2Result(score: ScoreV2): ResilienceScoreV2Result {
  const total = score.phases.reduce((n, p) => n + p.requests, 0);
  return {
    version: 2,
    value: score.value,
    budget_ms: score.budget_ms,
    formula: score.formula,
    formula_long: scoreV2FormulaLong(score.budget_ms ?? new Map(score.phases.map((p) => [p.phase, p.budget_ms]))),
    components: OUTCOME_CLASSES.map((name) => ({
      name,
      value: total ? r1((100 * score.phases.reduce((n, p) => n + p.classes[name], 0)) / total) : null,
      weight: OUTCOME_CREDIT[name],
    })),
    phases: score.phases,
  };
}
