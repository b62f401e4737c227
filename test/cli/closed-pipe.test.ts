/**
 * `shakedown ... | head`: the reader of stdout goes away early. Writes to the closed pipe are dropped (bin.ts);
 * the command carries on to its end and its exit code, with no EPIPE stack trace.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, readRun, removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

/** Runs `node bin.ts ARGS | true` (the pipe is closed before the CLI writes); the CLI's exit code and stderr. */
function intoClosedPipe(args: string[]): { code: number; stderr: string } {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync(
    'bash',
    ['-c', `"${process.execPath}" harness/cli/bin.ts ${quoted} 2>"$ERR_FILE" | true; echo "\${PIPESTATUS[0]}"; cat "$ERR_FILE"`],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, ERR_FILE: `${tempDir()}/stderr.txt` },
    },
  );
  const [code, ...rest] = r.stdout.split('\n');
  return { code: Number(code), stderr: rest.join('\n') };
}

describe('stdout closed by its reader', () => {
  it('list exits 0 without a stack trace', () => {
    const { code, stderr } = intoClosedPipe(['list']);
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  });

  it('a run goes on to the end and writes its results', () => {
    const out = tempDir();
    const { code, stderr } = intoClosedPipe(['run', 'test/fixtures/scenarios/robust-short.ts', '--seed', '2', '--out', out]);
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    const { result, samples } = readRun(out, 'robust-short');
    expect(result.run.status).toBe('completed');
    expect(samples.length).toBe(result.reconciliation.samples);
    expect(code).toBe(0); // the fixture declares no SLOs
  });
});
