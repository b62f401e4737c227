/**
 * Health flags about timing that do not cry wolf (README "Harness health"): lateness is judged against the
 * run's own pace and latencies, not a fixed count. Pure; the runner adds the strings these return to
 * `health.flags`.
 *
 *   arrivals  material lateness = max(10 ms, ¼ of the gap between arrivals, 10 % of the median latency). A run
 *             whose latest arrival was within that is fine however many were a little late; past it, the old
 *             rule applies: more than max(5, 5 % of arrivals) late, or any over 100 ms. Arrivals never sent are
 *             always flagged.
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
}

/** The lateness that matters for this run, ms. */
export function materialLateness_ms(t: Pick<ArrivalTiming, 'rate_rps' | 'p50_ms'>): number {
  const gap = t.rate_rps && t.rate_rps > 0 ? 1000 / t.rate_rps : 0;
  return Math.max(10, gap / 4, (t.p50_ms ?? 0) / 10);
}

/** The late-arrivals flag, or null when the lateness does not matter for this run. */
export function lateArrivalsFlag(t: ArrivalTiming): string | null {
  const unsent = t.unsent ? `, ${t.unsent} never sent` : '';
  const material = materialLateness_ms(t);
  const matters = t.unsent > 0 || (t.max_lateness_ms > material && (t.late > Math.max(5, t.arrivals * 0.05) || t.max_lateness_ms > 100));
  if (!matters) return null;
  return `${t.late} of ${t.arrivals} arrivals went out late or not at all (max lateness ${t.max_lateness_ms} ms, more than the ${Math.round(material * 10) / 10} ms that matter at this pace${unsent}): the load generator or its connections (load.connections) could not keep the pace; latencies still count from the intended start`;
}

/** The off-schedule flag of one fault, or null when its timing is within tolerance for its window. */
export function faultTimingFlag(f: {
  name: string;
  at_ms: number;
  for_ms: number;
  applied_at_ms: number | null;
  removed_at_ms: number | null;
}): string | null {
  const tolerance = Math.max(100, 0.02 * f.for_ms);
  const off: string[] = [];
  if (f.applied_at_ms !== null && Math.abs(f.applied_at_ms - f.at_ms) > tolerance)
    off.push(`applied ${Math.round(f.applied_at_ms - f.at_ms)} ms`);
  if (f.removed_at_ms !== null && Math.abs(f.removed_at_ms - (f.at_ms + f.for_ms)) > tolerance)
    off.push(`removed ${Math.round(f.removed_at_ms - f.at_ms - f.for_ms)} ms`);
  return off.length
    ? `fault ${f.name} ${off.join(' and ')} off schedule (tolerance ${Math.round(tolerance)} ms for a ${f.for_ms / 1000} s window)`
    : null;
}
