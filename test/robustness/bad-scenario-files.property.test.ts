/**
 * Issue 6.3: bad scenario files through the CLI entry (`main()` in-process, `run --dry-run`). Generated scenario
 * objects are written to temporary .ts files and imported for real. A valid base with 1-5 known mistakes: exit 2,
 * every mistake listed with the file and its path, no stack trace. Any value at all as the default export, or a
 * random value at a random place of a valid scenario: exit 0 or 2, never a crash. A syntax error and a runtime
 * TypeError name the file and line. (A type error that is only a type error, `const n: number = 'x'`, is erased by
 * Node's type stripping and not seen at load: `npm run typecheck` catches it.)
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, removeTempDirs, runCli, tempDir } from '../cli/helpers.ts';

afterAll(removeTempDirs);
const dir = tempDir('shakedown-bad-scenarios-');
let n = 0;
/** Writes `source` to a fresh .ts file (a fresh name each time: imports are cached by URL). */
function scenarioFile(source: string): string {
  const file = join(dir, `s${n++}.ts`);
  writeFileSync(file, source);
  return file;
}

const base = () => ({
  name: 'generated',
  system: { command: ['node', 'sut.ts'], ready: { path: '/health', timeout: '2s' } },
  dependencies: { model: { kind: 'model', options: {} } },
  load: { executor: 'constant-arrival-rate', rate: 5, duration: '3s', requests: { kind: 'static', method: 'GET', path: '/' } },
  faults: [] as unknown[],
  slos: {},
});

/** Known mistakes: [path to set, value, the path the problem must name]. */
const MISTAKES: Array<[string, unknown, string]> = [
  ['name', 'a b', 'name'],
  ['name', 42, 'name'],
  ['description', 5, 'description'],
  ['seed', -3, 'seed'],
  ['load.rate', -5, 'load.rate'],
  ['load.rate', 'x', 'load.rate'],
  ['load.duration', 'soon', 'load.duration'],
  ['load.executor', 'nope', 'load.executor'],
  ['load.timeout', -1, 'load.timeout'],
  ['load.warmup', 'later', 'load.warmup'],
  ['load.connections', 0, 'load.connections'],
  ['load.requests', 5, 'load.requests'],
  ['system.command', 42, 'system.command'],
  ['system.ready.timeout', 'x', 'system.ready.timeout'],
  ['system.ready.path', 5, 'system.ready.path'],
  ['dependencies.model.kind', 'llm', 'dependencies.model.kind'],
  ['faults', [{ on: 'nope', at: '1s', for: '1s', fault: { kind: 'down' } }], 'faults[0].on'],
  ['faults', [{ on: 'model', at: 'zz', for: '1s', fault: { kind: 'down' } }], 'faults[0].at'],
  ['slos', { baseline: { p95: '< 3' } }, 'slos.baseline.p95'],
  ['scoreWeights', { availability: 0.5 }, 'scoreWeights'],
];

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let t = target as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) t = t[p] as Record<string, unknown>;
  t[parts.at(-1)!] = value;
}

const noCrash = (code: number, stderr: string) => {
  expect([0, 2]).toContain(code);
  expect(stderr).not.toMatch(/unexpected error|\n\s+at |Error: /);
};

