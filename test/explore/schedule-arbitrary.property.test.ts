import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aloneArbitrary, faultOptionsOf, intensityAt, scheduleArbitrary } from '../../harness/explore/schedule-arbitrary.ts';
import { trialScenario } from '../../harness/explore/trial-scenario.ts';
import {
  EXPLORE_KINDS,
  fakes,
  requests,
  resolveScenario,
  toxic,
  type ExploreKind,
  type ScenarioOptions,
} from '../../harness/scenario/index.ts';

const toxics = Object.keys(EXPLORE_KINDS).filter((k) => EXPLORE_KINDS[k as ExploreKind].family === 'toxic') as ExploreKind[];
const raw: ScenarioOptions = {
  name: 'arbitrary',
  system: { command: ['node', 'server.ts'] },
  dependencies: { model: fakes.model(), retrieval: fakes.retrieval(), api: fakes.inventory() },
  load: { executor: 'constant-arrival-rate', rate: 5, duration: '20s', requests: requests.static({ method: 'POST', path: '/x' }) },
  faults: [{ on: 'model', at: '3s', for: '3s', fault: toxic.latency({ latency: 100 }), name: 'slow-model' }],
  slos: {
    baseline: { p95_ms: '< 500' },
    fault: { error_rate: '< 1%' },
    recovery: { recovery_s: '< 5' },
    'slow-model': { p99_ms: '< 900' },
  },
  explore: {
    space: {
      model: {
        toxics,
        modes: [
          'http_error',
          'rate_limit',
          'error_body',
          'stream_stall',
          'stream_cut',
          'drop_facts',
          'perturb_numbers',
          'wrong_citations',
          'truncate',
          'refuse',
        ],
      },
      retrieval: { toxics: ['down'], modes: ['stale', 'empty', 'irrelevant', 'partial'] },
      api: { modes: ['schema_drift', 'stale_values', 'http_error'], ranges: { http_error: [0.5, 0.05] } },
    },
    maxFaults: 3,
    window: { min: '500ms', max: '4s' },
    trial: { duration: '10s', baseline: '2s', recovery: '3s' },
  },
};
const resolved = resolveScenario(raw);
if (!resolved.ok) throw new Error(resolved.problems.join('\n'));
const space = resolved.scenario.explore!;

describe('schedules generated from a fault space', () => {
  it('are valid scenarios under the validator, every fault inside the trial between baseline and recovery', () => {
    fc.assert(
      fc.property(scheduleArbitrary(space), (schedule) => {
        const scenario = trialScenario(
          raw,
          space,
          schedule.map((f) => faultOptionsOf(f, space)),
        );
        expect(scenario.faults).toHaveLength(schedule.length);
        expect(scenario.load.duration_ms).toBe(10_000);
        for (const f of scenario.faults) {
          expect(f.at_ms).toBeGreaterThanOrEqual(2000);
          expect(f.at_ms + f.for_ms).toBeLessThanOrEqual(7000);
          expect(f.for_ms).toBeGreaterThanOrEqual(500);
          expect(f.for_ms).toBeLessThanOrEqual(4000);
        }
        expect(scenario.slos.map((s) => `${s.selector}.${s.metric}`)).toEqual([
          'baseline.p95_ms',
          'fault.error_rate',
          'recovery.recovery_s',
        ]);
      }),
      { numRuns: 300 },
    );
  });

  it('shrink towards the mild end: one fault, severity 0, the shortest window at the start', () => {
    const details = fc.check(
      fc.property(scheduleArbitrary(space), () => false),
      { seed: 42, numRuns: 1 },
    );
    expect(details.counterexample?.[0]).toEqual([{ on: 'model', kind: 'latency', severity: 0, at_ms: 2000, for_ms: 500 }]);
  });

  it('map severity linearly from the mild end to the harsh end, whichever way the range runs', () => {
    expect([0, 50, 100].map((s) => intensityAt('latency', [100, 5000], s))).toEqual([100, 2550, 5000]);
    expect([0, 50, 100].map((s) => intensityAt('timeout', [5000, 0], s))).toEqual([5000, 2500, 0]);
    expect([0, 33, 100].map((s) => intensityAt('http_error', [0.5, 0.05], s))).toEqual([0.5, 0.35, 0.05]);
  });

  it('alone (explore --cover): the harshest schedule first, shrunk like a generated one to the known minimal', () => {
    const { arbitrary, harshest } = aloneArbitrary(space, { on: 'retrieval', kind: 'stale' });
    // Harshest: the range's harsh end over the longest window (4 s), from the end of the 2 s baseline.
    expect(harshest).toEqual([{ on: 'retrieval', kind: 'stale', severity: 100, at_ms: 2000, for_ms: 4000 }]);
    // A synthetic service that fails from severity 37 on a window of 1.5 s or more, started by 3 s.
    const tried: number[] = [];
    const details = fc.check(
      fc.property(arbitrary, ([f]) => {
        tried.push(f.severity);
        return !(f.severity >= 37 && f.for_ms >= 1500 && f.at_ms <= 3000);
      }),
      { seed: 1, numRuns: 1, examples: [[harshest]] },
    );
    expect(tried[0]).toBe(100);
    expect(details.counterexample?.[0]).toEqual([{ on: 'retrieval', kind: 'stale', severity: 37, at_ms: 2000, for_ms: 1500 }]);
    // It maps back only from schedules of its own choice: another's stays as given, unshrunk.
    const foreign = [{ ...harshest[0], kind: 'empty' as const }];
    const other = fc.check(
      fc.property(arbitrary, () => false),
      { seed: 1, numRuns: 1, examples: [[foreign]] },
    );
    expect(other.counterexample?.[0]).toEqual(foreign);
  });
});
