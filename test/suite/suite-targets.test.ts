/**
 * The suite's file list and its shard split: which files a folder or glob expands to, their keys, and which
 * shard runs each (sorted round-robin by key, 1-based `i/N`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandSuiteTargets, isSuite, parseShard, shardEntries, type SuiteEntry } from '../../harness/suite/suite-targets.ts';
import { removeTempDirs, tempDir } from '../cli/helpers.ts';

afterAll(removeTempDirs);

const entries = (...keys: string[]): SuiteEntry[] => keys.map((key) => ({ key, file: `/x/${key}` }));
const keysOf = (list: SuiteEntry[]) => list.map((e) => e.key);

function tree(files: string[]): string {
  const dir = tempDir('shakedown-suite-');
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), '');
  }
  return dir;
}

describe('parseShard', () => {
  it('reads i/N as 1-based index and total', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, total: 4 });
    expect(parseShard('4/4')).toEqual({ index: 4, total: 4 });
  });

  it.each(['0/4', '5/4', '1/0', 'a/b', '1-4', '1/', '', '2/1001'])('refuses %j with the form it needs', (value) => {
    expect(() => parseShard(value)).toThrow(`--shard must be i/N with 1 <= i <= N <= 1000, e.g. --shard 1/4 (got '${value}')`);
  });
});

describe('shardEntries', () => {
  const all = entries('e.ts', 'a.ts', 'd.ts', 'b.ts', 'c.ts');

  it('deals the key-sorted list round-robin: shard i takes the i-th, i+N-th, ...', () => {
    expect(keysOf(shardEntries(all, { index: 1, total: 2 }))).toEqual(['a.ts', 'c.ts', 'e.ts']);
    expect(keysOf(shardEntries(all, { index: 2, total: 2 }))).toEqual(['b.ts', 'd.ts']);
  });

  it('gives every file to exactly one shard, shards differing in size by at most one', () => {
    for (const total of [1, 2, 3, 5, 7]) {
      const shards = Array.from({ length: total }, (_, i) => keysOf(shardEntries(all, { index: i + 1, total })));
      expect(shards.flat().sort()).toEqual(['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts']);
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('does not depend on the order the files were found in', () => {
    const shuffled = entries('c.ts', 'e.ts', 'b.ts', 'a.ts', 'd.ts');
    expect(shardEntries(shuffled, { index: 2, total: 3 })).toEqual(shardEntries(all, { index: 2, total: 3 }));
  });

  it('leaves more shards than files empty', () => {
    expect(keysOf(shardEntries(entries('a.ts'), { index: 2, total: 2 }))).toEqual([]);
  });
});

describe('expandSuiteTargets', () => {
  it('finds scenario files at any depth of a folder, keyed relative to it, skipping dot folders, node_modules and .d.ts', () => {
    const dir = tree(['b.ts', 'a.mjs', 'nested/c.js', 'types.d.ts', 'notes.md', '.hidden/x.ts', 'node_modules/p/y.ts']);
    expect(keysOf(expandSuiteTargets([dir], '/'))).toEqual(['a.mjs', 'b.ts', 'nested/c.js']);
  });

  it('keys a glob and a file relative to the current folder, and counts a file reached twice once', () => {
    const dir = tree(['s/one.ts', 's/two.ts', 's/three.js']);
    expect(keysOf(expandSuiteTargets(['s/*.ts', 's/one.ts'], dir))).toEqual(['s/one.ts', 's/two.ts']);
  });

  it('names every argument that finds nothing', () => {
    const dir = tree(['empty/readme.md']);
    expect(() => expandSuiteTargets(['missing', 'empty', 'none/*.ts'], dir)).toThrow(
      'nothing to run for:\n  missing: no such file or folder\n  empty: the folder holds no scenario file (.ts, .mts, .mjs, .js)\n  none/*.ts: the pattern matches no scenario file (.ts, .mts, .mjs, .js)',
    );
  });
});

describe('isSuite', () => {
  it('is a suite for a folder, a glob, several files or a shard, and not for one file', () => {
    const dir = tree(['s/one.ts']);
    expect(isSuite(['s/one.ts'], dir, false)).toBe(false);
    expect(isSuite(['s/one.ts'], dir, true)).toBe(true);
    expect(isSuite(['s'], dir, false)).toBe(true);
    expect(isSuite(['s/*.ts'], dir, false)).toBe(true);
    expect(isSuite(['s/one.ts', 's/one.ts'], dir, false)).toBe(true);
  });
});
