/**
 * Health flags about timing that do not cry wolf (README "Harness health"): lateness is judged against the
 * run's own pace and latencies, not a fixed count. Pure; the runner adds the strings these return to
 * `health.flags`.
 *
 *   arrivals  material lateness = max(10 ms, ¼ of the gap between arrivals, 10 % of the median latency). A run
 *             whose latest arrival was within that is fine however many were a little late; past it, the old
 *             rule applies: more than max(5, 5 % of arrivals) late, or any over 100 ms. Arrivals never sent are
 *             always flagged.
 *             When the load says which late arrivals waited for a free connection (every `load.connections`
 *             busy with requests the SUT had not answered), those are the SUT's pace, not the harness's: they
 *             make a note (`connectionWaitNote`), not a flag, and only the pacer's own lateness is judged.
 *   shielded  arrivals due inside a fault's window that waited for a free connection until after it ended: the
 *             SUT never met the fault with them, so their outcomes flatter it. Flagged whatever their number: the
 *             default load.connections covers a hang (defaults.ts `defaultConnections`), so only a smaller
 *             load.connections (given, or capped by the open-file room) shields arrivals.
 *   faults    a fault applied or removed off schedule by more than max(100 ms, 2 % of its window).
 */

export interface ArrivalTiming {
  arrivals: number;
  /** Arrivals that went out late (the load's count, LATE_TOLERANCE_MS and waits for a connection included). */
  late: number;
  max_lateness_ms: number;
  unsent: number;
  /** Mean arrival rate of the run (requests per second); null for closed-model (constant-vus) load. */
  rate_rps: number | null;
  /** Median latency of the run, ms; null without samples. */
  p50_ms: number | null;
  /** Of `late`, arrivals that waited for a free connection; absent: not known (all judged as the pacer's). */
  waited_for_connection?: number;
  /** Largest lateness of an arrival that found a free connection (with `waited_for_connection`), ms. */
  pacer_max_lateness_ms?: number;
  /** `load.connections` of the run (for the note). */
  connections?: number | null;
}

/** The lateness that matters for this run, ms. */
export function materialLateness_ms(t: Pick<ArrivalTiming, 'rate_rps' | 'p50_ms'>): number {
  const gap = t.rate_rps && t.rate_rps > 0 ? 1000 / t.rate_rps : 0;
  return Math.max(10, gap / 4, (t.p50_ms ?? 0) / 10);
}

/** The late-arrivals flag, or null when the lateness does not matter for this run. */
export function lateArrivalsFlag(t: ArrivalTiming): string | null {
  if (t.waited_for_connection !== undefined) {
    // Only what the pacer itself was late with: connection waits are the SUT's pace (connectionWaitNote).
    const late = t.late - t.waited_for_connection;
    const max = t.pacer_max_lateness_ms ?? t.max_lateness_ms;
    const material = materialLateness_ms(t);
    if (!(max > material && (late > Math.max(5, t.arrivals * 0.05) || max > 100))) return null;
    return `${late} of ${t.arrivals} arrivals went out late with a connection free (max lateness ${max} ms, more than the ${Math.round(material * 10) / 10} ms that matter at this pace): the load generator could not keep the pace; latencies still count from the intended start`;
  }
  const unsent = t.unsent ? `, ${t.unsent} never sent` : '';
  const material = materialLateness_ms(t);
  const matters = t.unsent > 0 || (t.max_lateness_ms > material && (t.late > Math.max(5, t.arrivals * 0.05) || t.max_lateness_ms > 100));
  if (!matters) return null;
  return `${t.late} of ${t.arrivals} arrivals went out late or not at all (max lateness ${t.max_lateness_ms} ms, more than the ${Math.round(material * 10) / 10} ms that matter at this pace${unsent}): the load generator or its connections (load.connections) could not keep the pace; latencies still count from the intended start`;
}

/**
 * The note for arrivals that waited for a free connection (or were never sent for want of one), or null when none
 * did. Not a health flag: the harness kept its pace; the SUT held every connection. Their latency counts from the
 * intended start, so the wait is in the SUT's figures.
 */
export function connectionWaitNote(t: ArrivalTiming): string | null {
  const waited = t.waited_for_connection ?? 0;
  if (waited === 0 && t.unsent === 0) return null;
  const connections = t.connections ? `all ${t.connections} load.connections` : 'every connection';
  const unsent = t.unsent ? `, ${t.unsent} still waiting when load ended (never sent)` : '';
  return `${waited} of ${t.arrivals} arrivals waited for a free connection (max lateness ${t.max_lateness_ms} ms${unsent}): ${connections} were busy with requests the SUT had not answered yet. That is the SUT's pace, not the harness's: their latency counts from the intended start, so the wait is in the SUT's figures; raise load.connections to offer the SUT the full rate`;
}

/** The flag for arrivals a fault's window held back until it ended (see the header), or null when none were. */
export function shieldedArrivalsFlag(f: {
  name: string;
  /** Samples that started in the window, and of them those sent at or after its end. */
  samples: number;
  shielded: number;
  connections: number | null;
  /** ceil(peak rate × (timeout + 1 s)): the connections that cover a hang; null for closed-model load. */
  cover: number | null;
}): string | null {
  if (f.shielded === 0) return null;
  const held = f.connections ? `all ${f.connections} load.connections` : 'every connection';
  const raise = f.cover ? `raise load.connections to ${f.cover} (peak rate × (timeout + 1 s)) or leave it out` : 'raise load.connections';
  return `${f.shielded} of ${f.samples} arrivals due during fault ${f.name} waited for a free connection until after it ended (${held} were held by requests the SUT had not answered): the SUT never met the fault with them, so their outcomes flatter it; ${raise}`;
}

/**
 * The off-schedule flag of one fault, or null when its timing is within tolerance for its window. `cutShort`: the
 * run was interrupted or failed, so a fault removed before its window's end was removed by the teardown, on purpose.
 */
export function faultTimingFlag(
  f: {
    name: string;
    at_ms: number;
    for_ms: number;
    applied_at_ms: number | null;
    removed_at_ms: number | null;
  },
  cutShort = false,
): string | null {
  const tolerance = Math.max(100, 0.02 * f.for_ms);
  const off: string[] = [];
  if (f.applied_at_ms !== null && Math.abs(f.applied_at_ms - f.at_ms) > tolerance)
    off.push(`applied ${Math.round(f.applied_at_ms - f.at_ms)} ms`);
  const end = f.at_ms + f.for_ms;
  const tornDown = cutShort && f.removed_at_ms !== null && f.removed_at_ms < end;
  if (f.removed_at_ms !== null && !tornDown && Math.abs(f.removed_at_ms - end) > tolerance)
    off.push(`removed ${Math.round(f.removed_at_ms - f.at_ms - f.for_ms)} ms`);
  return off.length
    ? `fault ${f.name} ${off.join(' and ')} off schedule (tolerance ${Math.round(tolerance)} ms for a ${f.for_ms / 1000} s window)`
    : null;
}
