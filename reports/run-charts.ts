/**
 * The per-second charts of one run, as chart specs for the HTML report: throughput, latency p50/p95/p99,
 * error rate by kind (stacked), quality, and the outcome mix per second when the series carries it. Every
 * chart shades every fault window (as applied and removed, else as scheduled). Pure.
 */
import { ERROR_KINDS, type RunResult, type SeriesPoint } from '../harness/results/result-types.ts';
import { PALETTE, type ChartSpec } from './html-document.ts';

/** Outcomes in report order, worst last; colours match the per-phase outcome bars. */
export const OUTCOME_COLORS: Readonly<Record<string, string>> = Object.freeze({
  ok: '#38a169',
  partial: '#9ae6b4',
  stale: '#d69e2e',
  wrong: '#e53e3e',
  fallback: '#805ad5',
  empty: '#a0aec0',
  http_error: '#dd6b20',
  timeout: '#9b2c2c',
  connection_error: '#2d3748',
});

/** Fault windows in seconds since t0, as they really happened where known. */
export function faultWindows(result: RunResult): ChartSpec['shade'] {
  return result.faults.map((f) => ({
    from: (f.applied_at_ms ?? f.at_ms) / 1000,
    to: (f.removed_at_ms ?? f.at_ms + f.for_ms) / 1000,
    label: `${f.name} (${f.on})`,
  }));
}

const round = (v: number | null, digits: number): number | null => (v === null || Number.isNaN(v) ? null : Number(v.toFixed(digits)));

/** Builds the run's chart specs; charts without data (quality on an unscored run) are left out. */
export function runCharts(result: RunResult): ChartSpec[] {
  const s: SeriesPoint[] = result.series;
  // Each bucket is drawn at its middle, so a point sits inside the fault window it was measured in.
  const x = s.map((p) => p.t_s + 0.5);
  const shade = faultWindows(result);
  const charts: ChartSpec[] = [
    {
      id: 'throughput',
      x,
      unit: 'rps',
      shade,
      series: [{ label: 'throughput', values: s.map((p) => round(p.throughput_rps, 2)), color: PALETTE.throughput }],
    },
    {
      id: 'latency',
      x,
      unit: 'ms',
      shade,
      height: 260,
      series: [
        { label: 'p50', values: s.map((p) => round(p.p50_ms, 2)), color: PALETTE.p50 },
        { label: 'p95', values: s.map((p) => round(p.p95_ms, 2)), color: PALETTE.p95 },
        { label: 'p99', values: s.map((p) => round(p.p99_ms, 2)), color: PALETTE.p99 },
      ],
    },
    {
      id: 'errors',
      x,
      unit: '%',
      shade,
      stacked: true,
      series: ERROR_KINDS.map((kind, i) => ({
        label: kind,
        color: PALETTE.kinds[i],
        values: s.map((p) => (p.requests ? round((p.errors[kind] ?? 0) / p.requests, 4) : null)),
      })),
    },
  ];
  if (s.some((p) => p.quality !== null)) {
    charts.push({
      id: 'quality',
      x,
      unit: 'q',
      shade,
      yRange: [0, 1.05],
      series: [{ label: 'quality', values: s.map((p) => round(p.quality, 3)), color: PALETTE.quality }],
    });
  }
  const outcomes = s.map((p) => (p as SeriesPoint & { outcomes?: Record<string, number> }).outcomes);
  if (outcomes.some((o) => o && Object.keys(o).length)) {
    charts.push({
      id: 'outcomes',
      x,
      unit: '%',
      shade,
      stacked: true,
      yRange: [0, 1.02],
      series: Object.entries(OUTCOME_COLORS).map(([name, color]) => ({
        label: name,
        color,
        values: s.map((p, i) => (p.requests ? round((outcomes[i]?.[name] ?? 0) / p.requests, 4) : null)),
      })),
    });
  }
  return charts;
}
