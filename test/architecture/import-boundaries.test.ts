/**
 * Dependencies point one way (docs/architecture.md, "Folders and arrows"): scenarios import only the public API;
 * contract (the mode schema and wire types shared by harness and fakes) imports only zod and nothing of the repo;
 * harness/scenario imports nothing else of the repo but the contract and does no I/O; reports read only the
 * result types; fakes import nothing from harness (they run in their own process). No two modules import each
 * other, directly or through others (type-only imports included: a cycle of types is still two ideas that cannot
 * be read apart). This scan keeps it true.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * The import cycles among `dirs`' files: each strongly connected component of more than one file (Tarjan's
 * algorithm), its files sorted, so a cycle reads `a.ts -> b.ts -> ...` in the failure.
 */
function importCycles(dirs: string[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const f of dirs.flatMap(files))
    graph.set(
      f,
      importsOf(f).flatMap((s) => target(f, s) ?? []),
    );
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component = stack.splice(stack.indexOf(v));
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('import boundaries', () => {
  it('has no import cycles in harness, reports or fakes', () => {
    expect(importCycles(['harness', 'reports', 'fakes'])).toEqual([]);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const dir = mkdtempSync(join(ROOT, 'test/architecture/.cycle-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import type { B } from './b.ts';\nexport type A = B;\n");
      writeFileSync(join(dir, 'b.ts'), "import { c } from './c.ts';\nexport type B = number;\nexport const b = c;\n");
      writeFileSync(join(dir, 'c.ts'), "import type { A } from './a.ts';\nexport const c: A = 1;\n");
      const rel = relative(ROOT, dir);
      expect(importCycles([rel])).toEqual([[`${rel}/a.ts`, `${rel}/b.ts`, `${rel}/c.ts`]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

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

  it('harness/explore imports the scenario model, the result types and fast-check: no I/O module', () => {
    expect(
      violations('harness/explore', (spec, to) =>
        to === null
          ? spec === 'fast-check'
          : to.startsWith('harness/explore/') || to.startsWith('harness/scenario/') || to.startsWith('harness/results/'),
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
