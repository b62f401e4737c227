/**
 * Terminal polish: the live status line is cut to the terminal's width (a redraw that wraps leaves a line
 * behind at each second), colour only on a terminal and never with NO_COLOR. Through the renderers with a
 * given width and environment, and once through a real pseudo-terminal (`script`) of a given width.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProgressPrinter } from '../../harness/cli/progress-printer.ts';
import { fitLine, paintOutcome, useColor, type TerminalOut } from '../../harness/cli/terminal-style.ts';
import type { RunEvent } from '../../harness/runner/run-scenario.ts';
import { removeTempDirs, ROOT, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

const ESC = '\x1b';

function capture(o: Omit<TerminalOut, 'write'>): TerminalOut & { text: string } {
  const out = {
    ...o,
    text: '',
    write(t: string) {
      out.text += t;
    },
  };
  return out;
}

const progress = (elapsed_ms: number, active: string[]): RunEvent => ({
  type: 'progress',
  phase: 'model-latency-spike-with-a-long-name',
  active,
  progress: { elapsed_ms, rps: 123.4, error_rate: 0.05, p95_ms: 1234 },
});

describe('the live status line', () => {
  it.each([40, 80, 120])('never takes more than %i - 1 columns on a terminal that wide', (columns) => {
    const out = capture({ isTTY: true, columns, env: {} });
    const printer = createProgressPrinter(out, 60_000);
    for (let s = 1; s <= 5; s++) printer.onEvent(progress(s * 1000, ['model-latency-spike-with-a-long-name', 'retrieval-outage']));
    printer.done();
    const redraws = out.text.split('\r\x1b[2K').filter(Boolean);
    expect(redraws).toHaveLength(5);
    for (const line of redraws) {
      expect(line).not.toContain('\n');
      expect([...line].length).toBeLessThanOrEqual(columns - 1);
    }
    if (columns < 120) expect(redraws[0].endsWith('…')).toBe(true);
  });

  it('is left whole when the width is unknown, and printed as plain lines every 5 s when not a terminal', () => {
    const out = capture({ isTTY: false, env: {} });
    const printer = createProgressPrinter(out, 60_000);
    for (let s = 1; s <= 10; s++) printer.onEvent(progress(s * 1000, []));
    expect(out.text.split('\n').filter(Boolean)).toEqual([
      '  [   1s, 59s left] model-latency-spike-with-a-long-name   123.4 req/s  errors   5.0%  p95 1234ms  faults: applying',
      '  [   6s, 54s left] model-latency-spike-with-a-long-name   123.4 req/s  errors   5.0%  p95 1234ms  faults: applying',
    ]);
    expect(fitLine('abcdef', undefined)).toBe('abcdef');
    expect(fitLine('abcdef', 6)).toBe('abcd…');
    expect(fitLine('abcde', 6)).toBe('abcde');
  });

  it('marks a failed fault red on a terminal, plain with NO_COLOR or off a terminal', () => {
    const failed: RunEvent = {
      type: 'fault',
      event: { type: 'failed', t_ms: 1500, error: 'proxy gone', fault: { name: 'cut', on: 'model', description: 'down' } } as never,
    };
    const lines = [
      { isTTY: true, env: {} },
      { isTTY: true, env: { NO_COLOR: '1' } },
      { isTTY: false, env: {} },
    ].map((o) => {
      const out = capture(o);
      createProgressPrinter(out, 10_000).onEvent(failed);
      return out.text;
    });
    expect(lines).toEqual([
      `  [1.500s] fault cut ${ESC}[31mFAILED${ESC}[39m: proxy gone\n`,
      '  [1.500s] fault cut FAILED: proxy gone\n',
      '  [1.500s] fault cut FAILED: proxy gone\n',
    ]);
  });
});

describe('colour', () => {
  it('is on for a terminal, off for a pipe, off with NO_COLOR, on with FORCE_COLOR unless NO_COLOR', () => {
    const write = () => {};
    expect(useColor({ write, isTTY: true, env: {} })).toBe(true);
    expect(useColor({ write, isTTY: false, env: {} })).toBe(false);
    expect(useColor({ write, isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(useColor({ write, isTTY: true, env: { NO_COLOR: '' } })).toBe(true);
    expect(useColor({ write, isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(useColor({ write, isTTY: false, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(useColor({ write, isTTY: true, env: { FORCE_COLOR: '1', NO_COLOR: 'yes' } })).toBe(false);
  });

  it('paints suite outcomes green, red and yellow by exit code', () => {
    const paint = paintOutcome({ write: () => {}, isTTY: true, env: {} });
    expect([paint(0, 'passed'), paint(1, 'SLO failed'), paint(3, 'infrastructure')]).toEqual([
      `${ESC}[32mpassed${ESC}[39m`,
      `${ESC}[31mSLO failed${ESC}[39m`,
      `${ESC}[33minfrastructure${ESC}[39m`,
    ]);
  });
});

describe('through a pseudo-terminal', () => {
  it('a 50-column terminal gets status redraws that fit and a coloured suite table; NO_COLOR gets none', { timeout: 60_000 }, () => {
    const out = tempDir();
    const bin = join(ROOT, 'harness/cli/bin.ts');
    const file = 'test/fixtures/suite/suite-pass.ts';
    const ptyRun = (env: string, dir: string) =>
      spawnSync(
        'script',
        ['-qec', `stty cols 50 rows 20; ${env} '${process.execPath}' '${bin}' run ${file} ${file} --out '${dir}'`, '/dev/null'],
        { cwd: ROOT, encoding: 'utf8', timeout: 50_000, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '' } },
      );
    const r = ptyRun('', join(out, 'colour'));
    expect(r.error, 'the `script` command (util-linux) runs commands in a pseudo-terminal').toBeUndefined();
    expect(r.status, r.stdout).toBe(0);
    // Between two clears: a status redraw (no newline), or a line printed for good (info, fault; may be longer).
    const redraws = r.stdout
      .split('\r\x1b[2K')
      .slice(1)
      .filter((s) => s && !s.includes('\n'));
    expect(redraws.length).toBeGreaterThan(0);
    for (const line of redraws) expect([...line].length).toBeLessThanOrEqual(49);
    expect(r.stdout).toContain(`${ESC}[32mpassed${ESC}[39m`);
    expect(r.stdout).toContain(`${ESC}[32mAll 1 SLOs met.${ESC}[39m`);
    const plain = ptyRun('NO_COLOR=1', join(out, 'plain'));
    expect(plain.status, plain.stdout).toBe(0);
    expect(plain.stdout).toContain('│ passed  │');
    expect(plain.stdout).not.toMatch(/\x1b\[3\dm/);
  });
});
