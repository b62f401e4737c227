/** Defaults applied when a scenario leaves a field out (one frozen object; README documents each). */
export const SCENARIO_DEFAULTS = Object.freeze({
  readyPath: '/health',
  readyTimeout_ms: 15_000,
  readyStatus: 200,
  warmup_ms: 3_000,
  requestTimeout_ms: 10_000,
  /** Arrival-rate executors: connections = max(8, ceil(rate × 2)) unless given (room for 2 s responses before arrivals queue). */
  minConnections: 8,
  connectionsPerRps: 2,
  recoveryBuckets: 3,
  recoveryLatencyFactor: 1.5,
  recoveryLatencySlackMs: 50,
  /** ragAnswer(): the same answer for this many distinct questions is a silent fallback. */
  repeatedAnswer: 3,
  /** Resilience score weights (README "Resilience score"). */
  /** Resilience score: recovery within this many seconds scores 1 when no recovery_s SLO applies to the fault. */
  recoveryBound_s: 10,
});
