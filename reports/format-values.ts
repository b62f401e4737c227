/**
 * How the reports print numbers: one place so the HTML, Markdown, JUnit and compare renderers agree with
 * each other on units (ms, %, quality to 3 places). Pure.
 */

const missing = (v: number | null | undefined): v is null | undefined => v === null || v === undefined || Number.isNaN(v);

/** Milliseconds: whole above 100, one decimal below. */
export const fmtMs = (v: number | null | undefined): string => (missing(v) ? '-' : Math.abs(v) >= 100 ? `${Math.round(v)}` : v.toFixed(1));

/** A fraction as a percentage (two decimals when tiny but not zero). */
export const fmtPct = (v: number | null | undefined): string =>
  missing(v) ? '-' : `${(v * 100).toFixed(v !== 0 && Math.abs(v) < 0.001 ? 2 : 1)}%`;

/** A plain number with at most `digits` decimals. */
export const fmtNum = (v: number | null | undefined, digits = 2): string => (missing(v) ? '-' : String(Number(v.toFixed(digits))));

/** Seconds from milliseconds (`15.0s`). */
export const fmtSeconds = (msValue: number | null | undefined, digits = 1): string =>
  missing(msValue) ? '-' : `${(msValue / 1000).toFixed(digits)}s`;

/** The metric a compare row is in: an SLO row (`slo p99_ms < 3000`) is in its metric's unit. */
const unitMetric = (metric: string): string => (metric.startsWith('slo ') ? (metric.split(' ')[1] ?? metric) : metric);

/** A compare verdict as people read it: `untested` for want of data says so (`not enough data`). */
export function verdictLabel(c: { verdict: string; reason?: string }): string {
  return c.verdict === 'untested' && c.reason?.startsWith('not enough data') ? 'not enough data' : c.verdict;
}

/** A metric value in its own unit, by the naming convention of metric names (`*_ms`, `*_rate`, `*_s`, `quality`). */
export function fmtMetric(name: string, v: number | null | undefined): string {
  const metric = unitMetric(name);
  if (missing(v)) return '-';
  if (metric === 'quality') return fmtNum(v, 3);
  if (metric.endsWith('_rate')) return fmtPct(v);
  if (metric.endsWith('_ms')) return `${fmtMs(v)} ms`;
  if (metric.endsWith('_s')) return `${fmtNum(v, 1)} s`;
  if (metric.endsWith('_rps')) return `${fmtNum(v, 1)}/s`;
  return fmtNum(v, 2);
}

/** A difference in a metric's unit, signed (`+12.5 ms`, `-3.0 pp` for rates). */
export function fmtDelta(name: string, v: number | null | undefined): string {
  const metric = unitMetric(name);
  if (missing(v)) return '-';
  const sign = v > 0 ? '+' : v < 0 ? '−' : '±';
  const a = Math.abs(v);
  if (metric === 'quality') return `${sign}${a.toFixed(3)}`;
  if (metric.endsWith('_rate')) return `${sign}${(a * 100).toFixed(1)} pp`;
  if (metric.endsWith('_ms')) return `${sign}${fmtMs(a)} ms`;
  if (metric.endsWith('_s')) return `${sign}${fmtNum(a, 1)} s`;
  if (metric.endsWith('_rps')) return `${sign}${fmtNum(a, 1)}/s`;
  return `${sign}${fmtNum(a, 2)}`;
}

/** Label of a run for tables and trend axes: its label, else its git sha, else its id. */
export function runLabel(run: { label: string; git_sha: string | null; id: string }): string {
  return run.label || (run.git_sha ? run.git_sha.slice(0, 12) : run.id);
}

/** Labels of runs shown side by side: `runLabel`, with ` (id)` added to those that would read the same. */
export function runLabels(runs: ReadonlyArray<{ label: string; git_sha: string | null; id: string }>): string[] {
  const plain = runs.map(runLabel);
  return plain.map((l, i) => (plain.indexOf(l) !== plain.lastIndexOf(l) ? `${l} (${runs[i].id})` : l));
}
