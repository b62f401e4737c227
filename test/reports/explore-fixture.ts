/** A fixed explore.json: a search that shrank two faults to one, and a sweep with a breaking point. */
import type { ExploreResult } from '../../harness/results/explore-types.ts';

const fault = (intensity: number, at_ms: number) => ({
  on: 'model',
  kind: 'latency',
  severity: 50,
  intensity,
  at_ms,
  for_ms: 3500,
  description: `model: latency ${intensity}ms downstream from ${at_ms / 1000}s for 3.5s`,
});

export const exploreResult: ExploreResult = {
  schemaVersion: 1,
  scenario: 'explore-summarizer',
  scenario_file: 'test/fixtures/scenarios/explore-summarizer.ts',
  seed: 1,
  started_at: '2026-12-04T22:00:00.000Z',
  ended_at: '2026-12-04T22:01:00.000Z',
  options: { trials: 30, budget_ms: 40_000, confirm_runs: 1, restart_per_trial: false, path: null },
  space: {
    choices: [{ on: 'model', kind: 'latency', range: [100, 5000], unit: 'ms' }],
    maxFaults: 2,
    window_ms: [3500, 4000],
    trial_ms: 7000,
  },
  dropped_slos: ['slos.model-latency.p99_ms'],
  timings_ms: { start_stack: 900, trials_total: 30_000, per_trial_mean: 7500, total: 31_000 },
  search: {
    trials: [
      {
        index: 1,
        stage: 'search',
        schedule: [fault(4000, 1000), fault(300, 2000)],
        runs: [
          { passed: false, failed: ['fault.p99_ms'] },
          { passed: false, failed: ['fault.p99_ms'] },
        ],
        failed: true,
        ended_ms: 15000,
      },
      {
        index: 2,
        stage: 'shrink',
        schedule: [fault(4000, 1000)],
        runs: [
          { passed: false, failed: ['fault.p99_ms'] },
          { passed: false, failed: ['fault.p99_ms'] },
        ],
        failed: true,
        ended_ms: 15000,
      },
    ],
    skipped: 3,
    budget_exhausted: true,
    failure: {
      path: '0:0',
      first: [fault(4000, 1000), fault(300, 2000)],
      shrink_path: [[fault(4000, 1000), fault(300, 2000)], [fault(4000, 1000)]],
      minimal: [fault(4000, 1000)],
      verdicts: [
        { selector: 'fault', phase: 'model-latency', metric: 'p99_ms', expression: '< 3000', actual: 4100, passed: false, margin: -1100 },
        { selector: 'baseline', phase: 'baseline', metric: 'p95_ms', expression: '< 1000', actual: 20, passed: true, margin: 980 },
      ],
      scenario_file: '/tmp/x/explore-summarizer-explored.ts',
    },
  },
  sweep: {
    on: 'model',
    kind: 'latency',
    unit: 'ms',
    low: 0,
    high: 5000,
    repeats: 3,
    width: 250,
    breaking: 2500,
    bracket: [2344, 2500],
    slo: 'model-latency.p99_ms',
    note: 'SLOs break between 2344 and 2500',
    points: [
      {
        intensity: 5000,
        failed: true,
        runs: [
          { passed: false, failed: ['model-latency.p99_ms'], values: { 'model-latency.p99_ms': 5100, 'model-latency.error_rate': 0 } },
        ],
      },
      {
        intensity: 0,
        failed: false,
        runs: [{ passed: true, failed: [], values: { 'model-latency.p99_ms': 40, 'model-latency.error_rate': 0 } }],
      },
    ],
  },
};
