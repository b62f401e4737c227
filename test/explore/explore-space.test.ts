import { describe, expect, it } from 'vitest';
import { fakes, requests, resolveScenario, toxic, type ScenarioOptions } from '../../harness/scenario/index.ts';

const base = (explore: unknown): ScenarioOptions =>
  ({
    name: 'explore-space',
    system: { command: ['node', 'server.ts'] },
    dependencies: { model: fakes.model(), retrieval: fakes.retrieval() },
    load: { executor: 'constant-arrival-rate', rate: 5, duration: '12s', requests: requests.static({ method: 'POST', path: '/x' }) },
    faults: [{ on: 'model', at: '3s', for: '3s', fault: toxic.latency({ latency: 100 }) }],
    slos: { fault: { p99_ms: '< 3000' } },
    explore,
  }) as ScenarioOptions;

describe('the explore block', () => {
  it('resolves a space with defaults for what it leaves out', () => {
    const r = resolveScenario(base({ space: { model: { toxics: ['latency'], modes: ['http_error'], ranges: { latency: [0, 3000] } } } }));
    expect(r.ok && r.scenario.explore).toEqual({
      choices: [
        { on: 'model', kind: 'latency', range: [0, 3000] },
        { on: 'model', kind: 'http_error', range: [0.1, 1] },
      ],
      properties: [],
      maxFaults: 2,
      window: { min_ms: 1000, max_ms: 5000 },
      trial: { duration_ms: 12000, warmup_ms: 1000, baseline_ms: 2000, recovery_ms: 4000 },
    });
  });

  it('keeps properties (functions of a trial result), and refuses one whose check is not a function', () => {
    const check = () => true;
    const r = resolveScenario(base({ space: { model: { toxics: ['latency'] } }, properties: [{ name: 'p', check }] }));
    expect(r.ok && r.scenario.explore?.properties).toEqual([{ name: 'p', check }]);
    const bad = resolveScenario(base({ space: { model: { toxics: ['latency'] } }, properties: [{ name: '', check: 'x' }] }));
    expect(bad.ok ? [] : bad.problems).toEqual([
      'explore.properties[0].name must not be empty',
      'explore.properties[0].check must be a function (result) => true | false | "why it failed"',
    ]);
  });

  it('lists every problem of a bad space, with a did-you-mean for a misspelled field', () => {
    const r = resolveScenario(
      base({
        space: {
          modle: { toxics: ['latency'] },
          model: { modes: ['stale', 'htp_error'], ranges: { latency: [0, 900000] } },
          retrieval: {},
        },
        maxFault: 2,
        window: { min: '4s', max: '3s' },
        trial: { duration: '6s' },
      }),
      'x.ts',
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([
      "x.ts: explore.space.model.modes[1] must be one of 'http_error', 'rate_limit', 'error_body', 'stream_stall', 'stream_cut', 'drop_facts', 'perturb_numbers', 'wrong_citations', 'truncate', 'refuse', 'stale', 'empty', 'irrelevant', 'partial', 'schema_drift', 'stale_values' (got 'htp_error')",
      "x.ts: explore.maxFault is not a known field (did you mean 'maxFaults'?)",
      "x.ts: explore.space.modle must name a dependency ('model', 'retrieval')",
      "x.ts: explore.space.model.modes[0] 'stale' does not apply to 'model' (a model fake); it applies to: retrieval, inventory",
      'x.ts: explore.space.model.ranges.latency is for a kind not listed in toxics or modes',
      'x.ts: explore.space.model.ranges.latency must hold two numbers from 0 to 600000 (ms: [mildest, harshest])',
      'x.ts: explore.space.retrieval must list at least one kind in toxics or modes',
      'x.ts: explore.window.min (4000 ms) must not exceed explore.window.max (3000 ms)',
      'x.ts: explore.trial.duration (6000 ms) must hold baseline (2000 ms) + window.max (3000 ms) + recovery (4000 ms) = 9000 ms',
    ]);
  });
});
