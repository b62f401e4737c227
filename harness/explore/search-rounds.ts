/**
 * Rounds of a search for distinct failures (`shakedown explore --failures N`): fast-check stops at the first
 * failure and shrinks it, so a failure every build shares (a slow retrieval service both twins turn into 503s)
 * hides the one a user is looking for. After each failure found, the next round searches the space less the
 * (dependency, kind) choices known to fail: those of the minimal schedule, and of every one-fault schedule the
 * shrink confirmed failing on its way there (a kind that fails alone needs no second round to show it). Each round
 * searches with the whole budget left, but its shrink may take only an equal share of it (a shrink that refines an
 * intensity for minutes would starve the rounds after it; what it keeps is the smallest failure confirmed so far),
 * until N failures are found, a round finds none, the space is used up or the budget is spent.
 */
import type { SearchResult } from './search-schedules.ts';

/** One choice of the space: a fault kind on a dependency. */
export interface KindChoice {
  on: string;
  kind: string;
}

export interface SearchRound<F extends KindChoice> {
  /** 1-based. */
  round: number;
  /** Choices left out of this round's space: those of the failures of earlier rounds. */
  excluded: KindChoice[];
  found: SearchResult<F[]>;
  /** Kinds whose one-fault schedules the round confirmed failing (the shrink path's, the minimal's included). */
  failingAlone: KindChoice[];
}

export interface SearchRoundsOptions<F extends KindChoice> {
  choices: readonly KindChoice[];
  maxFailures: number;
  budget_ms: number;
  /** Searches `choices` within `budget_ms` (at least 1 ms), shrinking a failure for at most `shrinkBudget_ms`. */
  search: (choices: KindChoice[], budget_ms: number, round: number, shrinkBudget_ms: number) => Promise<SearchResult<F[]>>;
  /** Called after each round; `false` stops the rounds (a fatal error). */
  onRound?: (r: SearchRound<F>) => boolean | void;
  now?: () => number;
}

export async function searchRounds<F extends KindChoice>(o: SearchRoundsOptions<F>): Promise<SearchRound<F>[]> {
  const now = o.now ?? (() => performance.now());
  const started = now();
  const rounds: SearchRound<F>[] = [];
  let excluded: KindChoice[] = [];
  const same = (a: KindChoice, b: KindChoice) => a.on === b.on && a.kind === b.kind;
  const unique = (list: KindChoice[]) =>
    list.filter((f, i) => list.findIndex((g) => same(g, f)) === i).map((f) => ({ on: f.on, kind: f.kind }));
  while (rounds.length < o.maxFailures) {
    const choices = o.choices.filter((c) => !excluded.some((e) => same(e, c)));
    if (choices.length === 0) break;
    const left = o.budget_ms - (now() - started);
    if (left <= 0) break;
    const found = await o.search(
      choices.map((c) => ({ on: c.on, kind: c.kind })),
      left,
      rounds.length + 1,
      Math.max(1, left / (o.maxFailures - rounds.length)),
    );
    const failingAlone = unique(found.shrinkPath.filter((s) => s.length === 1).map((s) => s[0]));
    const r: SearchRound<F> = { round: rounds.length + 1, excluded, found, failingAlone };
    rounds.push(r);
    if (o.onRound?.(r) === false || !found.counterexample) break;
    excluded = unique([...excluded, ...found.counterexample, ...failingAlone]);
  }
  return rounds;
}
