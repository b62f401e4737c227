/**
 * The severity sweep: the intensity of one fault kind on one dependency at which the scenario's SLOs first
 * break, found by bisection between a passing low end and a failing high end. Each point runs `repeats` trials
 * and fails on a majority (2 of 3 by default), which outvotes one noisy judgement either way; the search stops
 * when the bracket is narrower than `width` (default 5 % of the range). Every run's metric values are kept for
 * the curve. Pure: the trials are run by the injected `measure`.
 */
import { EXPLORE_KINDS } from '../scenario/index.ts';

/** `model.latency=0..5000ms`: dependency, kind, low and high intensity in the kind's unit. */
export interface SweepSpec {
  on: string;
  kind: string;
  low: number;
  high: number;
}

/** One run at one intensity: did it pass, and the value of each SLO's metric (`fault.p99_ms` → 1830). */
export interface SweepRun {
  passed: boolean;
  failed: string[];
  values: Record<string, number | null>;
}

export interface SweepPoint {
  intensity: number;
  runs: SweepRun[];
  /** A majority of the runs failed. */
  failed: boolean;
}

export interface SweepResult {
  spec: SweepSpec;
  repeats: number;
  width: number;
  /** Evaluated points in order of evaluation. */
  points: SweepPoint[];
  /** `[pass, fail]` bracket of the breaking point, or null when the range does not contain one. */
  bracket: [number, number] | null;
  /** The breaking intensity (the bracket's failing end), or null. */
  breaking: number | null;
  /** The SLO (`fault.p99_ms`) that failed first at the breaking point, or null. */
  slo: string | null;
  note: string;
}

/**
 * Parses `dep.kind=low..high[unit]` (`model.latency=0..5000ms`, `model.http_error=0..1`).
 * @returns the spec, or a message saying what is wrong
 */
/** What one unit written after a sweep's range is in the kind's own unit (EXPLORE_KINDS), or why it does not fit. */
function unitScale(kind: string, unit: string): number | string {
  const own = (EXPLORE_KINDS as Record<string, { unit: string } | undefined>)[kind]?.unit;
  if (unit === '' || own === undefined) return 1; // an unknown kind is refused by the caller, naming the kinds
  if (own === 'ms') {
    const scale = ({ ms: 1, s: 1000, m: 60_000 } as Record<string, number>)[unit];
    return scale ?? `'${unit}' is not a unit of ${kind} (ms, s or m)`;
  }
  if (own === 'rate') return unit === '%' ? 0.01 : `'${unit}' is not a unit of ${kind} (a share 0..1, or %)`;
  const aliases: Record<string, string[]> = { 'KB/s': ['KB/s', 'kb/s'], µs: ['µs', 'us'], bytes: ['bytes', 'B', 'b'] };
  return (aliases[own] ?? [own]).includes(unit) ? 1 : `'${unit}' is not a unit of ${kind} (${own})`;
}

export function parseSweep(text: string): SweepSpec | string {
  const m = /^([a-z][a-z0-9_-]*)\.([a-z_]+)=(\d+(?:\.\d+)?)\.\.(\d+(?:\.\d+)?)([a-zµ/%]*)$/i.exec(text.trim());
  if (!m) return `--sweep must look like <dependency>.<kind>=<low>..<high>[unit], e.g. model.latency=0..5000ms (got '${text}')`;
  const scale = unitScale(m[2], m[5]);
  if (typeof scale === 'string') return `--sweep ${text}: ${scale}`;
  // Rounded past float noise (50 × 0.01 is 0.5000000000000001).
  const [low, high] = [Number(m[3]), Number(m[4])].map((v) => Math.round(v * scale * 1e9) / 1e9);
  if (!(high > low)) return `--sweep ${text}: the high end must be above the low end`;
  return { on: m[1], kind: m[2], low, high };
}

export async function sweepSeverity(o: {
  spec: SweepSpec;
  repeats?: number;
  width?: number;
  /** Rounds a candidate intensity to what the kind takes (whole ms, rates to 0.01). */
  round?: (v: number) => number;
  measure: (intensity: number) => Promise<SweepRun>;
}): Promise<SweepResult> {
  const repeats = o.repeats ?? 3;
  const width = o.width ?? (o.spec.high - o.spec.low) * 0.05;
  const round = o.round ?? ((v: number) => v);
  const points: SweepPoint[] = [];
  const at = async (intensity: number): Promise<SweepPoint> => {
    const runs: SweepRun[] = [];
    for (let i = 0; i < repeats; i++) {
      runs.push(await o.measure(intensity));
      const failures = runs.filter((r) => !r.passed).length;
      // Stop early once the majority is decided either way.
      if (failures > repeats / 2 || runs.length - failures > repeats / 2) break;
    }
    const point = { intensity, runs, failed: runs.filter((r) => !r.passed).length > repeats / 2 };
    points.push(point);
    return point;
  };
  const result = (bracket: [number, number] | null, note: string, slo: string | null = null): SweepResult => ({
    spec: o.spec,
    repeats,
    width,
    points,
    bracket,
    breaking: bracket ? bracket[1] : null,
    slo,
    note,
  });
  const top = await at(o.spec.high);
  if (!top.failed) return result(null, `no SLO breaks up to ${o.spec.high}`);
  const bottom = await at(o.spec.low);
  if (bottom.failed) return result(null, `SLOs already break at ${o.spec.low}, the low end`, firstFailed(bottom));
  let [lo, hi] = [o.spec.low, o.spec.high];
  let failing = top;
  while (hi - lo > width) {
    const mid = round((lo + hi) / 2);
    if (mid <= lo || mid >= hi) break;
    const p = await at(mid);
    if (p.failed) {
      hi = mid;
      failing = p;
    } else lo = mid;
  }
  return result([lo, hi], `SLOs break between ${lo} and ${hi}`, firstFailed(failing));
}

/** The SLO failed by most runs of a point (ties: the first listed). */
function firstFailed(p: SweepPoint): string | null {
  const counts = new Map<string, number>();
  for (const r of p.runs) for (const f of r.failed) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}
