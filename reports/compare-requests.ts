/**
 * The request-level tests of `compare` (README "Comparing runs"): which per-request value each metric has, which
 * test applies (Mann-Whitney or Fisher; sign test or exact McNemar when both runs used the same seed and requests
 * pair by sample id), and `<dependency>.calls_per_request` rows. Pure.
 */
import type { Outcome } from '../harness/scenario/metrics.ts';
import type { CompareInput, CompareSample, CompareTest, ComparedMetric, MetricRow, ResolvedCompareOptions } from './compare-types.ts';
import { fisherExact, mannWhitneyU, mcNemarExact, signTest } from './request-tests.ts';

/** Fewest requests (or pairs) per side a request-level test needs. */
export const MIN_REQUESTS = 10;

/** Outcome-rate metrics and their outcome: per second they come from the bucket's outcome counts. */
export const OUTCOME_OF: Partial<Record<ComparedMetric, Outcome>> = {
  empty_rate: 'empty',
  fallback_rate: 'fallback',
  stale_rate: 'stale',
  wrong_rate: 'wrong',
  partial_rate: 'partial',
  truncated_rate: 'truncated',
};

/** Per-request value of a metric: a number, a yes/no (rates), or undefined when the sample has none. */
export function requestValue(x: CompareSample, metric: ComparedMetric): number | boolean | undefined {
  const outcome = OUTCOME_OF[metric];
  // `truncated` is decided in unscored runs too: there a sample without an outcome was not truncated.
  if (outcome === 'truncated') return x.outcome === 'truncated';
  if (outcome !== undefined) return x.outcome === undefined ? undefined : x.outcome === outcome;
  switch (metric) {
    case 'p50_ms':
    case 'p95_ms':
    case 'p99_ms':
      return x.latency_ms;
    case 'ttft_ms':
      return x.ttft_ms ?? undefined;
    case 'itl_ms':
      return x.itl_ms ?? undefined;
    case 'quality':
      return x.quality;
    case 'error_rate':
      return x.error_kind !== null;
    case 'timeout_rate':
      return x.error_kind === 'timeout';
    case 'stream_abort_rate':
      return x.stream_aborted;
    default:
      return undefined;
  }
}

/**
 * The request-level test of one metric in one phase, or a reason it cannot run. `shift` is the direction the test
 * found the candidate moved (+1 up, −1 down): a difference counts only when the metric moved the same way, so a
 * p99 that rose while the whole distribution shifted down is not called worse.
 */
export function requestTest(
  xa: readonly CompareSample[],
  xb: readonly CompareSample[],
  valueOf: (x: CompareSample) => number | boolean | undefined,
  paired: boolean,
):
  | { test: CompareTest; pValue: number; n: [number, number]; shift: -1 | 0 | 1 }
  | { test: CompareTest; reason: string; n: [number, number] } {
  const va = new Map<number, number | boolean>();
  const vb = new Map<number, number | boolean>();
  for (const x of xa) {
    const v = valueOf(x);
    if (v !== undefined) va.set(x.id, v);
  }
  for (const x of xb) {
    const v = valueOf(x);
    if (v !== undefined) vb.set(x.id, v);
  }
  const isRate = [...va.values(), ...vb.values()].some((v) => typeof v === 'boolean');
  if (paired) {
    const pairs: Array<[number | boolean, number | boolean]> = [];
    for (const [id, v] of va) if (vb.has(id)) pairs.push([v, vb.get(id)!]);
    const test: CompareTest = isRate ? 'mcnemar' : 'sign';
    const n: [number, number] = [pairs.length, pairs.length];
    if (pairs.length < MIN_REQUESTS) return { test, n, reason: `not enough data: ${pairs.length} paired requests, need ${MIN_REQUESTS}` };
    if (isRate) {
      const onlyA = pairs.filter(([a, b]) => a === true && b !== true).length;
      const onlyB = pairs.filter(([a, b]) => a !== true && b === true).length;
      return { test, n, pValue: mcNemarExact(onlyA, onlyB).pValue, shift: Math.sign(onlyB - onlyA) as -1 | 0 | 1 };
    }
    const sign = signTest(pairs as Array<[number, number]>);
    return { test, n, pValue: sign.pValue, shift: Math.sign(2 * sign.statistic - sign.pairs) as -1 | 0 | 1 };
  }
  const a = [...va.values()];
  const b = [...vb.values()];
  const test: CompareTest = isRate ? 'fisher' : 'mann-whitney';
  const n: [number, number] = [a.length, b.length];
  if (a.length < MIN_REQUESTS || b.length < MIN_REQUESTS)
    return { test, n, reason: `not enough data: ${a.length} vs ${b.length} requests, need ${MIN_REQUESTS} each` };
  if (isRate) {
    const ya = a.filter((v) => v === true).length;
    const yb = b.filter((v) => v === true).length;
    return {
      test,
      n,
      pValue: fisherExact(ya, a.length - ya, yb, b.length - yb).pValue,
      shift: Math.sign(yb / b.length - ya / a.length) as -1 | 0 | 1,
    };
  }
  const mw = mannWhitneyU(a as number[], b as number[]);
  // z > 0: the baseline's values rank higher, so the candidate's are shifted down.
  return { test, n, pValue: mw.pValue, shift: -Math.sign(mw.z) as -1 | 0 | 1 };
}

