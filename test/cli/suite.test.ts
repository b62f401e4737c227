/**
 * A suite end to end, through the CLI's programmatic entry with the real Toxiproxy, fakes and SUT: the two
 * scenarios of test/fixtures/suite (2 s of load each; one meets its SLO, one fails it) run as two shards,
 * merged, then compared against a second, unsharded run of the same suite.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { removeTempDirs, runCli, tempDir } from './helpers.ts';
import type { SuiteSummary } from '../../harness/results/suite-types.ts';

afterAll(removeTempDirs);

const readSummary = (dir: string) => JSON.parse(readFileSync(join(dir, 'suite.json'), 'utf8')) as SuiteSummary;

describe('shakedown run <folder>: a suite', () => {
  it('runs two shards, merges them into one report, and compares the merged suite with a second run', { timeout: 120_000 }, async () => {
    const root = tempDir();
    const shards = [join(root, 'shard-1'), join(root, 'shard-2')];
    const results = [];
    for (const [i, out] of shards.entries())
      results.push(await runCli(['run', 'test/fixtures/suite', '--shard', `${i + 1}/2`, '--out', out, '--quiet']));
    // Sorted round-robin by path in the folder: suite-fail.ts is shard 1, suite-pass.ts shard 2.
    expect(
      results.map((r) => r.code),
      results.map((r) => r.stdout + r.stderr).join('\n'),
    ).toEqual([1, 0]);
    expect(results[0].stdout).toContain('shakedown suite shard 1/2: 1 of 2 scenarios into');
    expect(readSummary(shards[0]).runs.map((r) => [r.key, r.scenario, r.exit_code])).toEqual([['suite-fail.ts', 'suite-fail', 1]]);
    expect(readSummary(shards[1]).runs.map((r) => [r.key, r.scenario, r.exit_code])).toEqual([['suite-pass.ts', 'suite-pass', 0]]);
    for (const dir of shards) for (const f of ['index.html', 'junit.xml', 'summary.md']) expect(existsSync(join(dir, f))).toBe(true);

    const merged = join(root, 'merged');
    const merge = await runCli(['merge', ...shards, '--out', merged]);
    expect(merge.code, merge.stderr).toBe(1);
    expect(merge.stdout).toContain('suite: 2 runs, 1 SLO failed, 1 passed; exit 1');
    const summary = readSummary(merged);
    expect(summary.merged).toEqual({ shards: ['1/2', '2/2'], missing: [] });
    for (const r of summary.runs) expect(existsSync(join(merged, r.results!.replace(/results\.json$/, 'report.html')))).toBe(true);
    const junit = readFileSync(join(merged, 'junit.xml'), 'utf8');
    expect(XMLValidator.validate(junit)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(junit);
    expect([xml.testsuites['@_tests'], xml.testsuites['@_failures'], xml.testsuites['@_errors']]).toEqual(['2', '1', '0']);
    expect(xml.testsuites.testsuite.map((s: Record<string, string>) => s['@_name'])).toEqual(['suite-fail', 'suite-pass']);

    const second = join(root, 'second');
    const again = await runCli(['run', 'test/fixtures/suite', '--out', second, '--quiet']);
    expect(again.code, again.stdout + again.stderr).toBe(1);
    expect(readSummary(second).runs.map((r) => r.scenario)).toEqual(['suite-fail', 'suite-pass']);

    const html = join(root, 'compare.html');
    const compare = await runCli(['compare', merged, second, '--html', html]);
    expect(compare.code, compare.stderr).toBe(0);
    expect(compare.stdout).toMatch(/^Compare suite-fail: baseline /m);
    expect(compare.stdout).toMatch(/^Compare suite-pass: baseline /m);
    expect(existsSync(html)).toBe(true);
  });

  it('refuses a suite with an invalid scenario before starting anything, listing every problem, and a used --out', async () => {
    const root = tempDir();
    const { code, stdout, stderr } = await runCli([
      'run',
      'test/fixtures/scenarios/three-mistakes.ts',
      'test/fixtures/scenarios/short-latency.ts',
      '--out',
      root,
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^shakedown: 1 of 2 scenario files cannot run, nothing was started:\ntest\/fixtures\/scenarios\/three-mistakes\.ts/,
    );
    expect(existsSync(join(root, 'suite.json'))).toBe(false);
  });

  it('interrupted before its first run: runs nothing, lists every file as not run, exits 130 with an erroring JUnit case for each', async () => {
    const out = tempDir();
    const controller = new AbortController();
    controller.abort(new Error('interrupted by SIGINT'));
    const { code, stdout } = await runCli(['run', 'test/fixtures/suite', '--out', out], controller.signal);
    expect(code).toBe(130);
    expect(stdout).toContain('suite: 0 runs, 2 not run; exit 130');
    const summary = readSummary(out);
    expect(summary).toMatchObject({ exit_code: 130, not_run: ['suite-fail.ts', 'suite-pass.ts'], runs: [] });
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(out, 'junit.xml'), 'utf8'));
    expect(xml.testsuites['@_errors']).toBe('2');
  });
});
