/**
 * explore.json: what `shakedown explore` did and found. Faults are plain data as a scenario writes them (at and
 * for in ms), each with its one-line description; verdicts are the run result's SLO verdicts.
 */
import type { SloVerdict } from './result-types.ts';

export interface ExploredFault {
  on: string;
  kind: string;
  /** 0..100, mild to harsh end of the space's range. */
  severity: number;
  intensity: number;
  at_ms: number;
  for_ms: number;
  description: string;
}

export interface ExploreTrial {
  index: number;
  stage: 'search' | 'shrink';
  schedule: ExploredFault[];
  /**
   * One entry per run (the first and its confirmations): passed, and the failed SLOs as `phase.metric actual`;
   * `shared`: with `--reference`, the candidate failed and so did the reference (a pass for the search).
   */
  runs: Array<{ passed: boolean; failed: string[]; shared?: boolean }>;
  failed: boolean;
  /** When its last run ended, ms since the search started (the stack's start counts in the first trial). */
  ended_ms: number;
  /** With `--failures` above 1 or `--cover`: the round it ran in (1-based; cover rounds first). */
  round?: number;
}

/** A failing schedule the search found, shrunk. */
export interface ExploreFailure {
  /** fast-check's path (`--path`) that replays it with the seed; null for a later round (a smaller space). */
  path: string | null;
  first: ExploredFault[];
  shrink_path: ExploredFault[][];
  minimal: ExploredFault[];
  verdicts: SloVerdict[];
  /** The written scenario; null when the search was interrupted (the schedule was not shrunk to the end). */
  scenario_file: string | null;
  /** The (dependency, kind) choices left out of the space for its round: those of the failures found before. */
  excluded?: Array<{ on: string; kind: string }>;
  /** Kinds the round confirmed failing in a one-fault schedule on the way (the shrink path's), the minimal's included. */
  failing_alone?: Array<{ on: string; kind: string }>;
  /** `cover`: found by a cover round (`--cover`: its kind alone, from its harshest schedule); absent: the open search. */
  found_by?: 'cover';
}

export interface ExploreSweepPoint {
  intensity: number;
  failed: boolean;
  runs: Array<{ passed: boolean; failed: string[]; values: Record<string, number | null> }>;
}

export interface ExploreResult {
  schemaVersion: 1;
  scenario: string;
  scenario_file: string;
  seed: number;
  started_at: string;
  ended_at: string;
  options: {
    trials: number;
    budget_ms: number;
    confirm_runs: number;
    restart_per_trial: boolean;
    path: string | null;
    /** `--cover`: each choice was tried alone first. */
    cover?: boolean;
  };
  space: {
    choices: Array<{ on: string; kind: string; range: [number, number]; unit: string }>;
    maxFaults: number;
    window_ms: [number, number];
    trial_ms: number;
  };
  /** SLOs of the scenario a trial cannot judge (named fault phases). */
  dropped_slos: string[];
  timings_ms: { start_stack: number; trials_total: number; per_trial_mean: number | null; total: number };
  /**
   * True when the search or sweep was interrupted (Ctrl-C, SIGTERM): `search.trials` (or `sweep.points`) hold the
   * trials that ran, and `search.failure` the smallest failing schedule found so far, if any (not shrunk further).
   */
  interrupted?: boolean;
  /**
   * `--reference`: the reference build's scenario, and every schedule the candidate failed and the reference failed
   * too (not counted as failures), with what each side failed.
   */
  reference?: {
    scenario: string;
    scenario_file: string;
    /** Runs of the reference (one for each run the candidate failed). */
    trials: number;
    shared: Array<{ schedule: ExploredFault[]; candidate: string[]; reference: string[] }>;
  };
  search: {
    trials: ExploreTrial[];
    skipped: number;
    budget_exhausted: boolean;
    /** The first failure found (`failures[0]`), or null. */
    failure: null | ExploreFailure;
    /** Every failure found, one a round (`--failures N`); absent in files written before it. */
    failures?: ExploreFailure[];
  } | null;
  sweep: null | {
    on: string;
    kind: string;
    unit: string;
    low: number;
    high: number;
    repeats: number;
    width: number;
    breaking: number | null;
    bracket: [number, number] | null;
    slo: string | null;
    note: string;
    points: ExploreSweepPoint[];
  };
}
