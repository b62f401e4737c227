import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../reports/compare-runs.ts';
import { renderCompareTerminal } from '../../reports/compare-terminal.ts';
import { welchTest } from '../../reports/welch-test.ts';
import { makeResult } from './fixture-result.ts';

const run = (file: string, o: Parameters<typeof makeResult>[0] = {}) => ({ file, result: makeResult(o) });

describe('Welch t-test', () => {
  it('matches the textbook value for unequal variances', () => {
    // Wikipedia, "Welch's t-test", example 1: t = -2.46, df = 24.9, two-sided p = 0.021.
    const r = welchTest(
      [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4],
      [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4],
    );
    expect(r.pValue!).toBeCloseTo(0.021, 2);
  });

  it('decides constant samples and refuses samples of one', () => {
    expect(welchTest([0, 0, 0], [0, 0])).toEqual({ pValue: 1, meanA: 0, meanB: 0 });
    expect(welchTest([1, 1, 1], [0.5, 0.5])).toEqual({ pValue: 0, meanA: 1, meanB: 0.5 });
    expect(welchTest([1], [2, 3]).pValue).toBeNull();
  });
});

describe('compare', () => {
  it('marks a slower build worse on latency in the fault phase only, and nothing else', () => {
    const cmp = compareRuns([
      run('a.json', { seed: 1 }),
      run('b.json', {
        seed: 2,
        extraLatencyMs: 300,
        faults: [{ name: 'model-latency', on: 'model', at_s: 10, for_s: 10, latency_ms: 1000 }],
      }),
    ]);
    const worse = cmp.scenarios[0].comparisons[0].rows.filter((r) => r.verdict === 'worse').map((r) => `${r.phase} ${r.metric}`);
    expect(worse).toEqual([
      'baseline p50_ms',
      'baseline p95_ms',
      'baseline p99_ms',
      'model-latency p50_ms',
      'model-latency p95_ms',
      'model-latency p99_ms',
      'recovery p50_ms',
      'recovery p95_ms',
      'recovery p99_ms',
    ]);
  });

  it('marks a build that turns its 5xx into empty 200s worse on empty_rate, though its error_rate is better', () => {
    const faults = [{ name: 'model-latency', on: 'model', at_s: 10, for_s: 10, latency_ms: 1000, error_rate: 0.5 }];
    /** Scored outcomes per second and per phase; `silent`: the fault phase's 5xx answered as empty 200s. */
    const scored = (file: string, seed: number, silent: boolean) => {
      const r = run(file, { seed, faults });
      const quiet = (phase: string) => silent && phase === 'model-latency';
      for (const p of r.result.series) {
        const failed = p.errors.http_5xx;
        p.outcomes = quiet(p.phase)
          ? { ok: p.requests - failed, empty: failed }
          : { ok: p.requests - failed, ...(failed ? { http_error: failed } : {}) };
        if (quiet(p.phase)) {
          p.errors = { ...p.errors, http_5xx: 0 };
          p.error_rate = p.errors.timeout / p.requests;
        }
      }
      for (const ph of r.result.phases) {
        const pts = r.result.series.filter((x) => x.phase === ph.name);
        const n = pts.reduce((a, x) => a + x.requests, 0);
        ph.metrics.empty_rate = pts.reduce((a, x) => a + (x.outcomes?.empty ?? 0), 0) / n;
        ph.metrics.error_rate = pts.reduce((a, x) => a + x.errors.http_5xx + x.errors.timeout, 0) / n;
      }
      return r;
    };
    const cmp = compareRuns([scored('careful.json', 1, false), scored('careless.json', 2, true)]);
    const verdicts = cmp.scenarios[0].comparisons[0].rows
      .filter((r) => r.verdict === 'worse' || r.verdict === 'better')
      .map((r) => `${r.phase} ${r.metric} ${r.verdict}`);
    expect(verdicts).toEqual(['model-latency error_rate better', 'model-latency empty_rate worse']);
    expect(cmp.worse).toBe(1);
  });

  it('marks a build that errors under the fault worse on error rate and quality', () => {
    const faults = (error_rate: number) => [{ name: 'model-latency', on: 'model', at_s: 10, for_s: 10, latency_ms: 1000, error_rate }];
    const cmp = compareRuns([run('a.json', { seed: 1, faults: faults(0) }), run('b.json', { seed: 2, faults: faults(0.3) })]);
    const worse = cmp.scenarios[0].comparisons[0].rows.filter((r) => r.verdict === 'worse').map((r) => `${r.phase} ${r.metric}`);
    expect(worse).toEqual(['model-latency error_rate', 'model-latency quality']);
    expect(cmp.worse).toBe(2);
  });

  it('marks nothing worse between runs of the same build in at least 9 of 10 tries (noise only)', () => {
    let falseAlarms = 0;
    for (let i = 0; i < 10; i++) {
      const cmp = compareRuns([run('a.json', { seed: 100 + i }), run('b.json', { seed: 200 + i })]);
      if (cmp.worse > 0) falseAlarms++;
    }
    expect(falseAlarms).toBeLessThanOrEqual(1);
  });

  it('calls a small but significant change same when it is under the minimum effect', () => {
    const cmp = compareRuns([run('a.json', { seed: 1 }), run('b.json', { seed: 1, extraLatencyMs: 2 })]);
    const row = cmp.scenarios[0].comparisons[0].rows.find((r) => r.phase === 'baseline' && r.metric === 'p50_ms')!;
    expect(row.pValue!).toBeLessThan(0.01);
    expect(row.verdict).toBe('same');
  });

  it('prints a side-by-side table with the rule it used', () => {
    const cmp = compareRuns([
      run('a.json', { seed: 1, label: 'build-41' }),
      run('b.json', { seed: 2, label: 'build-42', extraLatencyMs: 300 }),
      run('c.json', { seed: 3, label: 'build-43' }),
    ]);
    const text = renderCompareTerminal(cmp);
    expect(text.split('\n')[0]).toBe('Compare fixture-scenario: baseline build-41 (a.json) vs build-42 (b.json) vs build-43 (c.json)');
    expect(text).toMatch(
      /│ model-latency\s+│ p95_ms\s+│ 1667 ms\s+│ 2110 ms\s+│ \+442 ms\s+│ <0\.001\s+│ WORSE\s+│ 1637 ms\s+│ −29\.8 ms\s+│ 0\.397\s+│ same/,
    );
    expect(text).toContain("Welch's t-test over the 1-second buckets gives p < 0.01");
    expect(text.split('\n').at(-1)).toBe('9 metrics worse, 0 better.');
  });
});

describe('run labels side by side', () => {
  it('adds the run id to runs that would read the same (unlabelled, same commit)', () => {
    const a = run('a.json', { seed: 1, label: '' });
    const b = run('b.json', { seed: 2, label: '' });
    for (const [r, id] of [
      [a, '2026-11-30-120000'],
      [b, '2026-11-30-130000'],
    ] as const) {
      r.result.run.git_sha = '4669520a0be2ffff';
      r.result.run.id = id;
    }
    const text = renderCompareTerminal(compareRuns([a, b]));
    expect(text.split('\n')[0]).toBe(
      'Compare fixture-scenario: baseline 4669520a0be2 (2026-11-30-120000) (a.json) vs 4669520a0be2 (2026-11-30-130000) (b.json)',
    );
  });
});
