/**
 * Standard metric names, used as SLO keys, JSON keys and report labels.
 * An SLO on a name outside this list is a validation error, never a silent pass (k6 issue 1526).
 */
export const OUTCOMES = [
  'ok',
  'partial',
  'stale',
  'wrong',
  'fallback',
  'empty',
  // cut short but presented as complete (harness/metrics/outcome-ranking.ts `detectTruncation`)
  'truncated',
  'http_error',
  'timeout',
  'connection_error',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const METRIC_NAMES = [
  'requests',
  'throughput_rps',
  'error_rate',
  'timeout_rate',
  'p50_ms',
  'p95_ms',
  'p99_ms',
  'max_ms',
  'mean_ms',
  'quality',
  'goodput_rps',
  'ttft_ms',
  'itl_ms',
  'stream_abort_rate',
  'recovery_s',
  'ok_rate',
  'partial_rate',
  'stale_rate',
  'wrong_rate',
  'fallback_rate',
  'empty_rate',
  'truncated_rate',
  'http_error_rate',
  'timeout_outcome_rate',
  'connection_error_rate',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * Per-dependency metrics (harness/metrics/dependency-calls.ts), written in SLOs as `<dependency>.<metric>`
 * (`model.calls_per_request: '< 2'`): calls per SUT request (mean, p95), retry amplification (calls per request
 * in the phase ÷ in baseline), the share of calls that were retries sent before the `retry-after` the fake gave
 * had passed, and the share of requests that sent the same call (same dependency path) more than once.
 */
export const DEPENDENCY_METRIC_NAMES = [
  'calls_per_request',
  'calls_per_request_p95',
  'retry_amplification',
  'early_retry_rate',
  'duplicate_call_rate',
] as const;
export type DependencyMetricName = (typeof DEPENDENCY_METRIC_NAMES)[number];

/** An SLO's metric: a standard metric, or a dependency metric as `<dependency>.<metric>` (`model.calls_per_request`). */
export type SloMetricName = MetricName | `${string}.${DependencyMetricName}`;

/**
 * Reads an SLO key naming a dependency metric: `model.calls_per_request` → `{ dependency: 'model', metric }`.
 * @param dependencies the scenario's fake names (`fakes` keys)
 * @returns null when the key has no dot (not a dependency metric), else the parsed key or what is wrong with it
 */
export function parseDependencyMetricKey(
  key: string,
  dependencies: readonly string[],
): { dependency: string; metric: DependencyMetricName } | string | null {
  const dot = key.lastIndexOf('.');
  if (dot < 0) return null;
  const dependency = key.slice(0, dot);
  const metric = key.slice(dot + 1);
  const problems: string[] = [];
  if (!dependencies.includes(dependency))
    problems.push(
      `names dependency '${dependency}', which is not a fake of this scenario (fakes: ${dependencies.length ? dependencies.join(', ') : 'none'})`,
    );
  if (!(DEPENDENCY_METRIC_NAMES as readonly string[]).includes(metric))
    problems.push(`'${metric}' is not a dependency metric; known: ${DEPENDENCY_METRIC_NAMES.join(', ')}`);
  return problems.length ? problems.join('; ') : { dependency, metric: metric as DependencyMetricName };
}

/** Metrics that need a scorer (`score` in the scenario) to have a value. */
export const QUALITY_METRICS: ReadonlySet<MetricName> = new Set([
  'quality',
  'goodput_rps',
  'ok_rate',
  'partial_rate',
  'stale_rate',
  'wrong_rate',
  'fallback_rate',
  'empty_rate',
]);

/** Metrics that are fractions in [0, 1]; an SLO may write them as percentages (`'< 1%'`). */
export const RATE_METRICS: ReadonlySet<MetricName> = new Set(METRIC_NAMES.filter((m) => m.endsWith('_rate') || m === 'quality'));
const isRate = (m: string) =>
  RATE_METRICS.has(m as MetricName) || ((DEPENDENCY_METRIC_NAMES as readonly string[]).includes(m) && m.endsWith('_rate'));

export type Comparator = '<' | '<=' | '>' | '>=';

/** A parsed SLO expression: `'< 1%'` → `{ op: '<', value: 0.01, text: '< 1%' }`. */
export interface SloExpression {
  op: Comparator;
  value: number;
  text: string;
}

const EXPRESSION = /^\s*(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)\s*(%|ms|s)?\s*$/;

/**
 * Parses an SLO expression for a metric. Accepted: `< 400`, `<= 1%` (rates and quality only), `< 800ms`
 * (`_ms` metrics), `< 10s` (`recovery_s`; also `_ms` metrics, converted).
 * @returns the expression, or a string saying what is wrong (validation reports it with the field path).
 */
export function parseSloExpression(metric: MetricName | DependencyMetricName, text: string): SloExpression | string {
  const match = EXPRESSION.exec(text);
  if (!match) return `must be a comparison like '< 400' or '>= 0.9' (got '${text}')`;
  const op = match[1] as Comparator;
  let value = Number(match[2]);
  const unit = match[3];
  if (unit === '%') {
    if (!isRate(metric)) return `uses % but ${metric} is not a rate (got '${text}')`;
    value /= 100;
  } else if (unit === 'ms') {
    if (!metric.endsWith('_ms')) return `uses ms but ${metric} is not in milliseconds (got '${text}')`;
  } else if (unit === 's') {
    if (metric.endsWith('_ms')) value *= 1000;
    else if (!metric.endsWith('_s')) return `uses s but ${metric} is not a duration (got '${text}')`;
  }
  if (isRate(metric) && (value < 0 || value > 1)) return `must compare ${metric} with a value in [0, 1] or 0%..100% (got '${text}')`;
  // '< 1' on a fraction passes unless every request fails: almost always a percentage written without its %.
  if (isRate(metric) && unit === undefined && value === 1 && (op === '<' || op === '<=')) {
    return `compares ${metric}, a fraction from 0 to 1, with 1, so it passes unless every request counts: write '${op} 1%' for one percent, or '${op} 100%' if that is what you mean (got '${text}')`;
  }
  return { op, value, text: text.trim() };
}

/** Whether `actual` meets the expression. */
export function meets(expression: SloExpression, actual: number): boolean {
  switch (expression.op) {
    case '<':
      return actual < expression.value;
    case '<=':
      return actual <= expression.value;
    case '>':
      return actual > expression.value;
    case '>=':
      return actual >= expression.value;
  }
}
