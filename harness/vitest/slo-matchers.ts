/**
 * The SLO matchers behind `shakedown/vitest`, as plain functions of a run's result (no vitest import), so they
 * are checked by exact unit tests and could serve another test runner's `expect.extend`.
 */
import type { RunResult, SloVerdict } from '../results/result-types.ts';
import type { MetricName } from '../scenario/metrics.ts';

/** What a matcher receives: a run's result, or what `run()` returns (`{ result }`). */
export type RunLike = RunResult | { result: RunResult };

export interface MatcherOutcome {
  pass: boolean;
  message: () => string;
}

function resultOf(received: unknown): RunResult {
  const r = received as { result?: unknown; verdict?: unknown; slos?: unknown } | null;
  const result = (r && typeof r === 'object' && 'result' in r ? r.result : r) as RunResult | null;
  if (!result || typeof result !== 'object' || !Array.isArray(result.slos) || typeof result.verdict !== 'object')
    throw new TypeError('expected a Shakedown run result (what run() returns, or the RunResult in results.json)');
  return result;
}

function describe(slo: SloVerdict): string {
  const actual = slo.actual === null ? 'no value' : String(slo.actual);
  return `${slo.selector} ${slo.expression}: ${actual}${slo.reason ? ` (${slo.reason})` : ''}`;
}

/** Passes when the run completed and every SLO held; the message lists each SLO that failed. */
export function toMeetSlos(received: unknown): MatcherOutcome {
  const result = resultOf(received);
  const failed = result.slos.filter((s) => !s.passed);
  const completed = result.run.status === 'completed';
  const pass = completed && result.verdict.passed;
  return {
    pass,
    message: () =>
      pass
        ? `expected run ${result.run.id} to fail an SLO, but all ${result.slos.length} held`
        : [
            `expected run ${result.run.id} to meet its SLOs, but ${completed ? `${failed.length} of ${result.slos.length} failed` : `it ended ${result.run.status}`}:`,
            ...failed.map((s) => `  ${describe(s)}`),
          ].join('\n'),
  };
}

/**
 * Passes when an SLO on `metric` failed (in `phase`, when given: the SLO's selector such as `fault`, or a phase
 * name such as `model-http-error`): a guard that must trip. The message names
 * the SLOs on that metric and how each ended.
 */
export function toFailSlo(received: unknown, metric: MetricName, phase?: string): MatcherOutcome {
  const result = resultOf(received);
  const onMetric = result.slos.filter((s) => s.metric === metric && (phase === undefined || s.selector === phase || s.phase === phase));
  const pass = onMetric.some((s) => !s.passed);
  const where = `${metric}${phase === undefined ? '' : ` in phase ${phase}`}`;
  return {
    pass,
    message: () =>
      onMetric.length === 0
        ? `expected an SLO on ${where} to fail, but run ${result.run.id} has no SLO on ${where}`
        : [
            pass ? `expected no SLO on ${where} to fail:` : `expected an SLO on ${where} to fail, but every one held:`,
            ...onMetric.map((s) => `  ${s.passed ? 'held' : 'failed'}: ${describe(s)}`),
          ].join('\n'),
  };
}
