/**
 * The statistical tests `compare` runs over requests (README "Comparing runs"). All two-sided, all pure:
 *
 *   mannWhitneyU  two independent samples (latencies): U with mid-ranks for ties, normal approximation with the
 *                 tie-corrected variance and a continuity correction of ½ (R: `wilcox.test(x, y, exact = FALSE)`)
 *   fisherExact   a 2×2 table of counts (requests with / without an outcome in two runs): hypergeometric, the
 *                 p-value sums the tables no more likely than the one observed (R: `fisher.test`)
 *   signTest      paired values (the same request in two runs of the same seed): binomial over the non-zero
 *                 differences, p = ½ (R: `binom.test(k, n)`)
 *   mcNemarExact  paired yes/no outcomes: the sign test over the discordant pairs (exact McNemar)
 *
 * No maintained npm package in node_modules covers these (`@stdlib/stats-wilcoxon` is the signed-rank test only,
 * and not installed), so they are implemented here and checked against R's published outputs in
 * test/reports/request-tests.test.ts.
 */

/** Complementary error function, Numerical Recipes `erfcc` (fractional error below 1.2e-7 everywhere). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

export interface TestResult {
  /** Two-sided p-value. */
  pValue: number;
  /** The test statistic: U of the first sample, the count of the first table cell, or the count of positive differences. */
  statistic: number;
}

/**
 * Mann-Whitney U (Wilcoxon rank-sum) test, normal approximation with tie and continuity corrections.
 * @throws RangeError when a sample is empty
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): TestResult & { z: number } {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError(`mannWhitneyU needs values on both sides (got ${n1} and ${n2})`);
  const all = [...a.map((v) => ({ v, first: true })), ...b.map((v) => ({ v, first: false }))].sort((x, y) => x.v - y.v);
  const n = n1 + n2;
  let rankSum = 0;
  let ties = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && all[j + 1].v === all[i].v) j++;
    const rank = (i + j + 2) / 2;
    const t = j - i + 1;
    ties += t * t * t - t;
    for (let k = i; k <= j; k++) if (all[k].first) rankSum += rank;
    i = j + 1;
  }
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const d = u - (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1))));
  if (sigma === 0) return { pValue: 1, statistic: u, z: 0 };
  const z = (d - Math.sign(d) * 0.5) / sigma;
  return { pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))), statistic: u, z };
}

const logFactorials: number[] = [0];
function logFactorial(k: number): number {
  for (let i = logFactorials.length; i <= k; i++) logFactorials.push(logFactorials[i - 1] + Math.log(i));
  return logFactorials[k];
}
const logChoose = (n: number, k: number) => logFactorial(n) - logFactorial(k) - logFactorial(n - k);

/**
 * Fisher's exact test on the 2×2 table [[a, b], [c, d]] (rows: runs; columns: with / without the outcome).
 * @throws RangeError on negative or non-integer counts
 */
export function fisherExact(a: number, b: number, c: number, d: number): TestResult {
  for (const x of [a, b, c, d])
    if (!Number.isInteger(x) || x < 0) throw new RangeError(`fisherExact needs counts (got ${a}, ${b}, ${c}, ${d})`);
  const r1 = a + b;
  const r2 = c + d;
  const c1 = a + c;
  const n = r1 + r2;
  const logP = (x: number) => logChoose(r1, x) + logChoose(r2, c1 - x) - logChoose(n, c1);
  const observed = logP(a);
  let p = 0;
  for (let x = Math.max(0, c1 - r2); x <= Math.min(r1, c1); x++) {
    const lp = logP(x);
    if (lp <= observed + 1e-7) p += Math.exp(lp);
  }
  return { pValue: Math.min(1, p), statistic: a };
}

/** Two-sided exact binomial test of k successes in n trials with p = ½. */
function binomialHalf(k: number, n: number): number {
  if (n === 0) return 1;
  const m = Math.min(k, n - k);
  let tail = 0;
  for (let i = 0; i <= m; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return Math.min(1, k * 2 === n ? 1 : 2 * tail);
}

/**
 * Sign test over paired values: how many of the non-zero differences b − a are positive.
 * @returns also `pairs`, the non-zero differences the test used
 */
export function signTest(pairs: ReadonlyArray<readonly [number, number]>): TestResult & { pairs: number } {
  let up = 0;
  let used = 0;
  for (const [x, y] of pairs) {
    if (y === x) continue;
    used++;
    if (y > x) up++;
  }
  return { pValue: binomialHalf(up, used), statistic: up, pairs: used };
}

/**
 * Exact McNemar test over paired yes/no outcomes.
 * @param onlyFirst pairs where only the first run had the outcome
 * @param onlySecond pairs where only the second run had it
 */
export function mcNemarExact(onlyFirst: number, onlySecond: number): TestResult {
  return { pValue: binomialHalf(onlySecond, onlyFirst + onlySecond), statistic: onlySecond };
}

/**
 * A distribution-free confidence interval for the `q` quantile (0..1) of `sorted` (ascending) at confidence
 * 1 − `alpha`: order statistics x(l) and x(u) chosen from Binomial(n, q) so that P(x(l) ≤ quantile ≤ x(u)) ≥ 1 − alpha
 * (each tail ≤ alpha/2). A bound that no order statistic can give (too few values for that quantile: a p99 of 60
 * requests has no upper bound at 99 %) is −Infinity or Infinity. (R: the same l and u from `qbinom`.)
 */
export function quantileInterval(sorted: readonly number[], q: number, alpha: number): { lower: number; upper: number } {
  const n = sorted.length;
  // cdf[j] = P(Bin(n, q) ≤ j), summed from the pmf in log space (n can be tens of thousands).
  const logQ = Math.log(q);
  const log1q = Math.log1p(-q);
  let logC = 0; // log C(n, j)
  let cdf = 0;
  let lower = -Infinity;
  let upper = Infinity;
  for (let j = 0; j <= n; j++) {
    if (j > 0) logC += Math.log(n - j + 1) - Math.log(j);
    cdf += Math.exp(logC + j * logQ + (n - j) * log1q);
    // P(fewer than j+1 values below the quantile) ≤ alpha/2: x(j+1) is a lower bound.
    if (cdf <= alpha / 2 && j + 1 <= n) lower = sorted[j];
    if (cdf >= 1 - alpha / 2) {
      // P(at most j values below the quantile) ≥ 1 − alpha/2: x(j+1) is an upper bound, if there is one.
      if (j + 1 <= n) upper = sorted[j];
      break;
    }
  }
  return { lower, upper };
}
