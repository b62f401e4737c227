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
    expect(text).toContain('A difference counts only when its test gives p < 0.01 and the change is at least the minimum effect.');
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

describe('compare over requests (the gate a user can put in CI)', () => {
  const faults = [{ name: 'model-latency', on: 'model', at_s: 10, for_s: 8, latency_ms: 1000 }];
  /**
   * The build that lost its model timeout: fault-phase p95 3.5 → 7.6 s, p99 3.5 → 8.0 s, and the two latency SLOs
   * on the fault phase pass → FAIL. 10 req/s over an 8 s fault: 80 requests per run.
   */
  function lostTimeout(dropSlos = false) {
    const careful = run('careful.json', { seed: 1, faults });
    const careless = run('careless.json', { seed: 2, faults });
    careful.result.run.seed = 1;
    careless.result.run.seed = 2; // different seeds: unpaired tests
    const phase = 'model-latency';
    // Requests: careful 3000..3494 ms; careless half as fast, half hanging 3500..8000 ms.
    const careful_ms = Array.from({ length: 80 }, (_, i) => 3000 + i * 6.25);
    const careless_ms = Array.from({ length: 80 }, (_, i) => (i % 2 ? 3000 + i * 6.25 : 3500 + i * 57));
    const samplesOf = (ms: number[], first: number) =>
      ms.map((latency_ms, i) => ({ id: first + i, phase, latency_ms, error_kind: null, stream_aborted: undefined }));
    // Eight 1-second buckets whose p95s scatter: Welch over them has no power (p ≈ 0.06 in the issue).
    const buckets = {
      careful: [3400, 3500, 3450, 3500, 3480, 3420, 3500, 3490],
      careless: [3500, 3600, 7600, 3500, 8000, 3550, 7900, 3600],
    };
    for (const [r, p95, p99, b] of [
      [careful, 3500, 3500, buckets.careful],
      [careless, 7600, 8000, buckets.careless],
    ] as const) {
      const ph = r.result.phases.find((p) => p.name === phase)!;
      Object.assign(ph.metrics, { p95_ms: p95, p99_ms: p99 });
      r.result.series.filter((p) => p.phase === phase).forEach((p, i) => (p.p95_ms = b[i]));
      r.result.slos = dropSlos
        ? []
        : [
            { selector: phase, phase, metric: 'p95_ms', expression: '< 5000', actual: p95, passed: p95 < 5000, margin: 5000 - p95 },
            { selector: phase, phase, metric: 'p99_ms', expression: '< 6000', actual: p99, passed: p99 < 6000, margin: 6000 - p99 },
          ];
    }
    return {
      careful: { ...careful, samples: samplesOf(careful_ms, 1) },
      careless: { ...careless, samples: samplesOf(careless_ms, 1) },
      old: [careful, careless],
    };
  }

  it('reproduces the old failure: Welch over eight 1-second buckets sees nothing worse on fault-phase p95', () => {
    const { old } = lostTimeout(true);
    const row = compareRuns(old).scenarios[0].comparisons[0].rows.find((r) => r.phase === 'model-latency' && r.metric === 'p95_ms')!;
    expect(row.test).toBe('welch-buckets');
    expect(row.pValue!).toBeGreaterThan(0.01);
    expect(row.verdict).toBe('same');
  });

  it('marks the build that lost its model timeout worse: the two SLOs pass → FAIL, and p95/p99 by Mann-Whitney over requests', () => {
    const { careful, careless } = lostTimeout();
    const cmp = compareRuns([careful, careless]);
    const worse = cmp.scenarios[0].comparisons[0].rows
      .filter((r) => r.verdict === 'worse')
      .map((r) => `${r.phase} ${r.metric} ${r.test}${r.reason ? ` ${r.reason}` : ''}`);
    expect(worse).toEqual([
      'model-latency p95_ms mann-whitney',
      'model-latency p99_ms mann-whitney',
      'model-latency slo p95_ms < 5000 slo pass → FAIL',
      'model-latency slo p99_ms < 6000 slo pass → FAIL',
    ]);
    expect(cmp.worse).toBe(4);
  });

  it('does not call a higher p99 worse when the test found the whole phase shifted down (two runs of one build on a busy machine)', () => {
    const { careful } = lostTimeout(true);
    const other = structuredClone(careful);
    other.file = 'careful-2.json';
    other.result.run.seed = 99; // another seed: unpaired (Mann-Whitney)
    // Most requests 800 ms faster, the slowest one 900 ms slower: p99 rose, the distribution moved down.
    other.samples = careful.samples.map((x, i) => ({ ...x, id: 1000 + i, latency_ms: i === 79 ? 4400 : x.latency_ms - 800 }));
    const ph = other.result.phases.find((p) => p.name === 'model-latency')!;
    Object.assign(ph.metrics, { p95_ms: 2700, p99_ms: 4400 });
    const rows = compareRuns([careful, other]).scenarios[0].comparisons[0].rows.filter((r) => r.phase === 'model-latency');
    const p95 = rows.find((r) => r.metric === 'p95_ms')!;
    const p99 = rows.find((r) => r.metric === 'p99_ms')!;
    // Mann-Whitney finds the phase shifted down, but p95 is not called better: 80 requests cannot bound a p95 from
    // above at 99 %, so the other run's maximum (4400 ms) stands in and careful's lower bound (3437.5 ms) is below it.
    expect([p95.verdict, p95.test, p95.pValue! < 0.01]).toEqual(['same', 'mann-whitney', true]);
    expect([p99.verdict, p99.delta, p99.pValue! < 0.01]).toEqual(['same', 900, true]);
  });

  it('marks an SLO that went from pass to FAIL worse even with no samples to test', () => {
    const { old } = lostTimeout();
    const rows = compareRuns(old).scenarios[0].comparisons[0].rows.filter((r) => r.test === 'slo');
    expect(rows.map((r) => [r.metric, r.verdict])).toEqual([
      ['slo p95_ms < 5000', 'worse'],
      ['slo p99_ms < 6000', 'worse'],
    ]);
  });

  it('does not call p95/p99 worse for a few slow requests (a busy machine) when the tail did not move: their intervals overlap', () => {
    const { careful } = lostTimeout(true);
    const phase = 'model-latency';
    // Two runs of one build, 60 requests each: 57 fast ones (the other run's 5 ms slower: a busier machine) and 3
    // stalled ones (150–200 ms, then 380–438 ms).
    const fastOnes = (shift: number) => Array.from({ length: 57 }, (_, i) => 20 + shift + i * 0.125);
    const a = [...fastOnes(0), 150, 180, 200];
    const b = [...fastOnes(5), 380, 420, 438];
    const runOf = (ms: number[], file: string, seed: number, first: number) => {
      const r = structuredClone(careful);
      r.file = file;
      r.result.run.seed = seed;
      r.samples = ms.map((latency_ms, i) => ({ id: first + i, phase, latency_ms, error_kind: null, stream_aborted: undefined }));
      const sorted = [...ms].sort((x, y) => x - y);
      Object.assign(r.result.phases.find((p) => p.name === phase)!.metrics, { p95_ms: sorted[56], p99_ms: sorted[59] });
      return r;
    };
    const rows = compareRuns([runOf(a, 'one.json', 1, 1), runOf(b, 'two.json', 2, 1000)]).scenarios[0].comparisons[0].rows.filter(
      (r) => r.phase === phase,
    );
    const p99 = rows.find((r) => r.metric === 'p99_ms')!;
    // Mann-Whitney sees the 5 ms shift, and p99 moved 200 → 438 ms, past its minimum effect ...
    expect(p99.pValue!).toBeLessThan(0.01);
    expect(p99.delta).toBe(238);
    expect(p99.delta!).toBeGreaterThan(p99.minEffect!);
    // ... but the second run's 99 % lower bound of p99 (its 57th value) is a fast request, below the first run's
    // maximum (60 requests cannot bound a p99 from above): three stalls do not make a regression.
    expect(p99.verdict).toBe('same');
    // Four stalls of 60 would: the lower bound is then a stalled request (380 ms > 200 ms).
    const b4 = [...fastOnes(5).slice(1), 380, 400, 420, 438];
    const again = compareRuns([runOf(a, 'one.json', 1, 1), runOf(b4, 'two.json', 2, 1000)]).scenarios[0].comparisons[0].rows;
    expect(again.find((r) => r.phase === phase && r.metric === 'p99_ms')!.verdict).toBe('worse');
  });

  it('pairs requests by sample id when both runs used the same seed (sign test), and says when there is not enough data', () => {
    const { careful, careless } = lostTimeout();
    careless.result.run.seed = careful.result.run.seed;
    const rows = compareRuns([careful, { ...careless, samples: careless.samples }]).scenarios[0].comparisons[0].rows;
    const p95 = rows.find((r) => r.phase === 'model-latency' && r.metric === 'p95_ms')!;
    // 40 of 80 pairs slower (the hanging half), 40 equal: sign test 40 of 40 → p = 2 × 2^−40
    expect(p95).toMatchObject({ test: 'sign', n: [80, 80], verdict: 'worse' });
    expect(p95.pValue).toBeCloseTo(2 * 2 ** -40, 20);
    const few = compareRuns([
      { ...careful, samples: careful.samples.slice(0, 4) },
      { ...careless, samples: careless.samples.slice(0, 4) },
    ]).scenarios[0].comparisons[0].rows.find((r) => r.phase === 'model-latency' && r.metric === 'p95_ms')!;
    expect(few).toMatchObject({ verdict: 'untested', pValue: null, reason: 'not enough data: 4 paired requests, need 10' });
  });

  it('tests rates over request counts with Fisher: 20 of 80 timeouts against 2 of 80 is worse', () => {
    const { careful, careless } = lostTimeout(true);
    const withTimeouts = (x: typeof careful, k: number) => ({
      ...x,
      samples: x.samples.map((s, i) => ({ ...s, error_kind: i < k ? ('timeout' as const) : null })),
    });
    const a = withTimeouts(careful, 2);
    const b = withTimeouts(careless, 20);
    a.result.phases.find((p) => p.name === 'model-latency')!.metrics.timeout_rate = 2 / 80;
    b.result.phases.find((p) => p.name === 'model-latency')!.metrics.timeout_rate = 20 / 80;
    const row = compareRuns([a, b]).scenarios[0].comparisons[0].rows.find(
      (r) => r.phase === 'model-latency' && r.metric === 'timeout_rate',
    )!;
    expect(row).toMatchObject({ test: 'fisher', n: [80, 80], verdict: 'worse', delta: 0.225 });
    expect(row.pValue!).toBeLessThan(0.001);
  });

  it('tests truncated_rate over every request of an unscored run: samples with no outcome were not truncated', () => {
    const { careful, careless } = lostTimeout(true);
    const b = { ...careless, samples: careless.samples.map((s, i) => (i < 60 ? { ...s, outcome: 'truncated' as const } : s)) };
    careful.result.phases.find((p) => p.name === 'model-latency')!.metrics.truncated_rate = 0;
    b.result.phases.find((p) => p.name === 'model-latency')!.metrics.truncated_rate = 60 / 80;
    const row = compareRuns([careful, b]).scenarios[0].comparisons[0].rows.find(
      (r) => r.phase === 'model-latency' && r.metric === 'truncated_rate',
    )!;
    expect(row).toMatchObject({ test: 'fisher', n: [80, 80], verdict: 'worse', delta: 0.75 });
  });
});

