/**
 * When each request of an open-model executor is due: a piecewise-linear rate (k6's ramping stages) turned
 * into arrival offsets, evenly spaced at every instant (gap = 1 / current rate), never in per-second bursts.
 *
 * Shapes: `createArrivalSchedule({ start_rate: 0, stages: [{ target: 100, duration_ms: 2000 }] })` returns
 * `next(): number | null`, the offset in ms from the start of load of arrival k = 0, 1, 2, ... (the instant
 * where the integral of the rate reaches k), or `null` once the schedule has ended. Rates are per second.
 * A constant rate r over D ms is `{ start_rate: r, stages: [{ target: r, duration_ms: D }] }`: arrivals at
 * 0, 1000/r, 2000/r, ... strictly before D.
 * @see https://grafana.com/docs/k6/latest/using-k6/scenarios/executors/ramping-arrival-rate/
 */
export interface RateStage {
  /** Rate (requests per second) reached at the end of the stage, linearly from the previous rate. */
  target: number;
  duration_ms: number;
}

export interface ArrivalScheduleOptions {
  /** Rate at the start of the first stage. */
  start_rate: number;
  stages: readonly RateStage[];
}

interface Segment {
  from_ms: number;
  duration_ms: number;
  r0: number;
  r1: number;
  count_before: number;
  count: number;
}

export function createArrivalSchedule(options: ArrivalScheduleOptions): () => number | null {
  const segments: Segment[] = [];
  let from_ms = 0;
  let rate = options.start_rate;
  let total = 0;
  for (const stage of options.stages) {
    if (stage.duration_ms <= 0) {
      rate = stage.target;
      continue;
    }
    const count = ((rate + stage.target) / 2) * (stage.duration_ms / 1000);
    segments.push({ from_ms, duration_ms: stage.duration_ms, r0: rate, r1: stage.target, count_before: total, count });
    total += count;
    from_ms += stage.duration_ms;
    rate = stage.target;
  }
  let k = 0;
  let s = 0;
  return () => {
    while (s < segments.length && k >= segments[s].count_before + segments[s].count - 1e-9) s++;
    if (s >= segments.length) return null;
    const seg = segments[s];
    const x = k - seg.count_before; // arrivals into this segment, solve r0 t + (r1 - r0) t^2 / 2D = x for t (s)
    const d = seg.duration_ms / 1000;
    const a = (seg.r1 - seg.r0) / (2 * d);
    const b = seg.r0;
    const root = Math.sqrt(Math.max(0, b * b + 4 * a * x));
    const t = x === 0 ? 0 : (2 * x) / (b + root); // the stable form of (-b + root) / 2a, also right for a = 0
    k++;
    return seg.from_ms + Math.min(t * 1000, seg.duration_ms);
  };
}
