import { describe, expect, it } from 'vitest';
import type { ExploreResult } from '../../harness/results/explore-types.ts';
import { renderExploreHtml } from '../../reports/explore-html.ts';

const fault = (intensity: number, at_ms: number) => ({
  on: 'model',
  kind: 'latency',
  severity: 50,
  intensity,
  at_ms,
  for_ms: 3500,
  description: `model: latency ${intensity}ms downstream from ${at_ms / 1000}s for 3.5s`,
});

const result: ExploreResult = {
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

describe('explore.html', () => {
  const html = renderExploreHtml(result);

  it('shows the minimal schedule, its verdicts, the shrink path and every trial', () => {
    expect(html).toContain('<h3>Minimal failing schedule</h3><p>model: latency 4000ms downstream from 1s for 3.5s</p>');
    expect(html).toContain('--seed 1 --path 0:0');
    expect(html).toContain(
      '<td>model-latency</td><td>p99_ms</td><td>&lt; 3000</td><td class="n">4100</td><td><span class="fail">failed</span></td>',
    );
    expect(html).toContain('<tr><td>first failure</td><td class="n">2</td>');
    expect(html).toContain('<tr><td>1</td><td class="n">1</td>');
    expect(html).toContain('<tr><td class="n">2</td><td>shrink</td>');
    expect(html).toContain('budget spent, 3 generated schedules not run');
    expect(html).toContain('Not judged in trials (no such phase): slos.model-latency.p99_ms');
  });

  it('plots each sweep metric against the intensity, sorted by intensity, rates in percent', () => {
    const charts = JSON.parse(/<script type="application\/json" id="shakedown-charts">(.*?)<\/script>/s.exec(html)![1]).charts;
    expect(charts.map((c: { id: string }) => c.id)).toEqual(['sweep-ms', 'sweep-rate']);
    expect(charts[0].x).toEqual([0, 5000]);
    expect(charts[0].series).toEqual([{ label: 'model-latency.p99_ms', color: '#2b6cb0', values: [40, 5100] }]);
    expect(charts[0].shade).toEqual([{ from: 2344, to: 2500, label: 'breaking point' }]);
    expect(charts[1].series[0].values).toEqual([0, 0]);
    expect(html).toContain('SLOs break between 2344 and 2500; first SLO to break: <code>model-latency.p99_ms</code>');
  });

  it('is self-contained: no script or stylesheet from the network', () => {
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });
});
