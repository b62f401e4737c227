/** Harness health flags from fixed figures: each threshold, just under and just over. */
import { describe, expect, it } from 'vitest';
import { HEALTH_THRESHOLDS, healthFlags, type HealthFigures } from '../../harness/runner/health-flags.ts';

const calm: HealthFigures = {
  load_event_loop_delay_p99_ms: 50,
  fakes_event_loop_delay_p99_ms: 50,
  pacing: { arrivals: 200, late: 10, unsent: 0, max_lateness_ms: 100 },
  harness_cpu: { event_loop_utilization: 0.89, cpu_cores: 0.95, cpu_saturated: false },
  faults: [{ name: 'slow-model', at_ms: 3000, applied_at_ms: 3050 }],
  scorer: { count: 0, messages: [] },
};

describe('health flags', () => {
  it('raises none when every figure is at its threshold', () => {
    expect(healthFlags(calm)).toEqual([]);
    expect(HEALTH_THRESHOLDS).toEqual({
      event_loop_delay_p99_ms: 50,
      late_arrivals_min: 5,
      late_arrivals_share: 0.05,
      max_lateness_ms: 100,
      fault_offset_ms: 50,
    });
  });

  it('names each figure past its threshold and what it means', () => {
    expect(
      healthFlags({
        load_event_loop_delay_p99_ms: 50.01,
        fakes_event_loop_delay_p99_ms: 80,
        pacing: { arrivals: 200, late: 11, unsent: 3, max_lateness_ms: 20 },
        harness_cpu: { event_loop_utilization: 0.934, cpu_cores: 1.02, cpu_saturated: true },
        faults: [
          { name: 'slow-model', at_ms: 3000, applied_at_ms: 3051 },
          { name: 'never', at_ms: 5000, applied_at_ms: null },
        ],
        scorer: { count: 2, messages: ['outcome must be one of ok, ...'] },
      }),
    ).toEqual([
      'load generator event-loop delay p99 50.01 ms (> 50 ms): latencies may be inflated by the harness',
      'fakes event-loop delay p99 80 ms (> 50 ms): fakes were saturated',
      'the harness was saturated (its event loop busy 93 % of the time, 1.02 cores of CPU): sends and response stamps queued behind its own work; lower load.rate or load.connections',
      '11 of 200 arrivals went out late or not at all (max lateness 20 ms, 3 never sent): the load generator or its connections (load.connections) could not keep the pace; latencies still count from the intended start',
      'fault slow-model applied 51 ms off schedule',
      'the custom scorer failed on 2 samples, left unscored: outcome must be one of ok, ...',
    ]);
  });

  it('flags a single late arrival when it was more than 100 ms late, and counts at least 5 late arrivals on a short run', () => {
    const pacing = (late: number, max_lateness_ms: number) =>
      healthFlags({ ...calm, pacing: { arrivals: 40, late, unsent: 0, max_lateness_ms } });
    expect(pacing(1, 100.5)).toEqual([
      '1 of 40 arrivals went out late or not at all (max lateness 100.5 ms): the load generator or its connections (load.connections) could not keep the pace; latencies still count from the intended start',
    ]);
    expect(pacing(5, 30)).toEqual([]);
    expect(pacing(6, 30)).toHaveLength(1);
  });

  it('raises none for figures that were never measured', () => {
    expect(
      healthFlags({
        load_event_loop_delay_p99_ms: null,
        fakes_event_loop_delay_p99_ms: null,
        pacing: null,
        harness_cpu: null,
        faults: [],
        scorer: null,
      }),
    ).toEqual([]);
  });
});

describe('health flags for tampering', () => {
  it('marks each change the run did not make as a flag of its own', () => {
    expect(
      healthFlags({ ...calm, tampering: ["toxic 'x' on proxy model was not set by this run: something else changed it during the run"] }),
    ).toEqual(["tampering: toxic 'x' on proxy model was not set by this run: something else changed it during the run"]);
  });
});
