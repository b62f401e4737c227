/**
 * Folds the stream of samples into phase results, the 1-second series, per-category splits, recovery times
 * and SLO verdicts. Samples are assigned to a bucket by their (intended) start time, and to a phase by the
 * overlap rule (fault-timeline.ts `phaseOfRequest`) when the caller gives the end time.
 */
import type { FaultEvidence, PhaseResult, SampleRecord, SeriesPoint, SloVerdict } from '../results/result-types.ts';
import { phaseAt, phaseOfRequest } from '../scenario/fault-timeline.ts';
import { meets, type MetricName } from '../scenario/metrics.ts';
import type { ResolvedPhase, ResolvedScenario } from '../scenario/types.ts';
import { createStatsAccumulator, type StatsAccumulator } from './stats-accumulator.ts';
import { latencyBudget, rankSample, type OutcomeClass } from './outcome-ranking.ts';
import { scoreV2FromCounts, type ScoreV2 } from './resilience-score-v2.ts';
import type { DependencyCalls } from '../results/result-types.ts';

export interface RunAnalysis {
  /**
   * Phase name for a request (ms since t0): with `end_ms`, the first fault phase [start_ms, end_ms] overlapped,
   * else the phase it started in; before 0 the first phase, past the end the last one.
   */
  phaseOf(start_ms: number, end_ms?: number): string;
  /**
   * Adds one measured sample (its phase already assigned).
   * @param announced the service labelled its fallback as one (`fallback: true`): a loud outcome, not quiet harm
   */
  add(sample: SampleRecord, announced?: boolean): void;
  /**
   * @param reached_ms how far the run got (ms since t0); phases ending later are marked not completed
   * @param dependencyCalls each dependency's call metrics, for `<dependency>.<metric>` SLOs
   */
  finish(
    reached_ms: number,
    dependencyCalls?: Readonly<Record<string, DependencyCalls>>,
  ): {
    /** Resilience score v2 over the fault and recovery phases (resilience-score-v2.ts). */
    score: ScoreV2;
    phases: PhaseResult[];
    series: SeriesPoint[];
    recovery: Map<string, Pick<FaultEvidence, 'recovery_s' | 'recovery'>>;
    slos: SloVerdict[];
    whole: StatsAccumulator;
  };
}

const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? null : Math.round((a / b) * 1000) / 1000;

/** Latency bound used for goodput: the tightest p95/p99 SLO that applies to the phase, else the request timeout. */
function goodLatencyBound(scenario: ResolvedScenario, phase: ResolvedPhase): number {
  let bound = scenario.load.timeout_ms;
  for (const slo of scenario.slos) {
    if ((slo.metric === 'p95_ms' || slo.metric === 'p99_ms') && selects(slo.selector, phase)) bound = Math.min(bound, slo.expression.value);
  }
  return bound;
}

function selects(selector: string, phase: ResolvedPhase): boolean {
  if (selector === 'all') return true;
  if (selector === 'baseline' || selector === 'fault' || selector === 'recovery') return phase.kind === selector;
  return phase.name === selector || phase.faults.includes(selector);
}

const STREAM_METRICS: ReadonlySet<string> = new Set(['ttft_ms', 'itl_ms', 'stream_abort_rate']);

