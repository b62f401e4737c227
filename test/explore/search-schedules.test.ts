import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { someOf } from '../../harness/explore/schedule-arbitrary.ts';
import { searchSchedules, type Judgement } from '../../harness/explore/search-schedules.ts';
import { parseSweep, sweepSeverity } from '../../harness/explore/severity-sweep.ts';

// A synthetic property with a known minimal counterexample: a "schedule" of intensities fails when two of them
// reach 40 or more; the smallest failing schedule is [40, 40].
const failsWhen = (xs: number[]) => xs.filter((x) => x >= 40).length >= 2;
const schedules = someOf(fc.integer({ min: 0, max: 100 }), 5);
const judge = async (xs: number[]): Promise<Judgement> => ({ passed: !failsWhen(xs), summary: failsWhen(xs) ? 'two strong' : '' });

describe('the schedule search', () => {
  it('finds a failure and shrinks it to the known minimal counterexample, keeping each accepted step', async () => {
    const r = await searchSchedules({ arbitrary: schedules, judge, seed: 11, trials: 200, budget_ms: 60_000, confirmRuns: 1 });
    expect(r.counterexample).toEqual([40, 40]);
    expect(r.shrinkPath.at(-1)).toEqual([40, 40]);
    expect(failsWhen(r.shrinkPath[0])).toBe(true);
    expect(r.shrinkPath.every(failsWhen)).toBe(true);
    expect(r.trials.filter((t) => t.failed).every((t) => t.runs.length === 2)).toBe(true);
    expect(r.trials.filter((t) => !t.failed).every((t) => t.runs.length === 1)).toBe(true);
  });

  it('replays the minimal counterexample from its seed and path', async () => {
    const first = await searchSchedules({ arbitrary: schedules, judge, seed: 11, trials: 200, budget_ms: 60_000 });
    const replay = await searchSchedules({ arbitrary: schedules, judge, seed: 11, path: first.path!, trials: 200, budget_ms: 60_000 });
    expect(replay.trials[0].value).toEqual([40, 40]);
    expect(replay.counterexample).toEqual([40, 40]);
  });

  it('does not accept a failure that a confirmation run does not repeat', async () => {
    let calls = 0;
    // Every first run of a schedule fails, every second one passes: noise, never a confirmed failure.
    const flaky = async (): Promise<Judgement> => ({ passed: calls++ % 2 === 1, summary: 'noise' });
    const r = await searchSchedules({ arbitrary: schedules, judge: flaky, seed: 3, trials: 20, budget_ms: 60_000, confirmRuns: 1 });
    expect(r.counterexample).toBeNull();
    expect(r.trials).toHaveLength(20);
    expect(r.trials.every((t) => t.runs.length === 2 && !t.failed)).toBe(true);
  });

  it('stops running trials when the budget is spent and keeps the smallest confirmed failure so far', async () => {
    let clock = 0;
    const slow = async (xs: number[]) => {
      clock += 1000;
      return judge(xs);
    };
    const r = await searchSchedules({ arbitrary: schedules, judge: slow, seed: 11, trials: 200, budget_ms: 6000, now: () => clock });
    expect(r.budgetExhausted).toBe(true);
    expect(r.trials.flatMap((t) => t.runs)).toHaveLength(6);
    expect(r.skipped).toBeGreaterThan(0);
    expect(r.shrinkPath.every(failsWhen)).toBe(true);
    expect(r.counterexample).toEqual(r.shrinkPath.at(-1) ?? null);
  });

  it('gives the shrink its own budget from the first failure: the search before it keeps the whole one', async () => {
    let clock = 0;
    const slow = async (xs: number[]) => {
      clock += 1000;
      return judge(xs);
    };
    const full = await searchSchedules({ arbitrary: schedules, judge: slow, seed: 11, trials: 200, budget_ms: 600_000, now: () => clock });
    const firstFailure_ms = full.trials.find((t) => t.failed)!.ended_ms;
    clock = 0;
    const capped = await searchSchedules({
      arbitrary: schedules,
      judge: slow,
      seed: 11,
      trials: 200,
      budget_ms: 600_000,
      shrinkBudget_ms: 3000,
      now: () => clock,
    });
    // The same search up to the first failure, then at most 3 s (3 runs of 1 s) of shrinking.
    expect(capped.trials.find((t) => t.failed)!.ended_ms).toBe(firstFailure_ms);
    expect(capped.trials.at(-1)!.ended_ms).toBeLessThanOrEqual(firstFailure_ms + 3000);
    expect(capped.budgetExhausted).toBe(true);
    expect(capped.counterexample).toEqual(capped.shrinkPath.at(-1));
    expect(full.trials.length).toBeGreaterThan(capped.trials.length);
  });
});

