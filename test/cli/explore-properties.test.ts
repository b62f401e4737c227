/**
 * `shakedown explore` with a property (a function of the trial result) instead of SLOs, and interrupted with
 * SIGINT mid-search: spawned processes, the careless summarizer (test/fixtures/scenarios/explore-property.ts).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExploreResult } from '../../harness/results/explore-types.ts';
import { removeTempDirs, ROOT, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

const SCENARIO = 'test/fixtures/scenarios/explore-property.ts';
const readResult = (out: string) => {
  const folder = join(out, 'explore-property', readdirSync(join(out, 'explore-property'))[0]);
  return { folder, result: JSON.parse(readFileSync(join(folder, 'explore.json'), 'utf8')) as ExploreResult };
};

describe('shakedown explore with properties', () => {
  it('finds a schedule that breaks the property and names it; with --cover, each kind alone first', async () => {
    const out = tempDir('shakedown-explore-');
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          join(ROOT, 'harness/cli/bin.ts'),
          'explore',
          SCENARIO,
          '--seed',
          '2',
          '--budget',
          '36s',
          '--trials',
          '6',
          '--confirm',
          '0',
          '--cover',
          '--out',
          out,
        ],
        { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 100_000 },
        (error, stdout) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout }),
      );
    });
    expect(code, stdout).toBe(1);
    expect(stdout).toMatch(/fails: property fault-requests-succeed: \d+ fault-phase requests failed/);
    // The cover: model.timeout (the space's first choice) alone at its harshest, a 2 s hold from the end of the
    // 1 s baseline, fails the property and is shrunk; the line after the cover names every kind that failed alone.
    expect(stdout).toContain('Cover: each of the 3 choices alone at its harshest (shrunk when it fails)');
    expect(stdout).toMatch(
      /\[trial 1, 1 failing\] search FAIL ×1: model: timeout hold \(no data, closed when removed\) downstream from 1s for 2s/,
    );
    expect(stdout).toContain('Minimal failing schedule #1 (cover: model.timeout alone)');
    expect(stdout).toMatch(/Cover: [1-3] of 3 choices fail alone: model\.timeout/);
    const { result } = readResult(out);
    expect(result.options.cover).toBe(true);
    expect(result.search!.failure!.found_by).toBe('cover');
    expect(result.search!.failure!.path).toBeNull();
    expect(result.search!.failure!.minimal).toEqual([expect.objectContaining({ on: 'model', kind: 'timeout' })]);
    expect(result.search!.trials.every((t) => t.round !== undefined && t.round <= 3)).toBe(true);
    expect(
      result.search!.trials.some((t) => t.runs.some((r) => r.failed.some((f) => f.startsWith('property fault-requests-succeed:')))),
    ).toBe(true);
  }, 120_000);

  it('writes explore.json and explore.html marked interrupted on SIGINT, with the trials that ran, and exits 130', async () => {
    const out = tempDir('shakedown-explore-');
    const child = spawn(
      process.execPath,
      [join(ROOT, 'harness/cli/bin.ts'), 'explore', SCENARIO, '--seed', '2', '--budget', '90s', '--out', out],
      {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Interrupt once the first trial has been reported (a second is then under way).
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no trial reported in 60 s:\n${stdout}`)), 60_000);
      child.stdout.on('data', (d) => {
        stdout += d;
        if (/\[trial 1,/.test(stdout)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    const code = await exited;
    expect(code, `${stdout}\n${stderr}`).toBe(130);
    const { folder, result } = readResult(out);
    expect(result.interrupted).toBe(true);
    expect(result.search!.trials.length).toBeGreaterThanOrEqual(1);
    expect(result.search!.trials.every((t) => t.runs.every((r) => r.failed.every((f) => f !== 'not run')))).toBe(true);
    expect(existsSync(join(folder, 'explore.html'))).toBe(true);
    expect(stderr).toContain('explore interrupted:');
  }, 120_000);
});
