import { describe, expect, it } from 'vitest';
import {
  connectionWaitNote,
  faultTimingFlag,
  lateArrivalsFlag,
  materialLateness_ms,
  shieldedArrivalsFlag,
} from '../../harness/metrics/lateness-flags.ts';

describe('lateArrivalsFlag', () => {
  const run = { arrivals: 400, unsent: 0, rate_rps: 20, p50_ms: 30 };
  it('does not flag a 20 req/s run whose arrivals were at most 4 ms late, however many', () => {
    // material = max(10, 50 / 4, 3) = 12.5 ms
    expect(materialLateness_ms(run)).toBe(12.5);
    expect(lateArrivalsFlag({ ...run, late: 120, max_lateness_ms: 4 })).toBeNull();
  });
  it('flags many material late arrivals, one very late arrival, and unsent arrivals', () => {
    expect(lateArrivalsFlag({ ...run, late: 30, max_lateness_ms: 40 })).toBe(
      '30 of 400 arrivals went out late or not at all (max lateness 40 ms, more than the 12.5 ms that matter at this pace): the load generator or its connections (load.connections) could not keep the pace; latencies still count from the intended start',
    );
    expect(lateArrivalsFlag({ ...run, late: 1, max_lateness_ms: 150 })).not.toBeNull();
    expect(lateArrivalsFlag({ ...run, late: 2, max_lateness_ms: 1, unsent: 2 })).toContain(', 2 never sent)');
    expect(lateArrivalsFlag({ ...run, late: 3, max_lateness_ms: 40 })).toBeNull();
  });
  it('scales with slow services: 60 ms late matters less when the median latency is 2 s', () => {
    expect(materialLateness_ms({ rate_rps: 5, p50_ms: 2000 })).toBe(200);
    expect(lateArrivalsFlag({ arrivals: 100, unsent: 0, rate_rps: 5, p50_ms: 2000, late: 50, max_lateness_ms: 60 })).toBeNull();
  });
});

describe('arrivals that waited for a free connection (the SUT held every one)', () => {
  const run = { arrivals: 400, unsent: 0, rate_rps: 20, p50_ms: 30 };

  it('are a note naming the connections, not a health flag, when the pacer itself kept the pace', () => {
    const waited = { ...run, late: 120, waited_for_connection: 118, max_lateness_ms: 1900, pacer_max_lateness_ms: 3, connections: 40 };
    expect(lateArrivalsFlag(waited)).toBeNull();
    expect(connectionWaitNote(waited)).toBe(
      "118 of 400 arrivals waited for a free connection (max lateness 1900 ms): all 40 load.connections were busy with requests the SUT had not answered yet. That is the SUT's pace, not the harness's: their latency counts from the intended start, so the wait is in the SUT's figures; raise load.connections to offer the SUT the full rate",
    );
    expect(connectionWaitNote({ ...waited, unsent: 7 })).toContain('(max lateness 1900 ms, 7 still waiting when load ended (never sent))');
    expect(connectionWaitNote({ ...run, late: 0, waited_for_connection: 0, max_lateness_ms: 2 })).toBeNull();
  });

  it('leave the pacer judged on its own lateness: late sends with a connection free are still flagged', () => {
    const pacer = { ...run, late: 150, waited_for_connection: 100, max_lateness_ms: 1900, pacer_max_lateness_ms: 40 };
    expect(lateArrivalsFlag(pacer)).toBe(
      '50 of 400 arrivals went out late with a connection free (max lateness 40 ms, more than the 12.5 ms that matter at this pace): the load generator could not keep the pace; latencies still count from the intended start',
    );
  });
});

describe('faultTimingFlag', () => {
  const f = { name: 'model-down', at_ms: 10_000, for_ms: 15_000 };
  it('does not flag a fault applied 62–72 ms late on a 15 s window (tolerance 300 ms)', () => {
    expect(faultTimingFlag({ ...f, applied_at_ms: 10_072, removed_at_ms: 25_062 })).toBeNull();
  });
  it('flags a fault off by more than max(100 ms, 2 % of its window), saying which edge', () => {
    expect(faultTimingFlag({ ...f, applied_at_ms: 10_450, removed_at_ms: 25_010 })).toBe(
      'fault model-down applied 450 ms off schedule (tolerance 300 ms for a 15 s window)',
    );
    expect(faultTimingFlag({ name: 'x', at_ms: 0, for_ms: 1000, applied_at_ms: 120, removed_at_ms: 1000 })).toBe(
      'fault x applied 120 ms off schedule (tolerance 100 ms for a 1 s window)',
    );
    expect(faultTimingFlag({ ...f, applied_at_ms: null, removed_at_ms: null })).toBeNull();
  });
});

describe('shieldedArrivalsFlag: arrivals a fault held in the harness until it ended', () => {
  it('flags any, naming the fault, the connections and the count that covers a hang', () => {
    expect(shieldedArrivalsFlag({ name: 'hang', samples: 30, shielded: 4, connections: 8, cover: 77 })).toBe(
      '4 of 30 arrivals due during fault hang waited for a free connection until after it ended (all 8 load.connections were held by requests the SUT had not answered): the SUT never met the fault with them, so their outcomes flatter it; raise load.connections to 77 (peak rate × (timeout + 1 s)) or leave it out',
    );
  });
  it('stays quiet when every arrival of the window was sent inside it', () => {
    expect(shieldedArrivalsFlag({ name: 'hang', samples: 30, shielded: 0, connections: 8, cover: 77 })).toBeNull();
  });
});

describe('faultTimingFlag on a run cut short', () => {
  const fault = { name: 'slow', at_ms: 2000, for_ms: 10_000, applied_at_ms: 2010 };
  it('does not flag a fault the teardown removed before its window ended, but does on a completed run', () => {
    expect(faultTimingFlag({ ...fault, removed_at_ms: 5000 }, true)).toBeNull();
    expect(faultTimingFlag({ ...fault, removed_at_ms: 5000 })).toBe(
      'fault slow removed -7000 ms off schedule (tolerance 200 ms for a 10 s window)',
    );
  });
  it('still flags a late application or a late removal on a run cut short', () => {
    expect(faultTimingFlag({ ...fault, applied_at_ms: 2600, removed_at_ms: 5000 }, true)).toBe(
      'fault slow applied 600 ms off schedule (tolerance 200 ms for a 10 s window)',
    );
    expect(faultTimingFlag({ ...fault, removed_at_ms: 12_500 }, true)).toBe(
      'fault slow removed 500 ms off schedule (tolerance 200 ms for a 10 s window)',
    );
  });
});
