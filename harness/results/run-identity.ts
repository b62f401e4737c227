import type { RunResult } from './result-types.ts';

/**
 * What makes two result files the same run (a file given twice, or a copy): scenario, its hash, start time,
 * seed and label. `compare` refuses such a pair; `trend` counts it once.
 */
export function runIdentity(result: RunResult): string {
  const { scenario, scenario_hash, started_at, seed, label } = result.run;
  return JSON.stringify([scenario, scenario_hash, started_at, seed, label]);
}
