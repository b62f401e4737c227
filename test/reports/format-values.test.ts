import { describe, expect, it } from 'vitest';
import { fmtDelta, fmtMetric, verdictLabel } from '../../reports/format-values.ts';

describe('compare values in their units', () => {
  it('shows an SLO row in its metric unit, not as a bare fraction', () => {
    expect(fmtMetric('slo timeout_rate < 1%', 0.61)).toBe(fmtMetric('timeout_rate', 0.61));
    expect(fmtMetric('slo timeout_rate < 1%', 0.61)).toContain('%');
    expect(fmtDelta('slo timeout_rate < 1%', 0.61)).toBe('+61.0 pp');
    expect(fmtMetric('slo p99_ms < 3000', 4007.93)).toBe(fmtMetric('p99_ms', 4007.93));
    expect(fmtDelta('slo p99_ms < 3000', 2493.44)).toBe(fmtDelta('p99_ms', 2493.44));
    expect(fmtMetric('model.calls_per_request', 2.75)).toBe('2.75');
  });

  it('labels an untested row for want of data the same way in the terminal and the HTML', () => {
    expect(verdictLabel({ verdict: 'untested', reason: 'not enough data: 4 vs 30 requests, need 10 each' })).toBe('not enough data');
    expect(verdictLabel({ verdict: 'untested', reason: 'shown, not tested' })).toBe('untested');
    expect(verdictLabel({ verdict: 'worse' })).toBe('worse');
  });
});
