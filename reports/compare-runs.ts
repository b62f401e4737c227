/**
 * Noise-aware comparison of runs of the same scenario (`shakedown compare`, README "Comparing runs"). For each
 * phase and metric it gives both values (the phase's own), the delta, and a verdict: `better` or `worse` only
 * when the difference is statistically significant AND at least the metric's minimum effect; `same` otherwise;
 * `untested` with a `reason` ("not enough data: ...") when it cannot be tested. The test is over requests when
 * both runs' samples are given (request-tests.ts):
 *   latencies, ttft, itl, quality   Mann-Whitney U; paired by sample id with the sign test when both runs used the same seed
 *   rates (errors, outcomes, ...)   Fisher's exact test on the 2×2 counts; paired: exact McNemar
 *   throughput_rps                  Welch's t-test over the 1-second buckets (a rate has no per-request value)
 * Without samples every metric falls back to Welch over the 1-second buckets. At least MIN_REQUESTS requests
 * (pairs) per side are needed. Every SLO verdict present in both runs is compared too: pass → FAIL is `worse`,
 * FAIL → pass `better`. The first run of each scenario is the baseline the others are compared with. Pure.
 */
import type { CompareSample, RunResult, SampleRecord, SeriesPoint } from '../harness/results/result-types.ts';
import { CALLS_MIN_EFFECT, MIN_REQUESTS, OUTCOME_OF, compareCalls, requestTest, requestValue } from './compare-requests.ts';
import {
  COMPARE_DEFAULTS,
  COMPARED_METRICS,
  type CompareInput,
  type CompareOptions,
  type ComparedMetric,
  type CompareTest,
  type MetricRow,
  type ResolvedCompareOptions,
  type RunRef,
  type Verdict,
} from './compare-types.ts';
import { compareSlos } from './compare-slos.ts';
import { welchTest } from './welch-test.ts';
import { quantileInterval } from './request-tests.ts';
import { readScore } from './run-score.ts';

export { CALLS_MIN_EFFECT, MIN_REQUESTS };
export * from './compare-types.ts';

