/**
 * Noise-aware comparison of runs of the same scenario (`shakedown compare`). For each phase and metric it
 * gives both values (the phase's own), the delta, and a verdict: `better` or `worse` only when the
 * difference is statistically significant (Welch's t-test over the phase's 1-second buckets, as
 * autocannon-compare does over its samples) AND at least the metric's minimum effect; `same` otherwise;
 * `untested` when a side has fewer than two buckets or no value. The first run of each scenario is the
 * baseline the others are compared with. Pure.
 */
import type { RunResult, SeriesPoint } from '../harness/results/result-types.ts';
import type { Outcome } from '../harness/scenario/metrics.ts';
import { welchTest } from './welch-test.ts';
import { readScore } from './run-score.ts';

/** Metrics compared per phase, from the 1-second series. `higherIsBetter` sets the direction of a verdict. */
export const COMPARED_METRICS = Object.freeze([
  { metric: 'throughput_rps', higherIsBetter: true },
  { metric: 'error_rate', higherIsBetter: false },
  { metric: 'p50_ms', higherIsBetter: false },
  { metric: 'p95_ms', higherIsBetter: false },
  { metric: 'p99_ms', higherIsBetter: false },
  { metric: 'quality', higherIsBetter: true },
  // The quiet harm, per outcome (scored runs): an honest 5xx turned into an empty 200 lowers error_rate; these
  // make it show as worse.
  { metric: 'empty_rate', higherIsBetter: false },
  { metric: 'fallback_rate', higherIsBetter: false },
  { metric: 'stale_rate', higherIsBetter: false },
  { metric: 'wrong_rate', higherIsBetter: false },
] as const);
export type ComparedMetric = (typeof COMPARED_METRICS)[number]['metric'];

export interface CompareOptions {
  /** Significance level of the two-sided Welch test. Default 0.01. */
  alpha?: number;
  /** Smallest difference that counts, per metric: `abs` in the metric's unit, `rel` as a fraction of the baseline; the larger applies. */
  minEffect?: Partial<Record<ComparedMetric, { abs: number; rel: number }>>;
}
export interface ResolvedCompareOptions {
  alpha: number;
  minEffect: Record<ComparedMetric, { abs: number; rel: number }>;
}

export const COMPARE_DEFAULTS: Readonly<ResolvedCompareOptions> = Object.freeze({
  alpha: 0.01,
  minEffect: Object.freeze({
    throughput_rps: { abs: 0.5, rel: 0.05 },
    error_rate: { abs: 0.01, rel: 0 },
    p50_ms: { abs: 10, rel: 0.15 },
    p95_ms: { abs: 10, rel: 0.15 },
    p99_ms: { abs: 20, rel: 0.2 },
    quality: { abs: 0.02, rel: 0 },
    empty_rate: { abs: 0.01, rel: 0 },
    fallback_rate: { abs: 0.01, rel: 0 },
    stale_rate: { abs: 0.01, rel: 0 },
    wrong_rate: { abs: 0.01, rel: 0 },
  }),
});

export type Verdict = 'better' | 'worse' | 'same' | 'untested';

export interface RunRef {
  file: string;
  label: string;
  git_sha: string | null;
  id: string;
  scenario_hash: string;
  status: string;
  trusted: boolean;
}

export interface MetricRow {
  phase: string;
  metric: string;
  baseline: number | null;
  candidate: number | null;
  delta: number | null;
  /** Two-sided p-value of Welch's test on the buckets; null when not tested. */
  pValue: number | null;
  buckets: [number, number];
  minEffect: number | null;
  verdict: Verdict;
}

export interface RunComparison {
  candidate: RunRef;
  rows: MetricRow[];
  notes: string[];
}
export interface ScenarioComparison {
  scenario: string;
  baseline: RunRef;
  comparisons: RunComparison[];
}
export interface Comparison {
  scenarios: ScenarioComparison[];
  options: ResolvedCompareOptions;
  worse: number;
  better: number;
}

export function resolveCompareOptions(o: CompareOptions = {}): ResolvedCompareOptions {
  return { alpha: o.alpha ?? COMPARE_DEFAULTS.alpha, minEffect: { ...COMPARE_DEFAULTS.minEffect, ...o.minEffect } };
}

const ref = (file: string, r: RunResult): RunRef => ({
  file,
  label: r.run.label,
  git_sha: r.run.git_sha,
  id: r.run.id,
  scenario_hash: r.run.scenario_hash,
  status: r.run.status,
  trusted: r.health.trusted,
});

/** Outcome-rate metrics and their outcome: per second they come from the bucket's outcome counts. */
const OUTCOME_OF: Partial<Record<ComparedMetric, Outcome>> = {
  empty_rate: 'empty',
  fallback_rate: 'fallback',
  stale_rate: 'stale',
  wrong_rate: 'wrong',
};

function bucketValue(p: SeriesPoint, metric: ComparedMetric): number | null | undefined {
  const outcome = OUTCOME_OF[metric];
  if (outcome === undefined) return p[metric as keyof SeriesPoint] as number | null | undefined;
  return p.outcomes ? (p.outcomes[outcome] ?? 0) / p.requests : null;
}

