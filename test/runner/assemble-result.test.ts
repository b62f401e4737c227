/** Result assembly from fixed inputs: verdict, fault evidence joined with windows, reconciliation, health. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRunAnalysis } from '../../harness/metrics/run-analysis.ts';
import type { FaultEvidence } from '../../harness/results/result-types.ts';
import { assembleResult, type ResultInputs } from '../../harness/runner/assemble-result.ts';
import type { DriveLoadSummary } from '../../harness/runner/drive-load.ts';
import { fakes, requests, resolveScenario, toxic } from '../../harness/scenario/index.ts';

const resolved = resolveScenario(
  {
    name: 'assembly',
    system: { url: 'http://127.0.0.1:8080' },
    dependencies: { model: fakes.model() },
    load: { executor: 'constant-arrival-rate', rate: 10, duration: '3s', requests: requests.static({ path: '/ask' }) },
    faults: [{ on: 'model', at: '1s', for: '1s', fault: toxic.latency({ latency: 500 }) }],
    slos: { all: { error_rate: '< 50%' } },
  },
  'assembly.ts',
);
if (!resolved.ok) throw new Error(resolved.problems.join('\n'));
const scenario = resolved.scenario;

const fault: FaultEvidence = {
  name: 'model-latency',
  on: 'model',
  description: 'latency 500 ms',
  at_ms: 1000,
  for_ms: 1000,
  applied_at_ms: 1004,
  removed_at_ms: 2003,
  target: { proxy: 'model', toxic: 'shakedown-model-latency' },
  proof: { fake_requests_in_window: 9, mode_applied: null, samples_in_window: 0, failed_samples_in_window: 0 },
  recovery_s: null,
  recovery: 'not_measured',
  problems: [],
};

const load: DriveLoadSummary = {
  sent: 30,
  arrivals: 30,
  unsent: 0,
  interrupted: false,
  elapsed_ms: 3000,
  late: 0,
  max_lateness_ms: 0.4,
  waited_for_connection: 0,
  pacer_max_lateness_ms: 0.4,
  event_loop_delay_p99_ms: 12.5,
  event_loop_utilization: 0.31,
  cpu_cores: 0.28,
  cpu_saturated: false,
  by_error_kind: { timeout: 1, reset: 0, refused: 0, closed: 0, http_4xx: 0, http_5xx: 0 },
  notes: [],
};

function inputs(status: 'completed' | 'interrupted'): ResultInputs {
  const analysis = createRunAnalysis(scenario);
  for (let i = 0; i < 30; i++) {
    const start_ms = i * 100;
    const timeout = i === 15;
    analysis.add({
      id: i + 1,
      start_ms,
      end_ms: start_ms + 20,
      latency_ms: 20,
      ttfb_ms: 5,
      status: timeout ? null : 200,
      error_kind: timeout ? 'timeout' : null,
      bytes: 100,
      phase: analysis.phaseOf(start_ms),
    });
  }
  return {
    scenario,
    scenarioSource: 'export default {}',
    meta: { id: 'run-1', status, status_reason: null } as ResultInputs['meta'],
    timings_ms: { sut_ready: 900 },
    t0_epoch_ms: 1_700_000_000_000,
    finished: analysis.finish(3000),
    faults: [fault],
    faultWindows: new Map([['model-latency', { samples: 10, failed: 1, shielded: 0 }]]),
    load,
    fakes_event_loop_delay_p99_ms: 61,
    traced: { traced: 29, fake_requests: 31, untraced_calls: 2 },
    dependencies: {},
    attribution: { phases: [], notes: [] },
    examples: [],
    scorerProblems: null,
    tampering: [],
  };
}

describe('result assembly', () => {
  it('joins each fault with its window counts without touching the evidence it was given', () => {
    const base = inputs('completed');
    const recovery = new Map([['model-latency', { recovery_s: 0.4, recovery: 'recovered' as const }]]);
    const result = assembleResult({ ...base, finished: { ...base.finished, recovery } });
    expect(result.faults[0].proof).toEqual({
      fake_requests_in_window: 9,
      mode_applied: null,
      samples_in_window: 10,
      failed_samples_in_window: 1,
    });
    expect([result.faults[0].recovery, result.faults[0].recovery_s]).toEqual(['recovered', 0.4]);
    expect(fault.proof.samples_in_window).toBe(0);
    expect(fault.recovery).toBe('not_measured');
  });

  it('passes a completed run whose SLOs hold, and never an interrupted one', () => {
    expect(assembleResult(inputs('completed')).verdict).toEqual({ passed: true, slos_total: 1, slos_failed: 0 });
    expect(assembleResult(inputs('interrupted')).verdict).toEqual({ passed: false, slos_total: 1, slos_failed: 0 });
  });

  it('marks the score of a run that did not complete partial, and only that one', () => {
    expect((assembleResult(inputs('interrupted')).score as { partial?: boolean }).partial).toBe(true);
    expect(assembleResult(inputs('completed')).score).not.toHaveProperty('partial');
  });

  it('reconciles samples against what the engine sent and the fakes traced, and reports harness health', () => {
    const result = assembleResult(inputs('completed'));
    expect(result.run.scenario_hash).toBe(createHash('sha256').update('export default {}').digest('hex').slice(0, 16));
    expect(result.run.t0_epoch_ms).toBe(1_700_000_000_000);
    expect(result.reconciliation).toEqual({
      samples: 30,
      sent: 30,
      by_kind: { timeout: 1 },
      traced_by_fakes: 29,
      fake_requests: 31,
      notes: ['2 dependency calls carried no trace id (the SUT did not forward traceparent or x-shakedown-sample-id)'],
    });
    expect(result.health).toEqual({
      trusted: false,
      flags: ['fakes event-loop delay p99 61 ms (> 50 ms): fakes were saturated'],
      load_event_loop_delay_p99_ms: 12.5,
      fakes_event_loop_delay_p99_ms: 61,
      late_arrivals: 0,
      max_lateness_ms: 0.4,
    });
    expect(result.files).toEqual({ samples: 'samples.ndjson', results: 'results.json' });
  });

  it('writes null figures when measured load never started', () => {
    const result = assembleResult({ ...inputs('completed'), load: undefined, traced: undefined, fakes_event_loop_delay_p99_ms: null });
    expect(result.reconciliation.sent).toBe(0);
    expect(result.reconciliation.traced_by_fakes).toBeNull();
    expect(result.health).toEqual({
      trusted: true,
      flags: [],
      load_event_loop_delay_p99_ms: null,
      fakes_event_loop_delay_p99_ms: null,
      late_arrivals: 0,
      max_lateness_ms: null,
    });
  });
});