describe('the severity sweep', () => {
  it('brackets a known breaking point within the stopping width, by majority of the repeats', async () => {
    let n = 0;
    // Breaks at 2300; every fourth run is noise that flips the verdict.
    const measure = async (x: number) => {
      const noisy = n++ % 4 === 3;
      const passed = x < 2300 !== noisy;
      return { passed, failed: passed ? [] : ['fault.p99_ms'], values: { 'fault.p99_ms': x } };
    };
    const r = await sweepSeverity({ spec: { on: 'model', kind: 'latency', low: 0, high: 5000 }, repeats: 3, round: Math.round, measure });
    expect(r.bracket![0]).toBeLessThan(2300);
    expect(r.bracket![1]).toBeGreaterThanOrEqual(2300);
    expect(r.bracket![1] - r.bracket![0]).toBeLessThanOrEqual(250);
    expect(r.breaking).toBe(r.bracket![1]);
    expect(r.slo).toBe('fault.p99_ms');
    expect(r.points[0]).toMatchObject({ intensity: 5000, failed: true });
  });

  it('says so when the range holds no breaking point', async () => {
    const r = await sweepSeverity({
      spec: { on: 'model', kind: 'latency', low: 0, high: 100 },
      measure: async () => ({ passed: true, failed: [], values: {} }),
    });
    expect(r).toMatchObject({ bracket: null, breaking: null, note: 'no SLO breaks up to 100' });
    expect(r.points).toHaveLength(1);
    expect(r.points[0].runs).toHaveLength(2);
  });

  it('parses a sweep spec and explains a bad one', () => {
    expect(parseSweep('model.latency=0..5000ms')).toEqual({ on: 'model', kind: 'latency', low: 0, high: 5000 });
    expect(parseSweep('model.http_error=0.1..1')).toEqual({ on: 'model', kind: 'http_error', low: 0.1, high: 1 });
    // A unit after the range counts: seconds and minutes for ms kinds, % for shares.
    expect(parseSweep('model.latency=0..5s')).toEqual({ on: 'model', kind: 'latency', low: 0, high: 5000 });
    expect(parseSweep('model.latency=1..2.5s')).toEqual({ on: 'model', kind: 'latency', low: 1000, high: 2500 });
    expect(parseSweep('model.timeout=0..2m')).toEqual({ on: 'model', kind: 'timeout', low: 0, high: 120_000 });
    expect(parseSweep('model.http_error=10..50%')).toEqual({ on: 'model', kind: 'http_error', low: 0.1, high: 0.5 });
    expect(parseSweep('model.latency=0..5KB/s')).toBe("--sweep model.latency=0..5KB/s: 'KB/s' is not a unit of latency (ms, s or m)");
    expect(parseSweep('model.http_error=0..1s')).toBe(
      "--sweep model.http_error=0..1s: 's' is not a unit of http_error (a share 0..1, or %)",
    );
    expect(parseSweep('model.latency=5000')).toBe(
      "--sweep must look like <dependency>.<kind>=<low>..<high>[unit], e.g. model.latency=0..5000ms (got 'model.latency=5000')",
    );
    expect(parseSweep('model.latency=50..5')).toBe('--sweep model.latency=50..5: the high end must be above the low end');
  });
});
