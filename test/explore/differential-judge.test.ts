import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { differentialJudge, type SideVerdict } from '../../harness/explore/differential-judge.ts';
import { searchSchedules } from '../../harness/explore/search-schedules.ts';

/**
 * Two synthetic builds over schedules of one fault, a severity 0–100: every build fails from severity 80 (the
 * dependency is effectively down), the candidate alone from 30 (its bug).
 */
const side =
  (breaksAt: number) =>
  async (severity: number): Promise<SideVerdict> =>
    severity >= breaksAt ? { passed: false, failed: [`fault.error_rate at ${severity}`] } : { passed: true, failed: [] };

describe('explore --reference: the differential judgement', () => {
  it('fails only where the reference passes, keeps what both fail as shared, and runs the reference only after a failure', async () => {
    const referenceRuns: number[] = [];
    const judge = differentialJudge(side(30), async (s: number) => {
      referenceRuns.push(s);
      return side(80)(s);
    });
    expect(await judge(10)).toEqual({ passed: true, summary: '' });
    expect(await judge(50)).toEqual({ passed: false, summary: 'fault.error_rate at 50' });
    expect(await judge(90)).toEqual({
      passed: true,
      summary: 'shared: the reference fails too (fault.error_rate at 90)',
      shared: { candidate: ['fault.error_rate at 90'], reference: ['fault.error_rate at 90'] },
    });
    expect(referenceRuns).toEqual([50, 90]);
  });

  it('steers the search past the shared failure to the smallest schedule only the candidate fails', async () => {
    const found = await searchSchedules({
      arbitrary: fc.integer({ min: 0, max: 100 }),
      judge: differentialJudge(side(30), side(80)),
      seed: 4,
      examples: [95],
      trials: 200,
      budget_ms: 60_000,
    });
    expect(found.counterexample).toBe(30);
    // The harshest schedule first: both fail it, so it is a pass (shared) and no accepted step is shared.
    expect(found.trials[0]).toMatchObject({ value: 95, failed: false });
    expect(found.trials[0].runs[0].summary).toMatch(/^shared: /);
    expect(found.shrinkPath.length).toBeGreaterThan(0);
    expect(found.shrinkPath.every((s) => s >= 30 && s < 80)).toBe(true);
  });
});
