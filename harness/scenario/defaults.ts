/** Defaults applied when a scenario leaves a field out (one frozen object; README documents each). */
export const SCENARIO_DEFAULTS = Object.freeze({
  readyPath: '/health',
  readyTimeout_ms: 15_000,
  readyStatus: 200,
  warmup_ms: 3_000,
  requestTimeout_ms: 10_000,
  /** Arrival-rate executors: load.connections unless given, see `defaultConnections`. */
  minConnections: 8,
  maxDefaultConnections: 1000,
  recoveryBuckets: 3,
  recoveryLatencyFactor: 1.5,
  recoveryLatencySlackMs: 50,
  /** ragAnswer(): the same answer for this many distinct questions is a silent fallback. */
  repeatedAnswer: 3,
  /** Resilience score weights (README "Resilience score"). */
  /** Resilience score: recovery within this many seconds scores 1 when no recovery_s SLO applies to the fault. */
  recoveryBound_s: 10,
});

/**
 * `load.connections` of an arrival-rate executor when the scenario gives none: enough for every arrival to wait out
 * the request timeout while the SUT holds its connection (a hang), ceil(peak × (timeout + 1 s)), so arrivals never
 * queue in the harness while a fault holds the SUT, where they would reach it only after the fault and flatter it.
 * At least 8, at most max(1000, 2 × peak) (each connection is opened at start). Lowered to the open-file room
 * (`room`, null: no limit known) but never under 2 × peak: a rate the room cannot serve is refused by the load's
 * open-file check with what to change.
 */
export function defaultConnections(peak_rps: number, timeout_ms: number, room: number | null): number {
  const twice = Math.ceil(2 * peak_rps);
  const wanted = Math.max(
    SCENARIO_DEFAULTS.minConnections,
    Math.min(connectionsCoveringHang(peak_rps, timeout_ms), Math.max(SCENARIO_DEFAULTS.maxDefaultConnections, twice)),
  );
  return room !== null && wanted > room ? Math.max(room, twice, Math.min(SCENARIO_DEFAULTS.minConnections, wanted)) : wanted;
}

/** The connections an open-model load needs for every arrival to wait out a hang: ceil(peak × (timeout + 1 s)). */
export function connectionsCoveringHang(peak_rps: number, timeout_ms: number): number {
  return Math.ceil(peak_rps * (timeout_ms / 1000 + 1));
}
