/**
 * `shakedown explore` end to end as spawned processes: the careless summarizer (no model timeout) against a
 * generic model fault space (test/fixtures/scenarios/explore-summarizer.ts), with the careful summarizer as the
 * `--reference` (explore-summarizer-careful.ts). The search must find a failing schedule the reference passes
 * within a 50 s budget, shrink it to at most two faults on the model, and write a scenario that `shakedown run`
 * fails with exit 1. About 70 s on two busy cores.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExploreResult } from '../../harness/results/explore-types.ts';
import { removeTempDirs, ROOT, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'harness/cli/bin.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, SHAKEDOWN_TWIN: 'careless', NO_COLOR: '1' }, timeout: 100_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('shakedown explore', () => {
  it('finds a schedule the careless summarizer fails and the careful reference passes, shrinks it and writes a scenario that run fails', async () => {
    const out = tempDir('shakedown-explore-');
    const explored = await cli([
      'explore',
      'test/fixtures/scenarios/explore-summarizer.ts',
      '--seed',
      '1',
      '--budget',
      '50s',
      '--trials',
      '30',
      '--reference',
      'test/fixtures/scenarios/explore-summarizer-careful.ts',
      '--out',
      out,
    ]);
    expect(explored.stderr).toBe('');
    expect(explored.code).toBe(1);
    expect(explored.stdout).toContain(
      'shakedown explore: explore-summarizer (test/fixtures/scenarios/explore-summarizer.ts), seed 1 (replay with --seed 1)',
    );
    expect(explored.stdout).toMatch(
      /replay the search: shakedown explore test\/fixtures\/scenarios\/explore-summarizer.ts --seed 1 --path \d+(:\d+)*/,
    );
    expect(explored.stdout).toContain(
      'reference: explore-summarizer-careful (test/fixtures/scenarios/explore-summarizer-careful.ts); a failure counts only when the reference passes the same schedule',
    );
    expect(explored.stdout).toMatch(/\d+ schedules? failed the reference too \(shared, not counted/);

    const folder = join(out, 'explore-summarizer', readdirSync(join(out, 'explore-summarizer'))[0]);
    const result = JSON.parse(readFileSync(join(folder, 'explore.json'), 'utf8')) as ExploreResult;
    const failure = result.search!.failure!;
    expect(failure.minimal.length).toBeGreaterThanOrEqual(1);
    expect(failure.minimal.length).toBeLessThanOrEqual(2);
    expect(failure.minimal.every((f) => f.on === 'model')).toBe(true);
    expect(failure.shrink_path[0]).toEqual(failure.first);
    expect(failure.shrink_path.at(-1)).toEqual(failure.minimal);
    expect(failure.verdicts.some((v) => !v.passed && v.selector === 'fault')).toBe(true);
    const confirmed = result.search!.trials.filter((t) => t.failed);
    expect(confirmed.length).toBe(failure.shrink_path.length);
    // The reference ran every confirmed failure and passed it; what it failed too is kept apart, never a failure.
    expect(result.reference!.scenario).toBe('explore-summarizer-careful');
    for (const s of result.reference!.shared)
      expect(confirmed.some((t) => JSON.stringify(t.schedule) === JSON.stringify(s.schedule))).toBe(false);
    // Each run of a confirmed failure ran the reference once.
    expect(result.reference!.trials).toBeGreaterThanOrEqual(2 * confirmed.length);
    expect(confirmed.every((t) => t.runs.length === 2 && t.runs.every((r) => !r.passed))).toBe(true);
    expect(result.timings_ms.per_trial_mean).toBeGreaterThan(0);
    expect(existsSync(join(folder, 'explore.html'))).toBe(true);

    const replay = await cli(['run', failure.scenario_file!, '--out', out, '--quiet']);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain('shakedown: explore-summarizer-explored');
    expect(replay.stdout).toMatch(/fault: (timeout_rate < 1%|p99_ms < 3000)\s+│[^\n]*FAIL/);
  }, 120_000);
});