/** Minimum effect on `<dependency>.calls_per_request`: max(0.5 calls, 20 %). */
export const CALLS_MIN_EFFECT = Object.freeze({ abs: 0.5, rel: 0.2 });

/**
 * `<dependency>.calls_per_request` per phase, for dependencies both runs measured (`result.dependency_calls`):
 * Mann-Whitney over the per-request call counts (`samples.ndjson` `dependency_calls`), sign test when paired.
 */
export function compareCalls(a: CompareInput, b: CompareInput, phases: readonly string[], o: ResolvedCompareOptions): MetricRow[] {
  const rows: MetricRow[] = [];
  const da = a.result.dependency_calls ?? {};
  const db = b.result.dependency_calls ?? {};
  for (const dep of Object.keys(da).filter((d) => d in db)) {
    for (const phase of phases) {
      const va = da[dep].phases.find((p) => p.phase === phase)?.calls_per_request ?? null;
      const vb = db[dep].phases.find((p) => p.phase === phase)?.calls_per_request ?? null;
      if (va === null && vb === null) continue;
      const base = { phase, metric: `${dep}.calls_per_request`, baseline: va, candidate: vb, buckets: [0, 0] as [number, number] };
      const delta = va !== null && vb !== null ? vb - va : null;
      const minEffect = va === null ? null : Math.max(CALLS_MIN_EFFECT.abs, CALLS_MIN_EFFECT.rel * va);
      const counts = (x: CompareSample) => (x.dependency_calls === undefined ? undefined : (x.dependency_calls[dep] ?? 0));
      const r =
        a.samples && b.samples
          ? requestTest(
              a.samples.filter((x) => x.phase === phase),
              b.samples.filter((x) => x.phase === phase),
              counts,
              a.result.run.seed === b.result.run.seed,
            )
          : {
              test: 'mann-whitney' as const,
              n: [0, 0] as [number, number],
              reason: 'not enough data: no samples.ndjson with per-request call counts',
            };
      if (delta === null || 'reason' in r)
        rows.push({
          ...base,
          test: r.test,
          n: r.n,
          delta,
          pValue: null,
          minEffect,
          verdict: 'untested',
          reason: 'reason' in r ? r.reason : 'not enough data: a run has no value',
        });
      else {
        const significant = r.pValue < o.alpha && Math.abs(delta) >= minEffect! && Math.sign(delta) === r.shift;
        rows.push({
          ...base,
          test: r.test,
          n: r.n,
          delta,
          pValue: r.pValue,
          minEffect,
          verdict: !significant ? 'same' : delta > 0 ? 'worse' : 'better',
        });
      }
    }
  }
  return rows;
}
