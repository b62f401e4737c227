import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchRounds, type KindChoice } from '../../harness/explore/search-rounds.ts';
import { searchSchedules } from '../../harness/explore/search-schedules.ts';

const CHOICES: KindChoice[] = [
  { on: 'retrieval', kind: 'latency' },
  { on: 'model', kind: 'rate_limit' },
  { on: 'model', kind: 'latency' },
];

/**
 * A synthetic service: any schedule with retrieval latency fails (a failure every build shares), and so does one
 * with a model rate limit (the bug); model latency alone never fails. Schedules are 1–2 faults of the choices given.
 */
function search(choices: KindChoice[], budget_ms: number) {
  return searchSchedules({
    arbitrary: fc.array(fc.constantFrom(...choices), { minLength: 1, maxLength: 2 }),
    judge: async (schedule) => {
      const failing = schedule.filter((f) => f.kind !== 'latency' || f.on === 'retrieval');
      return { passed: failing.length === 0, summary: failing.map((f) => `${f.on}.${f.kind}`).join(', ') };
    },
    seed: 3,
    trials: 60,
    budget_ms,
  });
}

describe('searchRounds (explore --failures N)', () => {
  it('finds the shared failure and then, without its kind, the one behind it; stops when a round finds none', async () => {
    const rounds = await searchRounds({ choices: CHOICES, maxFailures: 5, budget_ms: 60_000, search });
    const minimal = rounds.map((r) => r.found.counterexample);
    expect(rounds.map((r) => r.round)).toEqual([1, 2, 3]);
    // Each failure shrinks to the one fault that fails; which comes first is up to the generator.
    expect(minimal.slice(0, 2).map((m) => m!.map((f) => `${f.on}.${f.kind}`))).toEqual(
      expect.arrayContaining([['retrieval.latency'], ['model.rate_limit']]),
    );
    expect(minimal[2]).toBeNull(); // model latency alone never fails
    expect(rounds[0].excluded).toEqual([]);
    expect(rounds[1].excluded).toEqual([{ on: minimal[0]![0].on, kind: minimal[0]![0].kind }]);
    expect(rounds[2].excluded).toHaveLength(2);
  });

  it('stops at maxFailures, when the space is used up, and when onRound says so', async () => {
    expect(await searchRounds({ choices: CHOICES, maxFailures: 1, budget_ms: 60_000, search })).toHaveLength(1);
    const failingOnly = CHOICES.slice(0, 2);
    const used = await searchRounds({ choices: failingOnly, maxFailures: 5, budget_ms: 60_000, search });
    expect(used.map((r) => r.found.counterexample !== null)).toEqual([true, true]);
    const stopped = await searchRounds({ choices: CHOICES, maxFailures: 5, budget_ms: 60_000, search, onRound: () => false });
    expect(stopped).toHaveLength(1);
  });

  it('gives each round the budget left, and stops once a round spent it', async () => {
    let clock = 0;
    const budgets: number[] = [];
    const rounds = await searchRounds({
      choices: CHOICES,
      maxFailures: 5,
      budget_ms: 1000,
      now: () => clock,
      search: async (choices, budget_ms, round) => {
        budgets.push(budget_ms);
        clock += 400;
        const found = await search(choices, 60_000);
        return round === 2 ? { ...found, budgetExhausted: true } : found;
      },
    });
    expect(budgets).toEqual([1000, 600]);
    expect(rounds).toHaveLength(2);
  });
});
