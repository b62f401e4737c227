/** Harness health flags from fixed figures: each threshold, just under and just over; lateness comes judged (lateness-flags.ts). */
import { describe, expect, it } from 'vitest';
import { faultTimingFlag, lateArrivalsFlag } from '../../harness/metrics/lateness-flags.ts';
import { HEALTH_THRESHOLDS, healthFlags, type HealthFigures } from '../../harness/runner/health-flags.ts';

const calm: HealthFigures = {
  load_event_loop_delay_p99_ms: 50,
  fakes_event_loop_delay_p99_ms: 50,
  lateness: null,
  harness_cpu: { event_loop_utilization: 0.89, cpu_cores: 0.95, cpu_saturated: false },
  faults: [null],
  scorer: { count: 0, messages: [] },
};

describe('health flags', () => {
  it('raises none when every figure is at its threshold', () => {
    expect(healthFlags(calm)).toEqual([]);
    expect(HEALTH_THRESHOLDS).toEqual({ event_loop_delay_p99_ms: 50 });
  });

  it('names each figure past its threshold and what it means, with the lateness flags as the run judged them', () => {
    const lateness = lateArrivalsFlag({ arrivals: 200, late: 11, unsent: 3, max_lateness_ms: 20, rate_rps: 20, p50_ms: 40 });
    const offSchedule = faultTimingFlag({ name: 'slow-model', at_ms: 3000, for_ms: 5000, applied_at_ms: 3101, removed_at_ms: 8000 });
    expect(
      healthFlags({
        load_event_loop_delay_p99_ms: 50.01,
        fakes_event_loop_delay_p99_ms: 80,
        lateness,
        harness_cpu: { event_loop_utilization: 0.934, cpu_cores: 1.02, cpu_saturated: true },
        faults: [offSchedule, null],
        scorer: { count: 2, messages: ['outcome must be one of ok, ...'] },
      }),
    ).toEqual([
      'load generator event-loop delay p99 50.01 ms (> 50 ms): latencies may be inflated by the harness',
      'fakes event-loop delay p99 80 ms (> 50 ms): fakes were saturated',
      'the harness was saturated (its event loop busy 93 % of the time, 1.02 cores of CPU): sends and response stamps queued behind its own work; lower load.rate or load.connections',
      '11 of 200 arrivals went out late or not at all (max lateness 20 ms, more than the 12.5 ms that matter at this pace, 3 never sent): the load generator or its connections (load.connections) could not keep the pace; latencies still count from the intended start',
      'fault slow-model applied 101 ms off schedule (tolerance 100 ms for a 5 s window)',
      'the custom scorer failed on 2 samples, left unscored: outcome must be one of ok, ...',
    ]);
  });

  it('raises none for arrivals at most 4 ms late at 20 req/s, nor a fault 72 ms off schedule (issue 11)', () => {
    const lateness = lateArrivalsFlag({ arrivals: 400, late: 60, unsent: 0, max_lateness_ms: 4, rate_rps: 20, p50_ms: 30 });
    const fault = faultTimingFlag({ name: 'outage', at_ms: 5000, for_ms: 8000, applied_at_ms: 5072, removed_at_ms: 13_062 });
    expect(healthFlags({ ...calm, lateness, faults: [fault] })).toEqual([]);
  });

  it('raises none for figures that were never measured', () => {
    expect(
      healthFlags({
        load_event_loop_delay_p99_ms: null,
        fakes_event_loop_delay_p99_ms: null,
        lateness: null,
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
