/**
 * `compare` and `trend` through the CLI's programmatic entry with hand-made result files, and one real run
 * of a short scenario that must leave report.html, junit.xml and summary.md beside results.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import { readRun, runCli, tempDir } from '../cli/helpers.ts';
import { makeResult } from './fixture-result.ts';

function writeResult(
  dir: string,
  name: string,
  o: Parameters<typeof makeResult>[0] = {},
  edit?: (r: ReturnType<typeof makeResult>) => void,
): string {
  const r = makeResult(o);
  edit?.(r);
  const file = join(dir, name, 'results.json');
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(file, JSON.stringify(r));
  return file;
}

describe('shakedown compare', () => {
  it('reads samples.ndjson beside each results.json, tests over requests, and names the worse metric when it gates', async () => {
    const dir = tempDir();
    const a = writeResult(dir, 'sa', { seed: 1, label: 'careful' });
    const b = writeResult(dir, 'sb', { seed: 2, label: 'careless' }, (r) => {
      r.run.seed = 2;
      r.phases[1].metrics.p95_ms = (r.phases[1].metrics.p95_ms ?? 0) + 2000;
    });
    const lines = (extra_ms: number) =>
      Array.from({ length: 30 }, (_, i) =>
        JSON.stringify({
          id: i + 1,
          phase: 'model-latency',
          latency_ms: 1000 + i + extra_ms,
          error_kind: null,
          start_ms: 10_000 + i * 100,
        }),
      ).join('\n');
    writeFileSync(join(dirname(a), 'samples.ndjson'), `${lines(0)}\n`);
    writeFileSync(join(dirname(b), 'samples.ndjson'), `${lines(2000)}\n`);
    const out = await runCli(['compare', a, b, '--html', join(dir, 'cmp.html'), '--fail-on-regression']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('--fail-on-regression: worse: model-latency p95_ms\n');
    expect(out.stdout).not.toContain('note: no samples.ndjson');
  });

  it('prints the table, writes the HTML, and exits 1 on a regression only with --fail-on-regression', async () => {
    const dir = tempDir();
    const a = writeResult(dir, 'a', { seed: 1, label: 'good' });
    const b = writeResult(dir, 'b', { seed: 2, label: 'slow', extraLatencyMs: 300 });
    const html = join(dir, 'cmp.html');
    const plain = await runCli(['compare', a, b, '--html', html]);
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('9 metrics worse, 0 better.');
    expect(plain.stdout).toContain(`comparison: ${html}`);
    expect(readFileSync(html, 'utf8')).toContain('data-verdict="worse"');
    expect((await runCli(['compare', a, b, '--html', html, '--fail-on-regression'])).code).toBe(1);
    const same = writeResult(dir, 'c', { seed: 3, label: 'same' });
    expect((await runCli(['compare', a, same, '--html', html, '--fail-on-regression'])).code).toBe(0);
    const cut = writeResult(dir, 'cut', { seed: 4, label: 'cut' }, (r) => {
      r.run.status = 'interrupted';
    });
    expect((await runCli(['compare', a, cut, '--html', html])).code).toBe(0);
    const gate = await runCli(['compare', a, cut, '--html', html, '--fail-on-regression']);
    expect(gate.code).toBe(1);
    expect(gate.stdout).toContain(
      `--fail-on-regression: ${cut} did not complete (interrupted); its untested phases could hide a regression, so this counts as one.`,
    );
  });

  it('refuses runs whose scenario hashes differ, saying why, unless --allow-different-scenarios', async () => {
    const dir = tempDir();
    const a = writeResult(dir, 'a');
    const b = writeResult(dir, 'b', {}, (r) => {
      r.run.scenario_hash = 'ffffffffffffffff';
    });
    const refused = await runCli(['compare', a, b, '--html', join(dir, 'x.html')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `shakedown: refusing to compare runs of different scenario files:\n  ${a} ran fixture-scenario (scenarios/fixture.ts, hash 0123456789abcdef)\n  ${b} ran fixture-scenario (scenarios/fixture.ts, hash ffffffffffffffff)\nThe scenario changed between these runs (its load, faults or SLOs may differ), so a difference could come from the scenario rather than the build. Pass --allow-different-scenarios to compare anyway.\n`,
    );
    expect((await runCli(['compare', a, b, '--html', join(dir, 'x.html'), '--allow-different-scenarios'])).code).toBe(0);
  });

  it('refuses to compare a run with itself, the same file twice or a copy (exit 2)', async () => {
    const dir = tempDir();
    const a = writeResult(dir, 'a');
    const copy = writeResult(dir, 'copy');
    for (const other of [a, copy]) {
      const out = await runCli(['compare', a, other, '--html', join(dir, 'x.html')]);
      expect(out.code).toBe(2);
      expect(out.stderr).toBe(
        `shakedown: ${a} and ${other} are the same run (fixture-scenario, started 2026-11-30T12:00:00.000Z): comparing a run with itself shows no difference by construction. Give results of different runs.\n`,
      );
    }
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
  });

  it('reads a schemaVersion 1 result, noting how its phases were counted, and refuses version 0', async () => {
    const dir = tempDir();
    const a = writeResult(dir, 'v1a', { seed: 1, label: 'old' }, (r) => {
      (r as { schemaVersion: number }).schemaVersion = 1;
    });
    const b = writeResult(dir, 'v2b', { seed: 2, label: 'new' });
    const out = await runCli(['compare', a, b, '--html', join(dir, 'x.html')]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(
      `note: ${a}: results schemaVersion 1: requests were counted in the phase they started in (now: the fault phase they overlapped) and no truncated outcome existed, so phase metrics may differ for that reason`,
    );
    const v0 = writeResult(dir, 'v0', { seed: 3 }, (r) => {
      (r as { schemaVersion: number }).schemaVersion = 0;
    });
    const refused = await runCli(['compare', a, v0]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`shakedown: ${v0}: has schemaVersion 0; this shakedown reads 1 and 2\n`);
  });

  it('exits 2 naming the file and the problem for bad input files', async () => {
    const dir = tempDir();
    const a = writeResult(dir, 'a');
    writeFileSync(join(dir, 'broken.json'), '{"schemaVersion": 1,');
    writeFileSync(join(dir, 'v9.json'), '{"schemaVersion": 9}');
    writeFileSync(join(dir, 'partial.json'), '{"schemaVersion": 1, "run": {"scenario": "x"}}');
    const cases: Array<[string, string]> = [
      [join(dir, 'missing.json'), `shakedown: ${join(dir, 'missing.json')}: no such file\n`],
      [
        join(dir, 'v9.json'),
        `shakedown: ${join(dir, 'v9.json')}: has schemaVersion 9; this shakedown reads 1 and 2 (the file was written by a newer shakedown: upgrade to read it)\n`,
      ],
      [
        join(dir, 'partial.json'),
        [
          `shakedown: ${join(dir, 'partial.json')}: is not a valid run result:`,
          '  run.id must be a string (got nothing)',
          '  run.scenario_hash must be a string (got nothing)',
          '  run.started_at must be a string (got nothing)',
          '  run.status must be one of "completed", "interrupted", "failed" (got nothing)',
          '  phases must be an array (got nothing)',
          '  series must be an array (got nothing)',
          '  faults must be an array (got nothing)',
          '  slos must be an array (got nothing)',
          '  verdict must be an object (got nothing)',
          '  health must be an object (got nothing)',
          'Pass a results.json written by shakedown run.\n',
        ].join('\n'),
      ],
    ];
    for (const [file, message] of cases) {
      const out = await runCli(['compare', a, file]);
      expect(out.code).toBe(2);
      expect(out.stderr).toBe(message);
    }
    const broken = await runCli(['compare', a, join(dir, 'broken.json')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(
      new RegExp(`^shakedown: ${join(dir, 'broken.json')}: is not valid JSON \\(.+\\); pass a results.json written by shakedown run\\n$`),
    );
    expect((await runCli(['compare', a])).stderr).toBe('shakedown: compare needs at least two results.json files (got 1)\n');
  });

  it('names the file and field of a metric that is "NaN" or a count that is null, without a stack trace (compare and trend)', async () => {
    const dir = tempDir();
    const a = writeResult(dir, 'a');
    const bad = writeResult(dir, 'bad', {}, (r) => {
      (r.phases[0].metrics as Record<string, unknown>).p95_ms = 'NaN';
      (r.verdict as unknown as Record<string, unknown>).slos_failed = null;
    });
    const expected = [
      `shakedown: ${bad}: is not a valid run result:`,
      '  phases[0].metrics.p95_ms must be a finite number (got "NaN")',
      '  verdict.slos_failed must be a finite number (got null)',
      'Pass a results.json written by shakedown run.\n',
    ].join('\n');
    const compared = await runCli(['compare', a, bad]);
    expect(compared).toEqual({ code: 2, stdout: '', stderr: expected });
    const trend = await runCli(['trend', dir]);
    expect(trend).toEqual({
      code: 2,
      stdout: '',
      stderr: `shakedown: 1 of 2 result files cannot be read:\n  ${expected.slice('shakedown: '.length)}`,
    });
  });

  it('strips terminal control characters that came from a results file before printing', async () => {
    const dir = tempDir();
    const a = writeResult(dir, 'a', { seed: 1, label: 'base' });
    const b = writeResult(dir, 'b', { seed: 2, label: 'evil\u001b[2J\u001b]0;owned\u0007' }, (r) => {
      r.health = { ...r.health, trusted: false, flags: ['\u001b[31mred\u009b'] };
    });
    const out = await runCli(['compare', a, b]);
    expect(out.code).toBe(0);
    expect(out.stdout + out.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(out.stdout).toContain('[31mred');
  });
});

describe('shakedown trend', () => {
  it('writes one page over a folder of nightly results, labelled by build label or git sha', async () => {
    const dir = tempDir();
    writeResult(dir, 'n1', { seed: 1, label: 'nightly-1' }, (r) => {
      r.run.started_at = '2026-11-28T02:00:00.000Z';
    });
    writeResult(dir, 'n2', { seed: 2, label: '' }, (r) => {
      r.run.started_at = '2026-11-29T02:00:00.000Z';
      r.run.git_sha = 'feedface0001';
    });
    writeResult(dir, 'n3', { seed: 3, label: 'nightly-3', extraLatencyMs: 200 }, (r) => {
      r.run.started_at = '2026-11-30T02:00:00.000Z';
    });
    const out = await runCli(['trend', dir]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`trend of 3 runs: ${join(dir, 'trend.html')}\n`);
    const html = readFileSync(join(dir, 'trend.html'), 'utf8');
    const charts = JSON.parse(/id="shakedown-charts">(.*?)<\/script>/s.exec(html)![1]).charts;
    expect(charts[0].xLabels).toEqual(['nightly-1', 'feedface0001', 'nightly-3']);
    expect((await runCli(['trend', join(dir, 'nope')])).stderr).toBe(`shakedown: ${join(dir, 'nope')}: no such folder\n`);
    // A run copied into a second folder counts once, and the copy is named.
    mkdirSync(join(dir, 'z-copy'));
    writeFileSync(join(dir, 'z-copy', 'results.json'), readFileSync(join(dir, 'n1', 'results.json')));
    const again = await runCli(['trend', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      `${join(dir, 'z-copy', 'results.json')} is the same run as ${join(dir, 'n1', 'results.json')}: counted once\ntrend of 3 runs: ${join(dir, 'trend.html')}\n`,
    );
  });
});

describe('shakedown run writes the reports', () => {
  it('leaves report.html, junit.xml and summary.md beside results.json', async () => {
    const out = tempDir();
    const run = await runCli(['run', 'test/fixtures/scenarios/short-latency.ts', '--seed', '7', '--out', out, '--quiet']);
    expect(run.stdout).toContain('reports: report.html, junit.xml, summary.md beside it');
    const { dir, result } = readRun(out, 'short-latency');
    for (const f of ['report.html', 'junit.xml', 'summary.md']) expect(existsSync(join(dir, f))).toBe(true);
    expect(XMLValidator.validate(readFileSync(join(dir, 'junit.xml'), 'utf8'))).toBe(true);
    expect((readFileSync(join(dir, 'junit.xml'), 'utf8').match(/<testcase /g) ?? []).length).toBe(result.slos.length);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('## ');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<h2>Per second</h2>');
  });
});