export function createRunAnalysis(scenario: ResolvedScenario): RunAnalysis {
  const scored = scenario.score !== undefined;
  const phases = scenario.phases;
  const byPhase = new Map<string, StatsAccumulator>(phases.map((p) => [p.name, createStatsAccumulator()]));
  const byCategory = new Map<string, Map<string, StatsAccumulator>>(phases.map((p) => [p.name, new Map()]));
  const buckets: StatsAccumulator[] = [];
  // Each second's latencies, so recovery judges k seconds pooled (recoveredAt).
  const bucketLatencies: number[][] = [];
  const whole = createStatsAccumulator();
  const bounds = new Map(phases.map((p) => [p.name, goodLatencyBound(scenario, p)]));
  const budgets = phaseBudgets(scenario);
  const classes = new Map<string, Record<OutcomeClass, number>>(
    phases.filter((p) => p.kind !== 'baseline').map((p) => [p.name, { good: 0, loud: 0, late: 0, quiet: 0 }]),
  );

  const phaseOf = (t: number, end?: number) =>
    (end === undefined ? phaseAt(phases, t) : phaseOfRequest(phases, t, end))?.name ??
    (t < 0 ? (phases[0]?.name ?? 'baseline') : (phases.at(-1)?.name ?? 'after'));

  return {
    phaseOf,
    add(sample, announced = false) {
      const phase = sample.phase;
      const counted = classes.get(phase);
      if (counted) counted[rankSample(sample, budgets.get(phase)!, announced)]++;
      const bound = bounds.get(phase);
      byPhase.get(phase)?.add(sample, bound);
      whole.add(sample, bound);
      if (sample.category) {
        const cats = byCategory.get(phase);
        if (cats) {
          let acc = cats.get(sample.category);
          if (!acc) cats.set(sample.category, (acc = createStatsAccumulator({ compact: true })));
          acc.add(sample, bound);
        }
      }
      const b = Math.max(0, Math.floor(sample.start_ms / 1000));
      if (b < Math.ceil(scenario.load.duration_ms / 1000)) {
        (buckets[b] ??= createStatsAccumulator({ exact: true })).add(sample, bound);
        (bucketLatencies[b] ??= []).push(sample.latency_ms);
      }
    },
    finish(reached_ms, dependencyCalls = {}) {
      const phaseResults: PhaseResult[] = phases.map((p) => {
        const acc = byPhase.get(p.name)!;
        const effectiveEnd = Math.min(p.end_ms, Math.max(reached_ms, p.start_ms));
        const metrics = acc.metrics(effectiveEnd - p.start_ms, scored);
        const by_category: PhaseResult['by_category'] = {};
        for (const [cat, c] of [...byCategory.get(p.name)!.entries()].sort(([a], [b]) => a.localeCompare(b))) {
          const cm = c.metrics(effectiveEnd - p.start_ms, scored);
          by_category[cat] = {
            requests: cm.requests,
            error_rate: cm.error_rate,
            quality: cm.quality ?? null,
            p95_ms: cm.p95_ms,
            ...(scored ? { outcomes: { ...c.outcomes } } : {}),
          };
        }
        return {
          name: p.name,
          kind: p.kind,
          start_ms: p.start_ms,
          end_ms: p.end_ms,
          faults: p.faults,
          completed: reached_ms >= p.end_ms,
          metrics,
          errors: { ...acc.errors },
          outcomes: { ...acc.outcomes },
          by_category,
          latency_histogram_us: acc.encodedHistogram(),
        };
      });
      const baseline = phaseResults.find((p) => p.kind === 'baseline');
      for (const p of phaseResults) {
        if (p.kind === 'baseline' || !baseline) continue;
        p.degradation = {
          p50_ratio: ratio(p.metrics.p50_ms, baseline.metrics.p50_ms),
          p95_ratio: ratio(p.metrics.p95_ms, baseline.metrics.p95_ms),
          error_rate_delta:
            p.metrics.error_rate === null || baseline.metrics.error_rate === null
              ? null
              : Math.round((p.metrics.error_rate - baseline.metrics.error_rate) * 10_000) / 10_000,
          quality_delta:
            p.metrics.quality == null || baseline.metrics.quality == null
              ? null
              : Math.round((p.metrics.quality - baseline.metrics.quality) * 10_000) / 10_000,
        };
      }

      const lastBucket = Math.min(Math.ceil(scenario.load.duration_ms / 1000), Math.ceil(reached_ms / 1000));
      const series: SeriesPoint[] = [];
      for (let t = 0; t < lastBucket; t++) {
        const acc = buckets[t] ?? createStatsAccumulator({ exact: true });
        const width = Math.min(1000, scenario.load.duration_ms - t * 1000);
        const m = acc.metrics(width, scored);
        const mid = t * 1000 + width / 2;
        series.push({
          t_s: t,
          requests: m.requests,
          throughput_rps: m.throughput_rps,
          errors: { ...acc.errors },
          error_rate: m.error_rate,
          p50_ms: m.p50_ms,
          p95_ms: m.p95_ms,
          p99_ms: m.p99_ms,
          quality: m.quality ?? null,
          ...(m.streams ? { ttft_ms: m.ttft_ms ?? null, itl_ms: m.itl_ms ?? null, stream_abort_rate: m.stream_abort_rate ?? null } : {}),
          phase: phaseOf(t * 1000),
          active_faults: scenario.faults.filter((f) => f.at_ms <= mid && mid < f.at_ms + f.for_ms).map((f) => f.name),
          ...(scored ? { outcomes: { ...acc.outcomes } } : {}),
        });
      }

      const recovery = new Map<string, Pick<FaultEvidence, 'recovery_s' | 'recovery'>>();
      const baseP95 = baseline?.metrics.p95_ms ?? null;
      for (const f of scenario.faults) {
        const end = f.at_ms + f.for_ms;
        if (baseline === undefined || baseP95 === null) {
          recovery.set(f.name, { recovery_s: null, recovery: 'no_baseline' });
          continue;
        }
        if (reached_ms < end) {
          recovery.set(f.name, { recovery_s: null, recovery: 'not_measured' });
          continue;
        }
        const k = scenario.recovery.buckets;
        // Only up to the next fault that starts after this one ends: what follows is that fault's doing.
        const nextStart = Math.min(Infinity, ...scenario.faults.filter((g) => g !== f && g.at_ms >= end).map((g) => g.at_ms));
        const limit = Math.min(series.length, Number.isFinite(nextStart) ? Math.floor(nextStart / 1000) : Infinity);
        const found = recoveredAt(series, bucketLatencies, {
          from: Math.ceil(end / 1000),
          limit,
          buckets: k,
          p95_bound_ms: Math.max(baseP95 * scenario.recovery.latencyFactor, baseP95 + scenario.recovery.latencySlackMs),
          error_rate_bound: (baseline.metrics.error_rate ?? 0) + 0.01,
        });
        recovery.set(
          f.name,
          typeof found === 'string'
            ? { recovery_s: null, recovery: found }
            : { recovery_s: Math.max(0, found * 1000 - end) / 1000, recovery: 'recovered' },
        );
      }

      const slos: SloVerdict[] = [];
      const completedPhase = (name: string) => phaseResults.find((p) => p.name === name)?.completed === true;
      for (const slo of scenario.slos) {
        const verdict = (phase: string, actual: number | null | undefined, reason?: string): SloVerdict => {
          if (actual === null || actual === undefined) {
            return {
              selector: slo.selector,
              phase,
              metric: slo.metric,
              expression: slo.expression.text,
              actual: null,
              passed: false,
              margin: null,
              reason: reason ?? (STREAM_METRICS.has(slo.metric) ? 'no streamed responses' : 'no samples'),
            };
          }
          const passed = meets(slo.expression, actual);
          const raw = slo.expression.op.startsWith('<') ? slo.expression.value - actual : actual - slo.expression.value;
          return {
            selector: slo.selector,
            phase,
            metric: slo.metric,
            expression: slo.expression.text,
            actual,
            passed,
            margin: Math.round(raw * 10_000) / 10_000,
            ...(reason ? { reason } : {}),
          };
        };
        if (slo.metric === 'recovery_s') {
          const faults =
            slo.selector === 'recovery' || slo.selector === 'all'
              ? scenario.faults
              : scenario.faults.filter((f) => f.name === slo.selector);
          for (const f of faults) {
            const r = recovery.get(f.name)!;
            slos.push(verdict(f.name, r.recovery_s, r.recovery === 'recovered' ? undefined : r.recovery.replace('_', ' ')));
          }
          continue;
        }
        if (slo.dependency) {
          const dep = slo.dependency;
          const calls = dependencyCalls[dep.name];
          const wanted = slo.selector === 'all' ? phases : phases.filter((p) => selects(slo.selector, p));
          for (const p of wanted) {
            if (!completedPhase(p.name)) {
              slos.push(verdict(p.name, null, 'phase did not complete'));
              continue;
            }
            const row = calls?.phases.find((c) => c.phase === p.name);
            const actual = row?.[dep.metric] ?? null;
            slos.push(verdict(p.name, actual, actual !== null ? undefined : calls ? 'no requests' : `no call log of ${dep.name}`));
          }
          continue;
        }
        if (slo.selector === 'all') {
          slos.push(verdict('all', whole.metrics(Math.min(reached_ms, scenario.load.duration_ms), scored)[slo.metric as MetricName]));
          continue;
        }
        for (const p of phaseResults.filter((p) =>
          selects(
            slo.selector,
            phases.find((q) => q.name === p.name)!,
          ),
        )) {
          if (!p.completed) {
            slos.push(verdict(p.name, null, 'phase did not complete'));
            continue;
          }
          slos.push(verdict(p.name, p.metrics[slo.metric as MetricName]));
        }
      }
      return { score: scoreV2FromCounts(classes, budgets), phases: phaseResults, series, recovery, slos, whole };
    },
  };
}

