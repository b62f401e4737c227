/**
 * What a suite runs: `shakedown run <folder or glob>...` expands each argument into scenario files, each with
 * a shard key (its path relative to the folder given, or to the current folder for a file or a glob), sorted
 * by key. `--shard i/N` then takes every N-th file of that sorted list, starting at the i-th (sorted
 * round-robin, like Playwright's `--shard`): the same files give the same split on every machine, and shards
 * differ in size by at most one. Adding a scenario can move later ones to another shard; merge does not care.
 */
import { globSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ShakedownError } from '../errors.ts';

/** Scenario file name endings a folder is searched for (as `list`). */
export const SCENARIO_FILE = /\.(ts|mts|mjs|js)$/;
const DECLARATION = /\.d\.m?ts$/;

export interface SuiteEntry {
  /** Absolute path of the scenario file. */
  file: string;
  /** Shard key: the path relative to the folder given (or the current folder), with `/` separators. */
  key: string;
}

export interface Shard {
  /** 1-based. */
  index: number;
  total: number;
}

const usage = (code: string, message: string) => new ShakedownError(code, message, { exitCode: 2 });
const slashed = (path: string) => path.split(sep).join('/');
const isGlob = (arg: string) => /[*?[\]{}]/.test(arg);

/**
 * Parses `--shard i/N` (1 ≤ i ≤ N ≤ 1000).
 * @throws ShakedownError INVALID_SHARD (exit 2) saying what was given
 */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!m || total < 1 || total > 1000 || index < 1 || index > total)
    throw usage('INVALID_SHARD', `--shard must be i/N with 1 <= i <= N <= 1000, e.g. --shard 1/4 (got '${value}')`);
  return { index, total };
}

/** The entries of shard `i/N`: the `i`-th, `i+N`-th, ... of the entries sorted by key. */
export function shardEntries(entries: readonly SuiteEntry[], shard: Shard | undefined): SuiteEntry[] {
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return shard ? sorted.filter((_, i) => i % shard.total === shard.index - 1) : sorted;
}

/** Scenario-named files under `folder` at any depth (not in node_modules or dot folders), as absolute paths. */
export function scenarioFilesUnder(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || !SCENARIO_FILE.test(entry.name) || DECLARATION.test(entry.name)) continue;
    if (
      relative(folder, path)
        .split(sep)
        .some((part) => part === 'node_modules' || part.startsWith('.'))
    )
      continue;
    out.push(path);
  }
  return out;
}

/**
 * Expands the `run` arguments (scenario files, folders searched at any depth, globs) into entries sorted by
 * key; a file reached twice counts once.
 * @throws ShakedownError SUITE_TARGETS (exit 2) listing every argument that names nothing, and when no file is found
 */
export function expandSuiteTargets(args: readonly string[], cwd: string): SuiteEntry[] {
  const byFile = new Map<string, SuiteEntry>();
  const problems: string[] = [];
  const add = (file: string, base: string) => {
    if (!byFile.has(file)) byFile.set(file, { file, key: slashed(relative(base, file)) });
  };
  for (const arg of args) {
    if (isGlob(arg)) {
      const found = globSync(arg, { cwd })
        .map((p) => (isAbsolute(p) ? p : resolve(cwd, p)))
        .filter((p) => SCENARIO_FILE.test(p) && !DECLARATION.test(p) && statSync(p).isFile());
      if (!found.length) problems.push(`${arg}: the pattern matches no scenario file (.ts, .mts, .mjs, .js)`);
      for (const f of found) add(f, cwd);
      continue;
    }
    const path = resolve(cwd, arg);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      problems.push(`${arg}: no such file or folder`);
      continue;
    }
    if (!isDir) add(path, cwd);
    else {
      const found = scenarioFilesUnder(path);
      if (!found.length) problems.push(`${arg}: the folder holds no scenario file (.ts, .mts, .mjs, .js)`);
      for (const f of found) add(f, path);
    }
  }
  if (problems.length) throw usage('SUITE_TARGETS', `nothing to run for:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return shardEntries([...byFile.values()], undefined);
}

/** Whether `run` was given a suite (a folder, a glob, several files or a shard) rather than one scenario file. */
export function isSuite(args: readonly string[], cwd: string, sharded: boolean): boolean {
  if (sharded || args.length !== 1 || isGlob(args[0])) return true;
  try {
    return statSync(resolve(cwd, args[0])).isDirectory();
  } catch {
    return false;
  }
}
