/**
 * SLO rows of `compare`: every SLO verdict present in both runs, pass → FAIL `worse`, FAIL → pass `better`. Pure.
 */
import type { RunResult } from '../harness/results/result-types.ts';
import type { MetricRow, Verdict } from './compare-types.ts';

/** SLO verdicts present in both runs: pass → FAIL is worse, FAIL → pass better; a verdict in one run only is noted. */
export function compareSlos(a: RunResult, b: RunResult, bFile: string, notes: string[]): MetricRow[] {
  const key = (v: RunResult['slos'][number]) => `${v.phase} ${v.metric} ${v.expression}`;
  const bByKey = new Map(b.slos.map((v) => [key(v), v]));
  const rows: MetricRow[] = [];
  for (const va of a.slos) {
    const vb = bByKey.get(key(va));
    if (!vb) {
      notes.push(`SLO ${va.metric} ${va.expression} (${va.phase}) is only in the baseline`);
      continue;
    }
    bByKey.delete(key(va));
    const verdict: Verdict = va.passed === vb.passed ? 'same' : va.passed ? 'worse' : 'better';
    rows.push({
      phase: va.phase,
      metric: `slo ${va.metric} ${va.expression}`,
      baseline: va.actual,
      candidate: vb.actual,
      delta: va.actual !== null && vb.actual !== null ? vb.actual - va.actual : null,
      pValue: null,
      test: 'slo',
      n: [0, 0],
      buckets: [0, 0],
      minEffect: null,
      verdict,
      ...(va.passed !== vb.passed ? { reason: `${va.passed ? 'pass' : 'FAIL'} → ${vb.passed ? 'pass' : 'FAIL'}` } : {}),
    });
  }
  for (const vb of bByKey.values()) notes.push(`SLO ${vb.metric} ${vb.expression} (${vb.phase}) is only in ${bFile}`);
  return rows;
}
