/**
 * Derives phases from the fault timeline (a phase is a slice of the run derived from the timeline): `baseline` before the first fault, one phase per
 * stretch of time with the same set of active faults, and a recovery phase after each stretch with none.
 * Overlapping faults give a phase named after both (`model-latency+retrieval-down`).
 */
import type { ResolvedFault, ResolvedPhase } from './types.ts';

/**
 * @param faults faults with `at_ms`/`for_ms` inside [0, duration_ms]
 * @param duration_ms length of measured load
 * @returns phases covering [0, duration_ms] without gaps, in time order; empty phases (zero length) are left out
 */
export function createFaultTimeline(faults: readonly ResolvedFault[], duration_ms: number): ResolvedPhase[] {
  const edges = new Set<number>([0, duration_ms]);
  for (const f of faults) {
    edges.add(Math.min(f.at_ms, duration_ms));
    edges.add(Math.min(f.at_ms + f.for_ms, duration_ms));
  }
  const points = [...edges].sort((a, b) => a - b);
  const phases: ResolvedPhase[] = [];
  let seenFault = false;
  let recoveryCount = 0;
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i];
    const end = points[i + 1];
    if (end <= start) continue;
    const active = faults.filter((f) => f.at_ms <= start && f.at_ms + f.for_ms >= end).map((f) => f.name);
    const previous = phases.at(-1);
    if (active.length > 0) {
      seenFault = true;
      const name = active.join('+');
      if (previous && previous.kind === 'fault' && previous.name === name) previous.end_ms = end;
      else phases.push({ name, kind: 'fault', start_ms: start, end_ms: end, faults: active });
    } else if (!seenFault) {
      phases.push({ name: 'baseline', kind: 'baseline', start_ms: start, end_ms: end, faults: [] });
    } else {
      recoveryCount++;
      phases.push({ name: 'recovery', kind: 'recovery', start_ms: start, end_ms: end, faults: [] });
    }
  }
  // With several recovery stretches, number them so names stay unique: recovery-1, recovery-2, ...
  if (recoveryCount > 1) {
    let n = 0;
    for (const p of phases) if (p.kind === 'recovery') p.name = `recovery-${++n}`;
  }
  // A fault that contains another is active in two separate stretches (a, a+b, a): the later ones are a~2, a~3.
  const seen = new Map<string, number>();
  for (const p of phases) {
    const n = (seen.get(p.name) ?? 0) + 1;
    seen.set(p.name, n);
    if (n > 1) p.name = `${p.name}~${n}`;
  }
  return phases;
}

/** The phase a moment (ms since t0) belongs to, or undefined past the end. Phases are half-open [start, end). */
export function phaseAt(phases: readonly ResolvedPhase[], t_ms: number): ResolvedPhase | undefined {
  for (const p of phases) if (t_ms >= p.start_ms && t_ms < p.end_ms) return p;
  return undefined;
}

/**
 * The phase a request belongs to (README "Phases"): the first fault phase its time [start_ms, end_ms) overlapped,
 * else the phase it started in. A request that starts just before a fault and is cut by it counts in the fault,
 * not in baseline; one that starts in a fault and ends after it stays in the fault. Before 0 or past the end:
 * undefined unless it overlaps a fault phase.
 */
export function phaseOfRequest(phases: readonly ResolvedPhase[], start_ms: number, end_ms: number): ResolvedPhase | undefined {
  for (const p of phases) if (p.kind === 'fault' && p.start_ms < end_ms && start_ms < p.end_ms) return p;
  return phaseAt(phases, start_ms);
}
