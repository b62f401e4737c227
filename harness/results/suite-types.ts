/**
 * `suite.json`: what a suite (`shakedown run <folder>`, one shard of it, or `shakedown merge`) ran, each
 * scenario's exit code and where its results.json is. The run results themselves stay in their run folders
 * (paths relative to the suite folder), so a suite folder can be moved, uploaded and merged as a whole.
 */
import type { RunResult } from './result-types.ts';

export const SUITE_SCHEMA_VERSION = 1;
export const SUITE_FILE = 'suite.json';

export interface SuiteRunEntry {
  /** Shard key: the scenario file's path relative to the folder given to `run` (sorted by it). */
  key: string;
  /** The scenario file as shown (relative to the current folder when the suite ran). */
  scenario_file: string;
  /** The scenario's name, or null when the file did not load. */
  scenario: string | null;
  /** The exit code `shakedown run <file>` gives for this scenario alone (0, 1, 2, 3 or 130). */
  exit_code: number;
  /** Its results.json relative to the suite folder, or null when no run folder was written. */
  results: string | null;
  /** What went wrong when the run could not give a verdict (invalid scenario, infrastructure), else null. */
  error: string | null;
}

export interface SuiteSummary {
  schemaVersion: typeof SUITE_SCHEMA_VERSION;
  kind: 'suite';
  label: string;
  /** The shard this folder holds, or null for a whole suite (also a merged one). */
  shard: { index: number; total: number } | null;
  /** For a merged suite: the shards joined (`i/N`), and the ones missing from `1..N`. */
  merged: { shards: string[]; missing: string[] } | null;
  started_at: string;
  ended_at: string;
  /** The worst of the runs' exit codes (130 > 3 > 2 > 1 > 0); 3 when a merged suite misses a shard. */
  exit_code: number;
  /** Entries not run because the suite was interrupted first (their keys). */
  not_run: string[];
  runs: SuiteRunEntry[];
}

/** A suite entry with its result read (null when it has none or it could not be read). */
export interface SuiteRun {
  entry: SuiteRunEntry;
  result: RunResult | null;
}

/** Exit codes from least to most severe: a suite exits with the most severe of its runs. */
export const EXIT_SEVERITY: readonly number[] = Object.freeze([0, 1, 2, 3, 130]);

/** The most severe of the exit codes (0 for none); an unknown code counts as 3. */
export function worstExitCode(codes: Iterable<number>): number {
  let worst = 0;
  const rank = (c: number) => (EXIT_SEVERITY.includes(c) ? EXIT_SEVERITY.indexOf(c) : EXIT_SEVERITY.indexOf(3));
  for (const c of codes) if (rank(c) > rank(worst)) worst = EXIT_SEVERITY.includes(c) ? c : 3;
  return worst;
}
