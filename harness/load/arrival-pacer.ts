/**
 * Fires arrivals at the instants an arrival schedule gives, on the monotonic clock (`performance.now()`),
 * without drift: each instant is computed from the start, never from the previous firing.
 *
 * Node timers fire on whole milliseconds of the loop's clock, which alone puts up to ±1 ms of jitter on
 * every gap (a gap CV of about 0.13 at 200 req/s on a 2-core machine). So the pacer sleeps with a timer
 * until the last millisecond before a due instant and then yields with `setImmediate` (I/O keeps flowing)
 * until the instant passes; it does that only when gaps are under `SPIN_BELOW_GAP_MS`, where 1 ms matters,
 * and at least `SPIN_MIN_GAP_MS`: with shorter gaps the loop would never leave the spin (a full core from
 * 1,000 req/s, and on a busy machine arrivals came later, not sooner), so there each timer wake sends every
 * arrival that is due, at most about a millisecond late, well inside LATE_TOLERANCE_MS.
 * Measured in bench/pacing-cpu.ts (figures in bench/RESULTS.md): at 1,000 req/s the bounded spin uses a
 * fraction of the core the unbounded one did, with p99 lateness under 2 ms.
 *
 * Shapes: `createArrivalPacer({ next, start_ms, onArrival, onEnd })` starts at once; `onArrival(due_ms)`
 * gets the intended instant (performance.now() scale); `onEnd()` is called once when the schedule is
 * exhausted; `stop()` ends early (no `onEnd`).
 */
const SPIN_BELOW_GAP_MS = 20;
/** Gaps shorter than this (rates above 500 req/s) never spin. */
const SPIN_MIN_GAP_MS = 2;

/** `bounded` (the default) spins only for gaps in [SPIN_MIN_GAP_MS, SPIN_BELOW_GAP_MS); `unbounded` is the pacer before issue 14, kept for bench/ comparisons. */
export type PacerSpin = 'bounded' | 'unbounded';

export interface ArrivalPacerOptions {
  /** Offsets in ms from `start_ms`, ascending, `null` at the end (see createArrivalSchedule). */
  next: () => number | null;
  /** Origin of the offsets, performance.now() scale. */
  start_ms: number;
  onArrival: (due_ms: number) => void;
  onEnd: () => void;
  /** Default 'bounded'. */
  spin?: PacerSpin;
}

export function createArrivalPacer(options: ArrivalPacerOptions): { stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  let previous = options.start_ms;
  let offset = options.next();
  const min_gap_ms = options.spin === 'unbounded' ? 0 : SPIN_MIN_GAP_MS;
  const tick = () => {
    timer = null;
    immediate = null;
    if (stopped) return;
    let now = performance.now();
    while (offset !== null && options.start_ms + offset <= now) {
      previous = options.start_ms + offset;
      options.onArrival(previous);
      if (stopped) return;
      offset = options.next();
      now = performance.now();
    }
    if (offset === null) {
      stopped = true;
      options.onEnd();
      return;
    }
    const due = options.start_ms + offset;
    const remaining = due - now;
    const gap = due - previous;
    if (remaining < 1 && gap < SPIN_BELOW_GAP_MS && gap >= min_gap_ms) immediate = setImmediate(tick);
    else timer = setTimeout(tick, Math.max(1, Math.floor(remaining)));
  };
  tick();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
    },
  };
}