describe('bad scenario files through the CLI', () => {
  it('a valid scenario with 1-5 known mistakes: exit 2, each listed with the file and its path', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom(...MISTAKES), {
          minLength: 1,
          maxLength: 5,
          selector: ([path]) => path.split('.').slice(0, 2).join('.'),
        }),
        async (mistakes) => {
          const scenario = base();
          for (const [path, value] of mistakes) setPath(scenario, path, value);
          const file = scenarioFile(`export default ${JSON.stringify(scenario, null, 2)};\n`);
          const { code, stdout, stderr } = await runCli(['run', file, '--dry-run']);
          expect(code).toBe(2);
          expect(stdout).toBe('');
          noCrash(code, stderr);
          const shown = stderr.match(/^shakedown: (\S+) is not a valid scenario \((\d+) problems?\):\n/);
          expect(shown, stderr).not.toBeNull();
          // An unknown executor leaves the executor-specific load fields unchecked (which apply depends on it).
          const expected = mistakes.some(([p]) => p === 'load.executor')
            ? mistakes.filter(([p]) => !p.startsWith('load.') || p === 'load.executor' || p === 'load.requests')
            : mistakes;
          expect(Number(shown![2])).toBeGreaterThanOrEqual(expected.length);
          for (const [, , named] of expected) expect(stderr).toContain(`  ${shown![1]}: ${named} `);
        },
      ),
      { numRuns: 30, seed: 61 },
    );
  });

  it('any value as the default export: exit 2 naming the file, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.object({ maxDepth: 2 })), async (value) => {
        const file = scenarioFile(`export default ${JSON.stringify(value) ?? 'undefined'};\n`);
        const { code, stderr } = await runCli(['run', file, '--dry-run']);
        expect(code).toBe(2);
        noCrash(code, stderr);
        expect(stderr).toMatch(/^shakedown: \S+s\d+\.ts is not a valid scenario/);
      }),
      { numRuns: 30, seed: 62 },
    );
  });

  it('a random value at a random place of a valid scenario: exit 0 or 2 with every problem at a path, never a crash', async () => {
    const places = [
      'name',
      'description',
      'seed',
      'system',
      'system.command',
      'system.ready',
      'system.ready.timeout',
      'system.ready.status',
      'system.env',
      'system.cwd',
      'dependencies',
      'dependencies.model',
      'dependencies.model.options',
      'load',
      'load.rate',
      'load.vus',
      'load.stages',
      'load.requests',
      'load.requests.kind',
      'faults',
      'slos',
      'slos.baseline',
      'score',
      'scoreWeights',
      'recovery',
      'unknownField',
    ];
    const junk = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(-1, 0, 1e308, '', '0s', '-5s', [], {}, null, 'model', [{}], { kind: 'toxic' }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...places), junk, async (place, value) => {
        const scenario = base();
        setPath(scenario, place, value);
        const file = scenarioFile(`export default ${JSON.stringify(scenario)};\n`);
        const { code, stderr } = await runCli(['run', file, '--dry-run']);
        noCrash(code, stderr);
        if (code === 2) for (const line of stderr.trim().split('\n').slice(1)) expect(line).toMatch(/^ {2}\S+s\d+\.ts: \S/);
      }),
      { numRuns: 30, seed: 63 },
    );
  });

  // These two go through the real executable: in-process, vitest's own transform would load the file instead of Node.
  const spawnDryRun = (file: string) =>
    spawnSync(process.execPath, [join(ROOT, 'harness/cli/bin.ts'), 'run', file, '--dry-run'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
    });

  it('a syntax error names the file and line', async () => {
    const file = scenarioFile("import { defineScenario } from 'shakedown';\n\nexport default defineScenario({\n  name: 'x',,\n});\n");
    const { status: code, stderr } = spawnDryRun(file);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^shakedown: \S+s\d+\.ts:4: cannot load the scenario: Unexpected token `,`/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a TypeError while the file loads, and TypeScript that type stripping cannot erase, name the file and line', async () => {
    const thrown = spawnDryRun(
      scenarioFile("const deps: any = undefined;\n\nconst port: number = deps.model.port;\nexport default { name: 'x', port };\n"),
    );
    expect(thrown.status).toBe(2);
    expect(thrown.stderr).toMatch(
      /^shakedown: \S+s\d+\.ts:3:\d+: cannot load the scenario: Cannot read properties of undefined \(reading 'model'\)\n$/,
    );
    const enumFile = spawnDryRun(scenarioFile("const a = 1;\nenum Color { Red, Green }\nexport default { name: 'x', a };\n"));
    expect(enumFile.status).toBe(2);
    expect(enumFile.stderr).toMatch(
      /^shakedown: \S+s\d+\.ts:2: cannot load the scenario: TypeScript enum is not supported in strip-only mode/,
    );
  });
});
