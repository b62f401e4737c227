/** Defaults applied when a scenario leaves a field out (one frozen object; README documents each). */
export const SCENARIO_DEFAULTS = Object.freeze({
  readyPath: '/health',
  readyTimeout_ms: 15_000,
  readyStatus: 200,
  warmup_ms: 3_000,
  requestTimeout_ms: 10_000,
  /** Arrival-rate executors: connections = max(8, ceil(rate × 0.5)) unless given (room for 500 ms responses). */
  minConnections: 8,
  connectionsPerRps: 0.5,
  recoveryBuckets: 3,
  recoveryLatencyFactor: 1.5,
});
