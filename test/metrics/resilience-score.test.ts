import { describe, expect, it } from 'vitest';
import { recoveryBounds, resilienceScore } from '../../harness/metrics/resilience-score.ts';
import type { PhaseResult } from '../../harness/results/result-types.ts';
import { dataset, fakes, resolveScenario, toxic } from '../../harness/scenario/index.ts';

const phase = (
  name: string,
  kind: PhaseResult['kind'],
  m: { requests?: number; error_rate: number | null; p95_ms: number | null; quality?: number | null; empty_rate?: number },
): PhaseResult => ({
  name,
  kind,
  start_ms: 0,
  end_ms: 1000,
  faults: kind === 'fault' ? [name] : [],
  completed: true,
  metrics: {
    requests: m.requests ?? 100,
    throughput_rps: 10,
    error_rate: m.error_rate,
    timeout_rate: 0,
    p50_ms: null,
    p95_ms: m.p95_ms,
    p99_ms: null,
    max_ms: null,
    mean_ms: null,
    ...(m.quality !== undefined ? { quality: m.quality } : {}),
    ...(m.empty_rate !== undefined ? { empty_rate: m.empty_rate } : {}),
  },
  errors: { timeout: 0, reset: 0, refused: 0, closed: 0, http_4xx: 0, http_5xx: 0 },
  outcomes: {},
  by_category: {},
  latency_histogram_us: '',
});
const weights = { availability: 0.3, latency: 0.2, quality: 0.3, recovery: 0.2 };

describe('resilienceScore', () => {
  it('computes each component over fault phases and the weighted sum, exactly', () => {
    const phases = [
      phase('baseline', 'baseline', { error_rate: 0, p95_ms: 100, quality: 0.9 }),
      phase('a', 'fault', { error_rate: 0.1, p95_ms: 400, quality: 0.45 }),
      phase('b', 'fault', { error_rate: 0, p95_ms: 50, quality: 0.99 }),
      phase('recovery', 'recovery', { error_rate: 0.5, p95_ms: 9000, quality: 0 }),
    ];
    const faults = [
      { name: 'a', recovery: 'recovered' as const, recovery_s: 2 },
      { name: 'b', recovery: 'recovered' as const, recovery_s: 20 },
    ];
    const s = resilienceScore(phases, faults, weights, new Map([['b', 5]]));
    // availability (90 + 100) / 2 = 95; latency (25 + 100) / 2 = 62.5; quality (50 + 100) / 2 = 75;
    // recovery: a within the default 10 s → 100, b 5 / 20 → 25; mean 62.5.
    expect(s.components).toEqual([
      { name: 'availability', value: 95, weight: 0.3 },
      { name: 'latency', value: 62.5, weight: 0.2 },
      { name: 'quality', value: 75, weight: 0.3 },
      { name: 'recovery', value: 62.5, weight: 0.2 },
    ]);
    // 0.3×95 + 0.2×62.5 + 0.3×75 + 0.2×62.5 = 28.5 + 12.5 + 22.5 + 12.5 = 76
    expect(s.value).toBe(76);
    expect(s.phases).toEqual([
      { phase: 'a', availability: 90, latency: 25, quality: 50 },
      { phase: 'b', availability: 100, latency: 100, quality: 100 },
    ]);
    expect(s.faults).toEqual([
      { fault: 'a', recovery_s: 2, bound_s: 10, recovery: 100 },
      { fault: 'b', recovery_s: 20, bound_s: 5, recovery: 25 },
    ]);
    expect(s.formula).toMatch(
      /^score = \(0\.3×availability \+ 0\.2×latency \+ 0\.3×quality \+ 0\.2×recovery\) \/ \(sum of the weights of the components measured\)/,
    );
  });

  it('counts empty answers against availability like errors: 5xx turned into empty 200s scores no higher', () => {
    const baseline = phase('baseline', 'baseline', { error_rate: 0, p95_ms: 100, quality: 1, empty_rate: 0 });
    const honest = resilienceScore(
      [baseline, phase('a', 'fault', { error_rate: 0.8, p95_ms: 100, quality: 0.2, empty_rate: 0 })],
      [],
      weights,
      new Map(),
    );
    const silent = resilienceScore(
      [baseline, phase('a', 'fault', { error_rate: 0, p95_ms: 100, quality: 0.2, empty_rate: 0.8 })],
      [],
      weights,
      new Map(),
    );
    expect(silent.phases[0].availability).toBe(20);
    expect(silent.value).toBe(honest.value);
  });

  it('leaves out unmeasured components and renormalizes; not recovered scores 0', () => {
    const phases = [phase('baseline', 'baseline', { error_rate: 0, p95_ms: 100 }), phase('a', 'fault', { error_rate: 0.5, p95_ms: 100 })];
    const s = resilienceScore(phases, [{ name: 'a', recovery: 'not_recovered', recovery_s: null }], weights, new Map());
    // no scorer: quality null; (0.3×50 + 0.2×100 + 0.2×0) / 0.7 = 35 / 0.7 = 50
    expect(s.components.map((c) => c.value)).toEqual([50, 100, null, 0]);
    expect(s.value).toBe(50);
  });

  it('gives the README example exactly', () => {
    const phases = [
      phase('baseline', 'baseline', { error_rate: 0, p95_ms: 100, quality: 1 }),
      phase('a', 'fault', { error_rate: 0.02, p95_ms: 400, quality: 0.9 }),
    ];
    expect(resilienceScore(phases, [{ name: 'a', recovery: 'recovered', recovery_s: 12 }], weights, new Map()).value).toBe(78.1);
  });

  it('has no value without fault phases or faults', () => {
    expect(resilienceScore([phase('baseline', 'baseline', { error_rate: 0, p95_ms: 10 })], [], weights, new Map()).value).toBeNull();
  });

  it('takes the recovery bound from the tightest recovery_s SLO that applies to the fault', () => {
    const r = resolveScenario({
      name: 'x',
      system: { url: 'http://127.0.0.1:1' },
      dependencies: { model: fakes.model() },
      load: { executor: 'constant-arrival-rate', rate: 1, duration: '30s', requests: dataset.ask('/ask') },
      faults: [
        { on: 'model', at: '5s', for: '5s', fault: toxic.latency({ latency: 10 }) },
        { on: 'model', at: '15s', for: '5s', fault: toxic.latency({ latency: 10 }), name: 'second' },
      ],
      slos: { recovery: { recovery_s: '< 8' }, second: { recovery_s: '<= 3' } },
    });
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect([...recoveryBounds(r.scenario)]).toEqual([
      ['model-latency', 8],
      ['second', 3],
    ]);
  });
});
