import { describe, expect, it } from 'vitest';
import { fisherExact, mannWhitneyU, mcNemarExact, normalCdf, quantileInterval, signTest } from '../../reports/request-tests.ts';

describe('normalCdf', () => {
  it('gives the textbook quantiles', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
  });
});

describe('mannWhitneyU', () => {
  it("matches R's wilcox.test(x, y, exact = FALSE) on R's own example: W = 35, p = 0.2446", () => {
    // x, y from R's ?wilcox.test; z = (35 − 25 − ½) / √(10·5·16/12) = 1.16351
    const r = mannWhitneyU([0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46], [1.15, 0.88, 0.9, 0.74, 1.21]);
    expect(r.statistic).toBe(35);
    expect(r.z).toBeCloseTo(1.16351, 5);
    expect(r.pValue).toBeCloseTo(0.2446, 4);
  });

  it('uses mid-ranks and the tie-corrected variance: W = 1.5, p = 0.02683 (R wilcox.test with ties)', () => {
    // ranks of x: 1, 2.5, 2.5, 5.5 ×3 → 22.5, U = 22.5 − 21 = 1.5; ties Σ(t³ − t) = 6 + 60 + 6 = 72;
    // σ² = (6·4/12)(11 − 72/90) = 20.4; z = (1.5 − 12 + ½)/√20.4 = −2.21404
    const r = mannWhitneyU([1, 2, 2, 3, 3, 3], [3, 4, 4, 5]);
    expect(r.statistic).toBe(1.5);
    expect(r.z).toBeCloseTo(-2.21404, 5);
    expect(r.pValue).toBeCloseTo(0.02683, 5);
  });

  it('gives p = 1 for identical constant samples and refuses an empty side', () => {
    expect(mannWhitneyU([5, 5, 5], [5, 5]).pValue).toBe(1);
    expect(() => mannWhitneyU([], [1])).toThrow('mannWhitneyU needs values on both sides (got 0 and 1)');
  });
});

describe('fisherExact', () => {
  it("matches R's fisher.test on the tea-tasting table (p = 0.4857 = 34/70) and the Convictions table (p = 0.0005367)", () => {
    expect(fisherExact(3, 1, 1, 3).pValue).toBeCloseTo(34 / 70, 10);
    expect(fisherExact(2, 15, 10, 3).pValue).toBeCloseTo(0.0005367, 7);
  });
  it('gives p = 1 for equal proportions and refuses non-counts', () => {
    expect(fisherExact(5, 5, 5, 5).pValue).toBeCloseTo(1, 10);
    expect(() => fisherExact(1.5, 1, 1, 1)).toThrow('fisherExact needs counts (got 1.5, 1, 1, 1)');
  });
});

describe('signTest and mcNemarExact', () => {
  it("match R's binom.test: 9 of 10 → p = 22/1024 = 0.02148; 2 of 10 → p = 112/1024 = 0.1094", () => {
    const pairs: Array<[number, number]> = [...Array.from({ length: 9 }, () => [100, 120] as [number, number]), [120, 100], [50, 50]];
    expect(signTest(pairs)).toEqual({ pValue: expect.closeTo(22 / 1024, 12), statistic: 9, pairs: 10 });
    expect(mcNemarExact(8, 2).pValue).toBeCloseTo(112 / 1024, 12);
    expect(mcNemarExact(0, 0).pValue).toBe(1);
    expect(mcNemarExact(3, 3).pValue).toBe(1);
  });
});

describe('quantileInterval (distribution-free, from Binomial(n, q))', () => {
  const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1); // x(i) = i

  it('gives the textbook 95 % interval for the median of 20: x(6) to x(15)', () => {
    // P(Bin(20, ½) ≤ 5) = 0.0207 ≤ 0.025 < P(≤ 6) = 0.0577; P(≤ 13) = 0.9423 < 0.975 ≤ P(≤ 14) = 0.9793.
    expect(quantileInterval(oneTo(20), 0.5, 0.05)).toEqual({ lower: 6, upper: 15 });
  });

  it('has no upper bound for a p99 of 60 requests at 99 % (the 60th value covers it with only 45 %)', () => {
    const { lower, upper } = quantileInterval(oneTo(60), 0.99, 0.01);
    expect(upper).toBe(Infinity);
    // P(Bin(60, 0.99) ≤ 56) = 0.0031 ≤ 0.005 < P(≤ 57) = 0.0224: lower bound x(57).
    expect(lower).toBe(57);
  });

  it('bounds a p95 of 1,000 requests closely: x(931) to x(968) at 99 %', () => {
    // P(Bin(1000, 0.95) ≤ 930) = 0.0035 ≤ 0.005 < P(≤ 931) = 0.0051 (checked with exact binomial sums in Python).
    expect(quantileInterval(oneTo(1000), 0.95, 0.01)).toEqual({ lower: 931, upper: 968 });
  });
});
