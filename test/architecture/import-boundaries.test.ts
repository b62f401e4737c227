/**
 * Dependencies point one way (STYLE.md "Layout and boundaries"): scenarios import only the public API;
 * contract (the mode schema and wire types shared by harness and fakes) imports only zod and nothing of the repo;
 * harness/scenario imports nothing else of the repo but the contract and does no I/O; reports read only the
 * result types; fakes import nothing from harness (they run in their own process). This scan keeps it true.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** Repo-relative target of a relative import, or null for a package / builtin. */
function target(file: string, spec: string): string | null {
  return spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)) : null;
}

function violations(dir: string, allowed: (spec: string, to: string | null) => boolean): string[] {
  return files(dir).flatMap((f) =>
    importsOf(f)
      .filter((s) => !allowed(s, target(f, s)))
      .map((s) => `${f} imports ${s}`),
  );
}

describe('import boundaries', () => {
  it('scenarios import only the public API', () => {
    expect(violations('scenarios', (spec) => spec === 'shakedown' || spec.startsWith('node:'))).toEqual([]);
  });

  it('contract imports only zod and nothing of the repo outside itself', () => {
    expect(violations('contract', (spec, to) => (to === null ? spec === 'zod' : to.startsWith('contract/')))).toEqual([]);
  });

  it('harness and fakes reach the contract only through contract/index.ts', () => {
    const inside = (to: string | null) => to !== null && to.startsWith('contract/') && to !== 'contract/index.ts';
    expect(violations('harness', (_spec, to) => !inside(to))).toEqual([]);
    expect(violations('fakes', (_spec, to) => !inside(to))).toEqual([]);
  });

  it('harness/scenario imports nothing else of the repo but the contract, and no I/O module', () => {
    // Packages: pure functions only (schema validation, string distance for "did you mean").
    const pure = new Set(['zod', 'fastest-levenshtein']);
    expect(
      violations('harness/scenario', (spec, to) =>
        to === null ? pure.has(spec) : to.startsWith('harness/scenario/') || to === 'contract/index.ts',
      ),
    ).toEqual([]);
  });

  it('reports read only the result types (and their own files)', () => {
    expect(
      violations(
        'reports',
        (_spec, to) =>
          to === null || to.startsWith('reports/') || to.startsWith('harness/results/') || to === 'harness/scenario/metrics.ts',
      ),
    ).toEqual([]);
  });

  it('fakes import nothing from harness, and harness nothing from fakes: they meet only in the contract', () => {
    expect(violations('fakes', (_spec, to) => to === null || !to.startsWith('harness/'))).toEqual([]);
    expect(violations('harness', (_spec, to) => to === null || !to.startsWith('fakes/'))).toEqual([]);
  });

  it('process.exit and process.argv appear only in the CLI entry', () => {
    const offenders = [...files('harness'), ...files('fakes'), ...files('reports')]
      .filter((f) => f !== 'harness/cli/bin.ts')
      .filter((f) => /process\.(exit|argv)\b/.test(readFileSync(join(ROOT, f), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')));
    expect(offenders).toEqual([]);
  });
});