/** The rule the verdicts follow, one sentence for the terminal and the HTML page. */
export function compareRule(alpha: number): string {
  return (
    `A difference counts only when its test gives p < ${alpha} and the change is at least the minimum effect. Tests over requests (samples.ndjson): ` +
    `Mann-Whitney U for latencies, ttft, itl and quality, Fisher's exact test for rates; when both runs used the same seed, paired by request ` +
    `(sign test, exact McNemar); throughput and runs without samples: Welch's t-test over 1-second buckets. Fewer than ${MIN_REQUESTS} requests ` +
    `a side: not enough data, never "same". An SLO that went pass → FAIL is worse.`
  );
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

/** Latency quantiles judged also by their confidence intervals (request-tests.ts quantileInterval). */
const TAIL_QUANTILES: Partial<Record<ComparedMetric, number>> = { p95_ms: 0.95, p99_ms: 0.99 };

/** A run's latencies in one phase, ascending. */
function latenciesOf(x: CompareInput, phase: string): number[] {
  return x
    .samples!.filter((s) => s.phase === phase)
    .map((s) => s.latency_ms)
    .sort((p, q) => p - q);
}

/** quantileInterval with a bound no order statistic gives replaced by the run's minimum or maximum. */
function boundedInterval(sorted: number[], q: number, alpha: number): { lower: number; upper: number } {
  const i = quantileInterval(sorted, q, alpha);
  return { lower: Number.isFinite(i.lower) ? i.lower : sorted[0], upper: Number.isFinite(i.upper) ? i.upper : sorted[sorted.length - 1] };
}

function compareMetric(
  a: CompareInput,
  b: CompareInput,
  phase: string,
  m: (typeof COMPARED_METRICS)[number],
  o: ResolvedCompareOptions,
): MetricRow {
  const pa = a.result.phases.find((p) => p.name === phase);
  const pb = b.result.phases.find((p) => p.name === phase);
  const va = (pa?.metrics[m.metric] ?? null) as number | null;
  const vb = (pb?.metrics[m.metric] ?? null) as number | null;
  const untested = (row: Omit<MetricRow, 'verdict' | 'pValue'>, reason: string): MetricRow => ({
    ...row,
    pValue: null,
    verdict: 'untested',
    reason,
  });
  const overRequests = a.samples !== undefined && b.samples !== undefined && m.metric !== 'throughput_rps';
  if (overRequests) {
    const base = { phase, metric: m.metric, baseline: va, candidate: vb, buckets: [0, 0] as [number, number] };
    const paired = a.result.run.seed === b.result.run.seed;
    const r = requestTest(
      a.samples!.filter((x) => x.phase === phase),
      b.samples!.filter((x) => x.phase === phase),
      (x) => requestValue(x, m.metric),
      paired,
    );
    if (va === null || vb === null)
      return untested(
        { ...base, test: r.test, n: r.n, delta: null, minEffect: null },
        `not enough data: no ${m.metric} in ${va === null ? 'the baseline' : 'the candidate'}`,
      );
    const delta = vb - va;
    const effect = o.minEffect[m.metric];
    const minEffect = Math.max(effect.abs, effect.rel * Math.abs(va));
    if ('reason' in r) return untested({ ...base, test: r.test, n: r.n, delta, minEffect }, r.reason);
    const counts = r.pValue < o.alpha && Math.abs(delta) >= minEffect && Math.sign(delta) === r.shift;
    // A tail quantile counts as moved only when its confidence intervals in the two runs do not overlap: a few
    // slow requests (a busy machine) move a p99 of 60 requests without the tail having moved.
    const q = TAIL_QUANTILES[m.metric];
    if (counts && q !== undefined) {
      const ia = boundedInterval(latenciesOf(a, phase), q, o.alpha);
      const ib = boundedInterval(latenciesOf(b, phase), q, o.alpha);
      // Too few requests to bound a quantile (a p95 of 80 at 99 % has no upper order statistic): the run's
      // extreme stands in, so the other run's bound must clear every request of this one.
      const [low, high] = delta > 0 ? [ib.lower, ia.upper] : [ia.lower, ib.upper];
      if (low <= high) return { ...base, test: r.test, n: r.n, delta, pValue: r.pValue, minEffect, verdict: 'same' };
    }
    const verdict: Verdict = !counts ? 'same' : delta > 0 === m.higherIsBetter ? 'better' : 'worse';
    return { ...base, test: r.test, n: r.n, delta, pValue: r.pValue, minEffect, verdict };
  }
  const xa = bucketValues(a.result.series, phase, m.metric);
  const xb = bucketValues(b.result.series, phase, m.metric);
  const n: [number, number] = [xa.length, xb.length];
  const base = { phase, metric: m.metric, baseline: va, candidate: vb, buckets: n, n, test: 'welch-buckets' as const };
  if (va === null || vb === null)
    return untested(
      { ...base, delta: null, minEffect: null },
      `not enough data: no ${m.metric} in ${va === null ? 'the baseline' : 'the candidate'}`,
    );
  const delta = vb - va;
  const effect = o.minEffect[m.metric];
  const minEffect = Math.max(effect.abs, effect.rel * Math.abs(va));
  const { pValue } = welchTest(xa, xb);
  if (pValue === null)
    return untested({ ...base, delta, minEffect }, `not enough data: ${xa.length} vs ${xb.length} one-second buckets, need 2 each`);
  const counts = pValue < o.alpha && Math.abs(delta) >= minEffect;
  const verdict: Verdict = !counts ? 'same' : delta > 0 === m.higherIsBetter ? 'better' : 'worse';
  return { ...base, delta, pValue, minEffect, verdict };
}

function compareTwo(ia: CompareInput, ib: CompareInput, o: ResolvedCompareOptions): RunComparison {
  const a = ia.result;
  const b = ib.result;
  const bFile = ib.file;
  const notes: string[] = [];
  const names = new Set(b.phases.map((p) => p.name));
  const phases = a.phases.map((p) => p.name).filter((n) => names.has(n));
  for (const p of a.phases) if (!names.has(p.name)) notes.push(`phase ${p.name} is only in the baseline`);
  for (const p of b.phases) if (!a.phases.some((x) => x.name === p.name)) notes.push(`phase ${p.name} is only in ${bFile}`);
  for (const [file, r] of [
    [ia.file, a],
    [bFile, b],
  ] as const)
    if (r.read_from_schema !== undefined && r.read_from_schema < 2)
      notes.push(
        `${file}: results schemaVersion ${r.read_from_schema}: requests were counted in the phase they started in (now: the fault phase they overlapped) and no truncated outcome existed, so phase metrics may differ for that reason`,
      );
  if (b.run.status !== 'completed') notes.push(`${bFile}: run ${b.run.status}; cut phases compare fewer buckets`);
  if (!b.health.trusted) notes.push(`${bFile}: harness health flags: ${b.health.flags.join('; ')}`);
  const rows: MetricRow[] = [];
  for (const phase of phases) {
    for (const m of COMPARED_METRICS) {
      const row = compareMetric(ia, ib, phase, m, o);
      if (row.baseline === null && row.candidate === null) continue;
      rows.push(row);
    }
  }
  rows.push(...compareCalls(ia, ib, phases, o));
  rows.push(...compareSlos(a, b, bFile, notes));
  if (ia.samples && ib.samples && a.run.seed === b.run.seed) notes.push('same seed: requests paired by sample id (sign test, McNemar)');
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
      test: null,
      n: [0, 0],
      buckets: [0, 0],
      minEffect: null,
      verdict: 'untested',
      reason: 'shown, not tested: one value per run',
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
      test: null,
      n: [0, 0],
      buckets: [0, 0],
      minEffect: null,
      verdict: 'untested',
      reason: 'shown, not tested: one value per run',
    });
  return { candidate: ref(bFile, b), rows, notes };
}

/**
 * Compares runs: grouped by scenario name in the order given; the first run of each group is its baseline.
 * With `together` (different scenarios allowed and each given once) all runs form one group.
 */
export function compareRuns(inputs: CompareInput[], options: CompareOptions = {}, together = false): Comparison {
  const o = resolveCompareOptions(options);
  const groups = new Map<string, CompareInput[]>();
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
      comparisons: rest.map((c) => compareTwo(first, c, o)),
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
