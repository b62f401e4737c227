/**
 * Whether the harness itself can be trusted on this run: each flag names a figure past its threshold and what
 * it means for the measurements. The thresholds live in HEALTH_THRESHOLDS; an empty list means trusted.
 */

export const HEALTH_THRESHOLDS = Object.freeze({
  /** Event-loop delay p99 (load generator or fakes) above which latencies may be the harness's own: 50 ms. */
  event_loop_delay_p99_ms: 50,
});

export interface HealthFigures {
  load_event_loop_delay_p99_ms: number | null;
  fakes_event_loop_delay_p99_ms: number | null;
  /** The late-arrivals flag judged against the run's pace and latencies (lateness-flags.ts `lateArrivalsFlag`). */
  lateness: string | null;
  /** Each fault's off-schedule flag (lateness-flags.ts `faultTimingFlag`). */
  faults: ReadonlyArray<string | null>;
  /** The harness process while load ran (harness/load's LoadHealth); null when measured load never ran. */
  harness_cpu: { event_loop_utilization: number; cpu_cores: number; cpu_saturated: boolean } | null;
  /** The custom scorer's failures. */
  scorer: { count: number; messages: string[] } | null;
  /** Changes to the run's proxies or fakes that the run did not make; left out: none. */
  tampering?: readonly string[];
}

export function healthFlags(f: HealthFigures, t = HEALTH_THRESHOLDS): string[] {
  const flags: string[] = [];
  const delay = t.event_loop_delay_p99_ms;
  const loadDelay = f.load_event_loop_delay_p99_ms;
  if (loadDelay !== null && loadDelay > delay)
    flags.push(`load generator event-loop delay p99 ${loadDelay} ms (> ${delay} ms): latencies may be inflated by the harness`);
  const fakesDelay = f.fakes_event_loop_delay_p99_ms;
  if (fakesDelay !== null && fakesDelay > delay)
    flags.push(`fakes event-loop delay p99 ${fakesDelay} ms (> ${delay} ms): fakes were saturated`);
  const cpu = f.harness_cpu;
  if (cpu?.cpu_saturated)
    flags.push(
      `the harness was saturated (its event loop busy ${Math.round(cpu.event_loop_utilization * 100)} % of the time, ${cpu.cpu_cores} cores of CPU): sends and response stamps queued behind its own work; lower load.rate or load.connections`,
    );
  if (f.lateness) flags.push(f.lateness);
  for (const flag of f.faults) if (flag) flags.push(flag);
  for (const reason of f.tampering ?? []) flags.push(`tampering: ${reason}`);
  if (f.scorer?.count) flags.push(`the custom scorer failed on ${f.scorer.count} samples, left unscored: ${f.scorer.messages.join('; ')}`);
  return flags;
}
