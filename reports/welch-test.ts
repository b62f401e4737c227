/**
 * Welch's two-sample t-test (unequal variances) on two samples of 1-second buckets, through
 * @stdlib/stats-ttest2. Degenerate samples are decided here: fewer than two values on a side cannot be
 * tested; two constant samples differ with certainty when their values differ, and not at all when equal.
 */
import ttest2 from '@stdlib/stats-ttest2';

export interface WelchResult {
  /** Two-sided p-value; null when the samples are too small to test. */
  pValue: number | null;
  meanA: number | null;
  meanB: number | null;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Tests whether `a` and `b` have different means. */
export function welchTest(a: number[], b: number[]): WelchResult {
  const meanA = mean(a);
  const meanB = mean(b);
  if (a.length < 2 || b.length < 2) return { pValue: null, meanA, meanB };
  const constant = (xs: number[]) => xs.every((x) => x === xs[0]);
  if (constant(a) && constant(b)) return { pValue: meanA === meanB ? 1 : 0, meanA, meanB };
  const out = ttest2(a, b, { alternative: 'two-sided' }) as { pValue: number };
  return { pValue: Number.isFinite(out.pValue) ? out.pValue : null, meanA, meanB };
}
