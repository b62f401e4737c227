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
  it('finds the shared failure and the one behind it, never leaves out a kind that does not fail, and stops when a round finds none', async () => {
    const rounds = await searchRounds({ choices: CHOICES, maxFailures: 5, budget_ms: 60_000, search });
    const key = (f: KindChoice) => `${f.on}.${f.kind}`;
    const found = rounds.flatMap((r) => [...(r.found.counterexample ?? []), ...r.failingAlone].map(key));
    expect(new Set(found)).toEqual(new Set(['retrieval.latency', 'model.rate_limit']));
    // Every failure shrinks to the one fault that fails, and is known to fail alone.
    for (const r of rounds.filter((r) => r.found.counterexample)) {
      expect(r.found.counterexample).toHaveLength(1);
      expect(r.failingAlone.map(key)).toContain(key(r.found.counterexample![0]));
    }
    // The last round searched model latency alone (both failing kinds left out) and found nothing.
    expect(rounds.at(-1)!.found.counterexample).toBeNull();
    expect(rounds.at(-1)!.excluded.map(key).sort()).toEqual(['model.rate_limit', 'retrieval.latency']);
    expect(rounds[0].excluded).toEqual([]);
  });

  it('stops at maxFailures, when the space is used up, and when onRound says so', async () => {
    expect(await searchRounds({ choices: CHOICES, maxFailures: 1, budget_ms: 60_000, search })).toHaveLength(1);
    const failingOnly = CHOICES.slice(0, 2);
    const used = await searchRounds({ choices: failingOnly, maxFailures: 5, budget_ms: 60_000, search });
    expect(used.map((r) => r.found.counterexample !== null)).toEqual([true, true]);
    const stopped = await searchRounds({ choices: CHOICES, maxFailures: 5, budget_ms: 60_000, search, onRound: () => false });
    expect(stopped).toHaveLength(1);
  });

  it('searches each round with the budget left and gives its shrink an equal share of it', async () => {
    let clock = 0;
    const calls: Array<[number, number]> = [];
    await searchRounds({
      choices: CHOICES,
      maxFailures: 4,
      budget_ms: 1000,
      now: () => clock,
      search: async (choices, budget_ms, _round, shrinkBudget_ms) => {
        calls.push([budget_ms, shrinkBudget_ms]);
        clock += 100;
        return search(choices, 60_000);
      },
    });
    // Round 1: 1000 left, shrink 1000 / 4; round 2: 900 left, shrink 900 / 3.
    expect(calls.slice(0, 2)).toEqual([
      [1000, 250],
      [900, 300],
    ]);
  });

  it('stops once the budget is spent', async () => {
    let clock = 0;
    const rounds = await searchRounds({
      choices: CHOICES,
      maxFailures: 4,
      budget_ms: 1000,
      now: () => clock,
      search: async (choices) => {
        clock += 1000;
        return search(choices, 60_000);
      },
    });
    expect(rounds).toHaveLength(1);
  });

  it('with cover rounds, tries every choice alone first, then searches the space without those that failed', async () => {
    const tried: string[] = [];
    const rounds = await searchRounds({
      choices: CHOICES,
      maxFailures: 5,
      budget_ms: 60_000,
      search: (choices, budget_ms) => {
        tried.push(`open: ${choices.map((c) => `${c.on}.${c.kind}`).join(' ')}`);
        return search(choices, budget_ms);
      },
      searchAlone: (choice, budget_ms) => {
        tried.push(`alone: ${choice.on}.${choice.kind}`);
        return search([choice], budget_ms);
      },
    });
    expect(tried).toEqual(['alone: retrieval.latency', 'alone: model.rate_limit', 'alone: model.latency', 'open: model.latency']);
    expect(rounds.map((r) => [r.alone ? `${r.alone.on}.${r.alone.kind}` : 'open', r.found.counterexample !== null])).toEqual([
      ['retrieval.latency', true],
      ['model.rate_limit', true],
      ['model.latency', false],
      ['open', false],
    ]);
    // Every cover round ran however many failures were asked for; the open round only while fewer were found.
    const one = await searchRounds({ choices: CHOICES, maxFailures: 1, budget_ms: 60_000, search, searchAlone: (c, b) => search([c], b) });
    expect(one.map((r) => r.alone?.kind ?? 'open')).toEqual(['latency', 'rate_limit', 'latency']);
  });

  it("gives a cover round's shrink, when it starts, the budget left less the cover's remaining trials, shared among the failures still to find", async () => {
    let clock = 0;
    const calls: Array<[number, number]> = [];
    await searchRounds({
      choices: CHOICES,
      maxFailures: 2,
      budget_ms: 10_000,
      now: () => clock,
      meanTrial_ms: () => 100,
      search: async (choices) => search(choices, 60_000),
      searchAlone: async (choice, budget_ms, _round, shrinkBudget_ms) => {
        clock += 300; // the harsh trial and its confirmation ran
        calls.push([budget_ms, shrinkBudget_ms()]);
        const found = await search([choice], 60_000);
        clock += 1000;
        return found;
      },
    });
    // Round 1 at 300 ms: 9700 left, 2 cover trials of 100 ms reserved, 2 failures to find: 9500 / 2.
    // Round 2 at 1600 ms: 8400 left, 1 trial reserved, 1 failure to find (retrieval.latency failed).
    expect(calls.slice(0, 2)).toEqual([
      [10_000, 4750],
      [8700, 8300],
    ]);
  });
});
