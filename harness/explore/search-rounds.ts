/**
 * Rounds of a search for distinct failures (`shakedown explore --failures N`): fast-check stops at the first
 * failure and shrinks it, so a failure every build shares (a slow retrieval service both twins turn into 503s)
 * hides the one a user is looking for. After each failure found, the next round searches the space less the
 * (dependency, kind) choices known to fail: those of the minimal schedule, and of every one-fault schedule the
 * shrink confirmed failing on its way there (a kind that fails alone needs no second round to show it). Each round
 * searches with the whole budget left, but its shrink may take only an equal share of it (a shrink that refines an
 * intensity for minutes would starve the rounds after it; what it keeps is the smallest failure confirmed so far),
 * until N failures are found, a round finds none, the space is used up or the budget is spent.
 *
 * With `--cover` (`searchAlone`), a round per choice comes first: the choice alone at its harshest, shrunk when it
 * fails. Random schedules of many kinds rarely draw one particular kind (a generic space of 25 choices drew no
 * `retrieval.stale` in 25 trials), so a failure only that kind causes can hide behind the failures every build
 * shares; the cover round names every kind that fails alone in one trial each. Each such shrink may take, when it
 * starts, the budget left less what the cover's remaining trials are expected to cost (`meanTrial_ms`), shared
 * among the failures still to find. The open rounds follow without the kinds that failed alone, while fewer
 * than N failures are found.
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
  /** A cover round (`searchAlone`): the choice it tried alone. */
  alone?: KindChoice;
}

export interface SearchRoundsOptions<F extends KindChoice> {
  choices: readonly KindChoice[];
  maxFailures: number;
  budget_ms: number;
  /** Searches `choices` within `budget_ms` (at least 1 ms), shrinking a failure for at most `shrinkBudget_ms`. */
  search: (choices: KindChoice[], budget_ms: number, round: number, shrinkBudget_ms: number) => Promise<SearchResult<F[]>>;
  /** Tries `choice` alone (a cover round); a failure is shrunk for at most what `shrinkBudget_ms()` says then. */
  searchAlone?: (choice: KindChoice, budget_ms: number, round: number, shrinkBudget_ms: () => number) => Promise<SearchResult<F[]>>;
  /** The mean cost of a trial so far (the cover's reserve for its trials still to run); 0 before any. */
  meanTrial_ms?: () => number;
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
  const failures = () => rounds.filter((r) => r.found.counterexample).length;
  /** Records a round; false when the rounds must stop (onRound said so). */
  const record = (found: SearchResult<F[]>, alone?: KindChoice): boolean => {
    const failingAlone = unique(found.shrinkPath.filter((s) => s.length === 1).map((s) => s[0]));
    const r: SearchRound<F> = { round: rounds.length + 1, excluded, found, failingAlone, ...(alone ? { alone } : {}) };
    rounds.push(r);
    if (o.onRound?.(r) === false) return false;
    if (found.counterexample) excluded = unique([...excluded, ...found.counterexample, ...failingAlone]);
    return true;
  };
  if (o.searchAlone) {
    for (const [i, choice] of o.choices.entries()) {
      const left = o.budget_ms - (now() - started);
      if (left <= 0) return rounds;
      const share = () => {
        const reserved = (o.choices.length - i - 1) * (o.meanTrial_ms?.() ?? 0);
        return Math.max(1, (o.budget_ms - (now() - started) - reserved) / Math.max(1, o.maxFailures - failures()));
      };
      const alone = { on: choice.on, kind: choice.kind };
      if (!record(await o.searchAlone(alone, left, rounds.length + 1, share), alone)) return rounds;
    }
  }
  while (failures() < o.maxFailures) {
    const choices = o.choices.filter((c) => !excluded.some((e) => same(e, c)));
    if (choices.length === 0) break;
    const left = o.budget_ms - (now() - started);
    if (left <= 0) break;
    const found = await o.search(
      choices.map((c) => ({ on: c.on, kind: c.kind })),
      left,
      rounds.length + 1,
      Math.max(1, left / (o.maxFailures - failures())),
    );
    if (!record(found) || !found.counterexample) break;
  }
  return rounds;
}