/**
 * Each phase's latency budget (outcome ranking, score v2): the scenario's `latencyBudget`, else the tightest
 * p95/p99 SLO that applies to that phase, else the request timeout. What `run --dry-run` prints per phase.
 */
export function phaseBudgets(scenario: Pick<ResolvedScenario, 'phases' | 'slos' | 'latencyBudget_ms' | 'load'>): Map<string, number> {
  return new Map(
    scenario.phases.map((p) => [
      p.name,
      latencyBudget({
        latencyBudget_ms: scenario.latencyBudget_ms,
        slos: scenario.slos.filter((slo) => !slo.dependency && selects(slo.selector, p)),
        timeout_ms: scenario.load.timeout_ms,
      }),
    ]),
  );
}

/**
 * Recovery's rule (README "Metrics", `recovery_s`): the first second `t` from `from` such that the `buckets` seconds
 * t … t+buckets−1 (all before `limit`) each have requests and no active fault, and, pooled, their p95 latency
 * (nearest rank over every request of the window) is within `p95_bound_ms` and their error rate within
 * `error_rate_bound`. Pooling the window means one slow request among ~36 (a GC pause, a busy machine) cannot hold
 * recovery back, as it did when each 12-request second had to pass on its own (its p95 was its maximum); a service
 * still slow on more than 5 % of the window's requests has not recovered. 'not_recovered' when windows could be
 * judged and none passed; 'not_measured' when none could (another fault active throughout, seconds without requests,
 * fewer than `buckets` seconds before the limit).
 */
export function recoveredAt(
  series: readonly Pick<SeriesPoint, 'requests' | 'errors' | 'active_faults'>[],
  latencies: readonly (readonly number[] | undefined)[],
  o: { from: number; limit: number; buckets: number; p95_bound_ms: number; error_rate_bound: number },
): number | 'not_recovered' | 'not_measured' {
  let judged = 0;
  for (let t = o.from; t + o.buckets <= o.limit; t++) {
    const window = series.slice(t, t + o.buckets);
    if (window.some((p) => p.requests === 0 || p.active_faults.length > 0)) continue;
    judged++;
    const pooled = window.flatMap((_, j) => latencies[t + j] ?? []).sort((a, b) => a - b);
    const requests = window.reduce((n, p) => n + p.requests, 0);
    const failed = window.reduce((n, p) => n + Object.values(p.errors).reduce((a, b) => a + b, 0), 0);
    const p95 = pooled[Math.max(0, Math.ceil(0.95 * pooled.length) - 1)];
    if (p95 <= o.p95_bound_ms && failed / requests <= o.error_rate_bound) return t;
  }
  return judged > 0 ? 'not_recovered' : 'not_measured';
}
