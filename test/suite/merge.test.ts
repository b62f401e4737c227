/**
 * `shakedown merge` through the CLI's programmatic entry, with hand-made shard folders (suite.json and run
 * folders holding fixture results), and the suite exit-code precedence.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runCli, removeTempDirs, tempDir } from '../cli/helpers.ts';
import { makeResult } from '../reports/fixture-result.ts';
import { SUITE_SCHEMA_VERSION, worstExitCode, type SuiteSummary } from '../../harness/results/suite-types.ts';

afterAll(removeTempDirs);

/** A shard folder holding one run per scenario given (`exit` 1 makes its one SLO fail). */
function shardFolder(
  root: string,
  name: string,
  shard: { index: number; total: number } | null,
  runs: Array<{ scenario: string; exit: number; seed: number }>,
): string {
  const dir = join(root, name);
  const entries = runs.map(({ scenario, exit, seed }) => {
    const result = makeResult({ seed, seconds: 20 });
    result.run.scenario = scenario;
    result.run.started_at = `2026-12-04T21:0${seed}:00.000Z`;
    result.slos = [{ ...result.slos[0], passed: exit === 0 }];
    result.verdict = { passed: exit === 0, slos_total: 1, slos_failed: exit === 0 ? 0 : 1 };
    const runDir = join(dir, scenario, `2026-12-04-2100${seed}`);
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, 'results.json'), JSON.stringify(result));
    writeFileSync(join(runDir, 'report.html'), '<p>report</p>');
    return {
      key: `${scenario}.ts`,
      scenario_file: `scenarios/${scenario}.ts`,
      scenario,
      exit_code: exit,
      results: `${scenario}/2026-12-04-2100${seed}/results.json`,
      error: null,
    };
  });
  const summary: SuiteSummary = {
    schemaVersion: SUITE_SCHEMA_VERSION,
    kind: 'suite',
    label: 'nightly',
    shard,
    merged: null,
    started_at: '2026-12-04T21:00:00.000Z',
    ended_at: '2026-12-04T21:01:00.000Z',
    exit_code: worstExitCode(runs.map((r) => r.exit)),
    not_run: [],
    runs: entries,
  };
  writeFileSync(join(dir, 'suite.json'), JSON.stringify(summary));
  return dir;
}

describe('worstExitCode', () => {
  it('ranks 130 > 3 > 2 > 1 > 0, and an unknown code as 3', () => {
    expect(worstExitCode([])).toBe(0);
    expect(worstExitCode([0, 1, 0])).toBe(1);
    expect(worstExitCode([1, 2])).toBe(2);
    expect(worstExitCode([2, 3, 1])).toBe(3);
    expect(worstExitCode([3, 130, 0])).toBe(130);
    expect(worstExitCode([1, 42])).toBe(3);
  });
});

