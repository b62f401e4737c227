import { describe, expect, it } from 'vitest';
import {
  METRIC_NAMES,
  parseDependencyMetricKey,
  QUALITY_METRICS,
  RATE_METRICS,
  meets,
  parseSloExpression,
  type MetricName,
  type SloExpression,
} from '../../harness/scenario/metrics.ts';

describe('parseSloExpression', () => {
  it.each<[MetricName, string, SloExpression]>([
    ['error_rate', '< 1%', { op: '<', value: 0.01, text: '< 1%' }],
    ['error_rate', '<= 0.5%', { op: '<=', value: 0.005, text: '<= 0.5%' }],
    ['error_rate', '< 0.01', { op: '<', value: 0.01, text: '< 0.01' }],
    ['quality', '>= 0.9', { op: '>=', value: 0.9, text: '>= 0.9' }],
    ['quality', '>= 90%', { op: '>=', value: 0.9, text: '>= 90%' }],
    ['stale_rate', '<0%', { op: '<', value: 0, text: '<0%' }],
    ['ok_rate', '> 100%', { op: '>', value: 1, text: '> 100%' }],
    ['p95_ms', '< 2s', { op: '<', value: 2000, text: '< 2s' }],
    ['p95_ms', '< 2.5s', { op: '<', value: 2500, text: '< 2.5s' }],
    ['p95_ms', '< 800ms', { op: '<', value: 800, text: '< 800ms' }],
    ['p50_ms', '> 300', { op: '>', value: 300, text: '> 300' }],
    ['ttft_ms', '<=150ms', { op: '<=', value: 150, text: '<=150ms' }],
    ['recovery_s', '< 10s', { op: '<', value: 10, text: '< 10s' }],
    ['recovery_s', '< 10', { op: '<', value: 10, text: '< 10' }],
    ['requests', '>= 100', { op: '>=', value: 100, text: '>= 100' }],
    ['throughput_rps', '> 9.5', { op: '>', value: 9.5, text: '> 9.5' }],
    ['p99_ms', '  <  400  ', { op: '<', value: 400, text: '<  400' }],
  ])('reads %s %j', (metric, text, expected) => {
    expect(parseSloExpression(metric, text)).toEqual(expected);
  });

  it.each<[MetricName, string, string]>([
    ['p95_ms', 'under 300', "must be a comparison like '< 400' or '>= 0.9' (got 'under 300')"],
    ['p95_ms', '300', "must be a comparison like '< 400' or '>= 0.9' (got '300')"],
    ['p95_ms', '== 300', "must be a comparison like '< 400' or '>= 0.9' (got '== 300')"],
    ['p95_ms', '< 3e2', "must be a comparison like '< 400' or '>= 0.9' (got '< 3e2')"],
    ['p95_ms', '< 1m', "must be a comparison like '< 400' or '>= 0.9' (got '< 1m')"],
    ['p95_ms', '', "must be a comparison like '< 400' or '>= 0.9' (got '')"],
    ['p95_ms', '< 5%', "uses % but p95_ms is not a rate (got '< 5%')"],
    ['requests', '> 5%', "uses % but requests is not a rate (got '> 5%')"],
    ['error_rate', '< 5ms', "uses ms but error_rate is not in milliseconds (got '< 5ms')"],
    ['recovery_s', '< 500ms', "uses ms but recovery_s is not in milliseconds (got '< 500ms')"],
    ['error_rate', '< 1s', "uses s but error_rate is not a duration (got '< 1s')"],
    ['error_rate', '< 5', "must compare error_rate with a value in [0, 1] or 0%..100% (got '< 5')"],
    ['error_rate', '< 101%', "must compare error_rate with a value in [0, 1] or 0%..100% (got '< 101%')"],
    ['quality', '>= -0.1', "must compare quality with a value in [0, 1] or 0%..100% (got '>= -0.1')"],
    [
      'error_rate',
      '< 1',
      "compares error_rate, a fraction from 0 to 1, with 1, so it passes unless every request counts: write '< 1%' for one percent, or '< 100%' if that is what you mean (got '< 1')",
    ],
    [
      'empty_rate',
      '<= 1',
      "compares empty_rate, a fraction from 0 to 1, with 1, so it passes unless every request counts: write '<= 1%' for one percent, or '<= 100%' if that is what you mean (got '<= 1')",
    ],
  ])('refuses %s %j', (metric, text, problem) => {
    expect(parseSloExpression(metric, text)).toBe(problem);
  });

  it('treats every _rate metric and quality as a rate, and only those', () => {
    expect([...RATE_METRICS].sort()).toEqual(METRIC_NAMES.filter((m) => m.endsWith('_rate') || m === 'quality').sort());
    expect(RATE_METRICS.has('p95_ms')).toBe(false);
    expect(RATE_METRICS.has('throughput_rps')).toBe(false);
  });

  it('marks the metrics that need a scorer', () => {
    expect([...QUALITY_METRICS].sort()).toEqual([
      'empty_rate',
      'fallback_rate',
      'goodput_rps',
      'ok_rate',
      'partial_rate',
      'quality',
      'stale_rate',
      'wrong_rate',
    ]);
  });
});

describe('meets', () => {
  const at = (text: string) => parseSloExpression('p95_ms', text) as SloExpression;
  it.each([
    ['< 400', 399.999, true],
    ['< 400', 400, false],
    ['<= 400', 400, true],
    ['<= 400', 400.001, false],
    ['> 400', 400.001, true],
    ['> 400', 400, false],
    ['>= 400', 400, true],
    ['>= 400', 399.999, false],
  ] as const)('%s with %d → %s', (text, actual, expected) => {
    expect(meets(at(text), actual)).toBe(expected);
  });

  it('compares a percentage against the fraction', () => {
    const onePercent = parseSloExpression('error_rate', '< 1%') as SloExpression;
    expect(meets(onePercent, 0.0099)).toBe(true);
    expect(meets(onePercent, 0.01)).toBe(false);
  });
});

describe('parseDependencyMetricKey', () => {
  it('reads <dependency>.<metric> for a fake of the scenario', () => {
    expect(parseDependencyMetricKey('model.calls_per_request', ['model', 'retrieval'])).toEqual({
      dependency: 'model',
      metric: 'calls_per_request',
    });
    expect(parseDependencyMetricKey('p95_ms', ['model'])).toBeNull();
  });

  it('names an unknown dependency and an unknown metric together', () => {
    expect(parseDependencyMetricKey('modle.calls', ['model', 'retrieval'])).toBe(
      "names dependency 'modle', which is not a fake of this scenario (fakes: model, retrieval); 'calls' is not a dependency metric; known: calls_per_request, calls_per_request_p95, retry_amplification, early_retry_rate, duplicate_call_rate",
    );
  });

  it('parses dependency rates as rates and counts as plain numbers', () => {
    expect(parseSloExpression('early_retry_rate', '< 5%')).toEqual({ op: '<', value: 0.05, text: '< 5%' });
    expect(parseSloExpression('calls_per_request', '< 2')).toEqual({ op: '<', value: 2, text: '< 2' });
    expect(parseSloExpression('calls_per_request', '< 2%')).toBe("uses % but calls_per_request is not a rate (got '< 2%')");
  });
});
