import { describe, expect, it } from 'vitest';
import { callReach, chanceUntouched, minDelayMs, toxicReachProblem, type LatencyToxic } from '../../harness/metrics/toxic-reach.ts';

const window = { start_ms: 1000, end_ms: 3000 };
const down: LatencyToxic = { stream: 'downstream', min_delay_ms: 500, window };
const up: LatencyToxic = { stream: 'upstream', min_delay_ms: 500, window };

describe('minDelayMs', () => {
  it('is latency minus jitter for a latency toxic, null when that is not above 0 or for other toxics', () => {
    expect(minDelayMs('latency', { latency: 800, jitter: 300 })).toBe(500);
    expect(minDelayMs('latency', { latency: 800 })).toBe(800);
    expect(minDelayMs('latency', { latency: 300, jitter: 300 })).toBeNull();
    expect(minDelayMs('timeout', { timeout: 0 })).toBeNull();
    expect(minDelayMs('reset_peer', {})).toBeNull();
  });
});

describe('callReach', () => {
  it('downstream: a good sample whose last call answered sooner than the least delay (minus slack) was not touched', () => {
    // bound = 500 − max(5, 50) = 450; the answer left the fake at 1210 and the sample ended at 1300: 90 ms < 450.
    expect(callReach({ start_ms: 1190, end_ms: 1300, good: true }, [{ t_ms: 1200, duration_ms: 10 }], down)).toEqual({
      in_window: 1,
      untouched: 1,
    });
  });

  it('downstream: a sample that ended at least the bound after the answer left decides nothing', () => {
    expect(callReach({ start_ms: 1190, end_ms: 1660, good: true }, [{ t_ms: 1200, duration_ms: 10 }], down)).toEqual({
      in_window: 1,
      untouched: 0,
    });
  });

  it('downstream: a failed sample, or an earlier call (a retry went after it), decides nothing', () => {
    expect(callReach({ start_ms: 1190, end_ms: 1300, good: false }, [{ t_ms: 1200, duration_ms: 10 }], down)).toEqual({
      in_window: 1,
      untouched: 0,
    });
    const calls = [
      { t_ms: 1200, duration_ms: 10 },
      { t_ms: 1250, duration_ms: 10 },
    ];
    expect(callReach({ start_ms: 1190, end_ms: 1300, good: true }, calls, down)).toEqual({ in_window: 2, untouched: 1 });
  });

  it('upstream: a first call that reached the fake sooner than the bound after the sample started was not touched', () => {
    expect(callReach({ start_ms: 1190, end_ms: 1300, good: false }, [{ t_ms: 1200, duration_ms: 10 }], up)).toEqual({
      in_window: 1,
      untouched: 1,
    });
    expect(callReach({ start_ms: 1190, end_ms: 1800, good: true }, [{ t_ms: 1700, duration_ms: 10 }], up)).toEqual({
      in_window: 1,
      untouched: 0,
    });
  });

  it('counts only calls that arrived in the window [start, end)', () => {
    const calls = [
      { t_ms: 999, duration_ms: 1 },
      { t_ms: 3000, duration_ms: 1 },
    ];
    expect(callReach({ start_ms: 990, end_ms: 3010, good: true }, calls, down)).toEqual({ in_window: 0, untouched: 0 });
  });

  it('never decides when the least delay is within the clock slack', () => {
    const tiny: LatencyToxic = { stream: 'downstream', min_delay_ms: 5, window };
    expect(callReach({ start_ms: 1190, end_ms: 1211, good: true }, [{ t_ms: 1200, duration_ms: 10 }], tiny)).toEqual({
      in_window: 1,
      untouched: 0,
    });
  });
});

describe('chanceUntouched', () => {
  it('is (1 − toxicity)^connections, rounded to 4 places', () => {
    expect(chanceUntouched(0.5, 1)).toBe(0.5);
    expect(chanceUntouched(0.3, 2)).toBe(0.49);
    expect(chanceUntouched(0.5, 10)).toBe(0.001);
    expect(chanceUntouched(0.3, 0)).toBe(1);
  });
});

describe('toxicReachProblem', () => {
  const base = { on: 'model', type: 'latency', toxicity: 0.5, connections: 1 };

  it('says "not exercised" when every call in the window provably missed a latency toxic', () => {
    expect(toxicReachProblem({ ...base, calls: { in_window: 12, untouched: 12 } })).toBe(
      'toxicity 0.5 is rolled once per connection by Toxiproxy, and none of the 12 calls to model during the window met the latency: the fault was not exercised; the service used 1 connection to model (chance that none was touched: 50%); use toxicity 1, or a count-based mode for a share of requests',
    );
  });

  it('says nothing when some call may have met it, or when toxicity is 1', () => {
    expect(toxicReachProblem({ ...base, calls: { in_window: 12, untouched: 11 } })).toBeNull();
    expect(toxicReachProblem({ ...base, toxicity: 1, calls: { in_window: 12, untouched: 12 } })).toBeNull();
  });

  it('names the chance for a toxic whose reach cannot be seen, when it is 5% or more', () => {
    expect(toxicReachProblem({ on: 'api', type: 'reset_peer', toxicity: 0.3, connections: 2, calls: null })).toBe(
      'toxicity 0.3 is rolled once per connection by Toxiproxy and it reports no roll: the reset_peer toxic may have touched no request; the service used 2 connections to api (chance that none was touched: 49%); use toxicity 1, or a count-based mode for a share of requests',
    );
    expect(toxicReachProblem({ on: 'api', type: 'reset_peer', toxicity: 0.3, connections: 9, calls: null })).toBeNull(); // 4.0%
    expect(toxicReachProblem({ on: 'api', type: 'reset_peer', toxicity: 0.3, connections: null, calls: null })).toBeNull();
  });
});