describe('shakedown merge', () => {
  it('joins two shards into one suite folder: runs copied, ordered by key, one JUnit with every SLO case, worst exit code', async () => {
    const root = tempDir();
    const a = shardFolder(root, 'shard-1', { index: 1, total: 2 }, [
      { scenario: 'alpha', exit: 0, seed: 1 },
      { scenario: 'gamma', exit: 0, seed: 3 },
    ]);
    const b = shardFolder(root, 'shard-2', { index: 2, total: 2 }, [{ scenario: 'beta', exit: 1, seed: 2 }]);
    const out = join(root, 'merged');
    const { code, stdout, stderr } = await runCli(['merge', a, b, '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toContain('suite: 3 runs, 2 passed, 1 SLO failed; exit 1');
    const summary = JSON.parse(readFileSync(join(out, 'suite.json'), 'utf8')) as SuiteSummary;
    expect(summary.runs.map((r) => [r.key, r.exit_code])).toEqual([
      ['alpha.ts', 0],
      ['beta.ts', 1],
      ['gamma.ts', 0],
    ]);
    expect(summary).toMatchObject({ shard: null, merged: { shards: ['1/2', '2/2'], missing: [] }, exit_code: 1, label: 'nightly' });
    for (const r of summary.runs) expect(existsSync(join(out, r.results!))).toBe(true);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(junit)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(junit);
    expect(xml.testsuites['@_tests']).toBe('3');
    expect(xml.testsuites['@_failures']).toBe('1');
    expect(xml.testsuites.testsuite.map((s: Record<string, string>) => s['@_name'])).toEqual(['alpha', 'beta', 'gamma']);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<a href="beta/2026-12-04-21002/report.html">report</a>');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('## ❌ Shakedown suite: 3 runs, 2 passed, 1 SLO failed; exit 1');
  });

  it('reports a missing shard in every report and exits 3', async () => {
    const root = tempDir();
    const a = shardFolder(root, 'shard-1', { index: 1, total: 3 }, [{ scenario: 'alpha', exit: 0, seed: 1 }]);
    const c = shardFolder(root, 'shard-3', { index: 3, total: 3 }, [{ scenario: 'gamma', exit: 0, seed: 3 }]);
    const out = join(root, 'merged');
    const { code, stderr } = await runCli(['merge', a, c, '--out', out]);
    expect(code).toBe(3);
    expect(stderr).toBe('shakedown: shard 2/3 missing from the merge: exit 3 (part of the suite did not report)\n');
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(out, 'junit.xml'), 'utf8'));
    expect(xml.testsuites['@_errors']).toBe('1');
    expect(xml.testsuites.testsuite.at(-1).testcase.error['@_message']).toBe('shard 2/3 is missing from the merge');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('shards missing: 2/3; exit 3');
  });

  it('refuses overlapping shards, shards of different splits and a non-empty --out, saying which', async () => {
    const root = tempDir();
    const a = shardFolder(root, 'a', { index: 1, total: 2 }, [{ scenario: 'alpha', exit: 0, seed: 1 }]);
    const b = shardFolder(root, 'b', { index: 1, total: 3 }, [{ scenario: 'alpha', exit: 0, seed: 2 }]);
    const overlap = await runCli(['merge', a, b, '--out', join(root, 'm')]);
    expect(overlap.code).toBe(2);
    expect(overlap.stderr).toBe(
      `shakedown: cannot merge:\n  the shards come from splits of different sizes (N = 2, 3); merge the shards of one run\n  ${a} and ${b} both hold shard 1/3\n  alpha.ts was run in both ${a} and ${b}\n`,
    );
    const busy = await runCli(['merge', a, '--out', b]);
    expect(busy.stderr).toBe(`shakedown: --out ${b} is not empty; pass a new or empty folder\n`);
    expect(busy.code).toBe(2);
  });

  it('names a folder that is not a suite', async () => {
    const root = tempDir();
    const { code, stderr } = await runCli(['merge', root, '--out', join(root, 'm')]);
    expect(code).toBe(2);
    expect(stderr).toBe(`shakedown: ${root}: no suite.json in it (pass a folder written by shakedown run <folder> or merge)\n`);
  });
});

describe('compare and trend with suite folders', () => {
  it('compare matches the runs of two suites by scenario and names a scenario only one suite ran', async () => {
    const root = tempDir();
    const first = shardFolder(root, 'monday', null, [
      { scenario: 'alpha', exit: 0, seed: 1 },
      { scenario: 'beta', exit: 0, seed: 2 },
    ]);
    const second = shardFolder(root, 'tuesday', null, [{ scenario: 'alpha', exit: 0, seed: 4 }]);
    const html = join(root, 'cmp.html');
    const { code, stdout, stderr } = await runCli(['compare', first, second, '--html', html]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`beta: only in ${first}, not compared\n`);
    expect(stdout).toContain(`Compare alpha: baseline`);
    expect(stdout).not.toContain('Compare beta');
    expect(existsSync(html)).toBe(true);
  });

  it('trend over a folder of suites charts every run once, a merged copy counted once', async () => {
    const root = tempDir();
    const a = shardFolder(root, 'shard-1', { index: 1, total: 2 }, [{ scenario: 'alpha', exit: 0, seed: 1 }]);
    const b = shardFolder(root, 'shard-2', { index: 2, total: 2 }, [{ scenario: 'beta', exit: 0, seed: 2 }]);
    expect((await runCli(['merge', a, b, '--out', join(root, 'merged')])).code).toBe(0);
    const { code, stdout } = await runCli(['trend', root, '--out', join(root, 'trend.html')]);
    expect(code).toBe(0);
    expect(stdout).toContain(`trend of 2 runs: ${join(root, 'trend.html')}`);
  });

  it('compare of two suites with no scenario in common says so', async () => {
    const root = tempDir();
    const first = shardFolder(root, 'monday', null, [{ scenario: 'alpha', exit: 0, seed: 1 }]);
    const second = shardFolder(root, 'tuesday', null, [{ scenario: 'beta', exit: 0, seed: 2 }]);
    expect(await runCli(['compare', first, second])).toEqual({
      code: 2,
      stdout: '',
      stderr: `shakedown: nothing to compare: no scenario has a run in two of the inputs\n  alpha: only in ${first}, not compared\n  beta: only in ${second}, not compared\n`,
    });
  });
});
