/**
 * Issue 15: a full disk. The CLI runs a short scenario with its results folder on a tmpfs of 8, 32 and 64 KiB
 * (the samples file, then results.json, then the HTML report no longer fit): each run exits 4 with the
 * documented message naming the file, leaves no temporary file, and its samples.ndjson holds only whole lines.
 * Needs root for `mount -t tmpfs`; skipped, saying so, when the mount is refused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../cli/helpers.ts';
import { runFolders, spawnCli } from './helpers.ts';

const SCENARIO = 'test/fixtures/scenarios/robust-short.ts';
const SIZES = [
  { kib: 8, fails: 'samples file' },
  { kib: 32, fails: 'results' },
  { kib: 64, fails: 'report' },
] as const;
const mounts: string[] = [];
let refused: string | null = null;

beforeAll(() => {
  const root = tempDir();
  for (const { kib } of SIZES) {
    const dir = join(root, `tmpfs-${kib}k`);
    mkdirSync(dir);
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir], { encoding: 'utf8' });
    if (r.status !== 0) {
      refused = `mount -t tmpfs refused (${(r.stderr || r.error?.message || '').trim()}): disk-full tests need root`;
      return;
    }
    mounts.push(dir);
  }
});

afterAll(() => {
  for (const dir of mounts.splice(0)) spawnSync('umount', [dir]);
  removeTempDirs();
});

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

describe('a full disk', () => {
  it.each(SIZES)(
    'on $kib KiB: exit 4 naming the $fails that did not fit, no temporary file, only whole sample lines',
    async ({ kib, fails }) => {
      if (refused) {
        console.warn(`skipped: ${refused}`);
        return;
      }
      const out = mounts[SIZES.findIndex((s) => s.kib === kib)];
      const run = spawnCli(['run', SCENARIO, '--seed', '7', '--out', out, '--quiet']);
      const { code } = await run.exited;
      const { stderr } = run.output();
      expect(code).toBe(4);
      const messages = [...stderr.matchAll(/^shakedown: Cannot write (samples file|results|report) (\S+): (.*)$/gm)];
      expect(messages.length).toBeGreaterThan(0);
      for (const [, , file, rest] of messages) {
        expect(file.startsWith(out)).toBe(true);
        expect(rest).toBe('no space left on the device (ENOSPC). Free space or pass --out with a writable folder.');
      }
      expect(messages.map((m) => m[1])).toContain(fails);
      expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(filesUnder(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
      const [dir] = runFolders(out, 'robust-short');
      const samplesFile = join(dir, 'samples.ndjson');
      if (existsSync(samplesFile)) {
        const text = readFileSync(samplesFile, 'utf8');
        if (text.length > 0) expect(text.endsWith('\n')).toBe(true);
        for (const line of text.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
      }
    },
    60_000,
  );
});