describe('compare on dependency calls', () => {
  it('marks a retry storm worse on model.calls_per_request: 6 calls per request against 1, over per-request counts', () => {
    const faults = [{ name: 'model-down', on: 'model', at_s: 10, for_s: 8, latency_ms: 0 }];
    const make = (file: string, seed: number, calls: number) => {
      const r = run(file, { seed, faults });
      r.result.run.seed = seed;
      r.result.dependency_calls = {
        model: {
          phases: [
            {
              phase: 'model-down',
              requests: 40,
              calls: 40 * calls,
              calls_per_request: calls,
              calls_per_request_p95: calls,
              retry_amplification: calls,
              early_retries: 0,
              early_retry_rate: 0,
              duplicate_calls: 40 * (calls - 1),
              duplicate_call_rate: calls > 1 ? 1 : 0,
            },
          ],
          matched: { trace_id: 0, sample_id_header: 0, question_text: 40 * calls, unmatched: 0 },
        },
      };
      const samples = Array.from({ length: 40 }, (_, i) => ({
        id: i + 1,
        phase: 'model-down',
        latency_ms: 100,
        error_kind: null,
        dependency_calls: { model: calls },
      }));
      return { ...r, samples };
    };
    const rows = compareRuns([make('healthy.json', 1, 1), make('storm.json', 2, 6)]).scenarios[0].comparisons[0].rows;
    const row = rows.find((r) => r.metric === 'model.calls_per_request')!;
    // All 40 of one side above all 40 of the other, all tied within a side: U = 0, p far below 0.01; Δ = 5 ≥ max(0.5, 20 %).
    expect(row).toMatchObject({
      phase: 'model-down',
      baseline: 1,
      candidate: 6,
      delta: 5,
      test: 'mann-whitney',
      n: [40, 40],
      verdict: 'worse',
      minEffect: 0.5,
    });
    expect(row.pValue!).toBeLessThan(1e-10);
  });
});