function bucketValues(series: SeriesPoint[], phase: string, metric: ComparedMetric): number[] {
  return series
    .filter((p) => p.phase === phase && p.requests > 0)
    .map((p) => bucketValue(p, metric))
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

function compareMetric(
  a: RunResult,
  b: RunResult,
  phase: string,
  m: (typeof COMPARED_METRICS)[number],
  o: ResolvedCompareOptions,
): MetricRow {
  const pa = a.phases.find((p) => p.name === phase);
  const pb = b.phases.find((p) => p.name === phase);
  const va = (pa?.metrics[m.metric] ?? null) as number | null;
  const vb = (pb?.metrics[m.metric] ?? null) as number | null;
  const xa = bucketValues(a.series, phase, m.metric);
  const xb = bucketValues(b.series, phase, m.metric);
  const base = { phase, metric: m.metric, baseline: va, candidate: vb, buckets: [xa.length, xb.length] as [number, number] };
  if (va === null || vb === null) return { ...base, delta: null, pValue: null, minEffect: null, verdict: 'untested' };
  const delta = vb - va;
  const effect = o.minEffect[m.metric];
  const minEffect = Math.max(effect.abs, effect.rel * Math.abs(va));
  const { pValue } = welchTest(xa, xb);
  if (pValue === null) return { ...base, delta, pValue, minEffect, verdict: 'untested' };
  const counts = pValue < o.alpha && Math.abs(delta) >= minEffect;
  const verdict: Verdict = !counts ? 'same' : delta > 0 === m.higherIsBetter ? 'better' : 'worse';
  return { ...base, delta, pValue, minEffect, verdict };
}

function compareTwo(a: RunResult, b: RunResult, bFile: string, o: ResolvedCompareOptions): RunComparison {
  const notes: string[] = [];
  const names = new Set(b.phases.map((p) => p.name));
  const phases = a.phases.map((p) => p.name).filter((n) => names.has(n));
  for (const p of a.phases) if (!names.has(p.name)) notes.push(`phase ${p.name} is only in the baseline`);
  for (const p of b.phases) if (!a.phases.some((x) => x.name === p.name)) notes.push(`phase ${p.name} is only in ${bFile}`);
  if (b.run.status !== 'completed') notes.push(`${bFile}: run ${b.run.status}; cut phases compare fewer buckets`);
  if (!b.health.trusted) notes.push(`${bFile}: harness health flags: ${b.health.flags.join('; ')}`);
  const rows: MetricRow[] = [];
  for (const phase of phases) {
    for (const m of COMPARED_METRICS) {
      const row = compareMetric(a, b, phase, m, o);
      if (row.baseline === null && row.candidate === null) continue;
      rows.push(row);
    }
  }
  for (const f of a.faults) {
    const g = b.faults.find((x) => x.name === f.name);
    if (!g) continue;
    rows.push({
      phase: f.name,
      metric: 'recovery_s',
      baseline: f.recovery_s,
      candidate: g.recovery_s,
      delta: f.recovery_s !== null && g.recovery_s !== null ? g.recovery_s - f.recovery_s : null,
      pValue: null,
      buckets: [0, 0],
      minEffect: null,
      verdict: 'untested',
    });
  }
  const sa = readScore(a);
  const sb = readScore(b);
  if (sa && sb)
    rows.push({
      phase: 'run',
      metric: 'score',
      baseline: sa.value,
      candidate: sb.value,
      delta: sb.value - sa.value,
      pValue: null,
      buckets: [0, 0],
      minEffect: null,
      verdict: 'untested',
    });
  return { candidate: ref(bFile, b), rows, notes };
}

/**
 * Compares runs: grouped by scenario name in the order given; the first run of each group is its baseline.
 * With `together` (different scenarios allowed and each given once) all runs form one group.
 */
export function compareRuns(
  inputs: Array<{ file: string; result: RunResult }>,
  options: CompareOptions = {},
  together = false,
): Comparison {
  const o = resolveCompareOptions(options);
  const groups = new Map<string, Array<{ file: string; result: RunResult }>>();
  for (const input of inputs) {
    const key = together ? '*' : input.result.run.scenario;
    groups.set(key, [...(groups.get(key) ?? []), input]);
  }
  const scenarios: ScenarioComparison[] = [];
  for (const group of groups.values()) {
    const [first, ...rest] = group;
    scenarios.push({
      scenario: [...new Set(group.map((g) => g.result.run.scenario))].join(' vs '),
      baseline: ref(first.file, first.result),
      comparisons: rest.map((c) => compareTwo(first.result, c.result, c.file, o)),
    });
  }
  const all = scenarios.flatMap((s) => s.comparisons.flatMap((c) => c.rows));
  return {
    scenarios,
    options: o,
    worse: all.filter((r) => r.verdict === 'worse').length,
    better: all.filter((r) => r.verdict === 'better').length,
  };
}
