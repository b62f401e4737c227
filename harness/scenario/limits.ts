/**
 * Upper bounds on every scenario number that reaches a timer or a loop. Node clamps a timer longer than
 * 2^31-1 ms (~24.8 days) to 1 ms, so `load.timeout: '600h'` would time out every request at once; a fault list
 * of thousands applies late and bloats the results (issue 15: 10,000 faults made a 10 s run take 194 s).
 * Validation reports a value past its bound as an exit-2 problem naming the limit.
 */
export const SCENARIO_LIMITS = Object.freeze({
  /** load.duration, load.warmup, each stage's duration, a fault's at and for: 24 h. */
  duration_ms: 86_400_000,
  /** load.timeout (per request) and system.ready.timeout: 1 h. */
  timeout_ms: 3_600_000,
  /** Most faults in one scenario: 100. */
  faults: 100,
  /** A toxic attribute (latency/jitter ms, rate KB/s, bytes, timeout ms): 86,400,000 (24 h in ms). */
  toxic_attribute: 86_400_000,
});
