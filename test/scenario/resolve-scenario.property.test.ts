/**
 * Property tests for scenario validation: malformed scenarios (a valid one with fields deleted, replaced by
 * values of the wrong type, or with unknown keys added) never throw and always come back as problems with
 * paths; valid variations always resolve. fast-check prints the seed and the shrunk counterexample on failure
 * (replay with `{ seed, path }` in the fc.assert options).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataset, fakes, mode, resolveScenario, toxic } from '../../harness/scenario/index.ts';
import { validScenario } from './scenario-fixture.ts';

type Path = (string | number)[];
type Kind = 'string' | 'number' | 'duration' | 'object' | 'array' | 'boolean';

/** Every field of the fixture whose type is fixed, the type it must have, and whether leaving it out is a mistake. */
const FIELDS: { path: Path; kind: Kind; required: boolean }[] = [
  { path: ['name'], kind: 'string', required: true },
  { path: ['system'], kind: 'object', required: true },
  { path: ['system', 'command'], kind: 'array', required: true },
  { path: ['system', 'command', 0], kind: 'string', required: false },
  { path: ['dependencies'], kind: 'object', required: true },
  // A dependency entry and a fault are record and list items: leaving one out is allowed.
  { path: ['dependencies', 'model'], kind: 'object', required: false },
  { path: ['dependencies', 'model', 'kind'], kind: 'string', required: true },
  { path: ['dependencies', 'model', 'options'], kind: 'object', required: true },
  { path: ['dependencies', 'retrieval', 'kind'], kind: 'string', required: true },
  { path: ['load'], kind: 'object', required: true },
  { path: ['load', 'executor'], kind: 'string', required: true },
  { path: ['load', 'rate'], kind: 'number', required: true },
  { path: ['load', 'duration'], kind: 'duration', required: true },
  { path: ['load', 'requests'], kind: 'object', required: true },
  { path: ['load', 'requests', 'kind'], kind: 'string', required: true },
  { path: ['load', 'requests', 'method'], kind: 'string', required: true },
  { path: ['load', 'requests', 'path'], kind: 'string', required: true },
  { path: ['load', 'requests', 'field'], kind: 'string', required: true },
  { path: ['faults'], kind: 'array', required: false },
  { path: ['faults', 0], kind: 'object', required: false },
  { path: ['faults', 0, 'on'], kind: 'string', required: true },
  { path: ['faults', 0, 'at'], kind: 'duration', required: true },
  { path: ['faults', 0, 'for'], kind: 'duration', required: true },
  { path: ['faults', 0, 'fault'], kind: 'object', required: true },
  { path: ['faults', 0, 'fault', 'kind'], kind: 'string', required: true },
  { path: ['faults', 0, 'fault', 'type'], kind: 'string', required: true },
  { path: ['faults', 0, 'fault', 'stream'], kind: 'string', required: true },
  { path: ['faults', 0, 'fault', 'toxicity'], kind: 'number', required: true },
  { path: ['faults', 0, 'fault', 'attributes'], kind: 'object', required: true },
  { path: ['faults', 0, 'fault', 'attributes', 'latency'], kind: 'number', required: true },
  { path: ['slos'], kind: 'object', required: false },
  { path: ['slos', 'model-latency'], kind: 'object', required: false },
  { path: ['slos', 'model-latency', 'p95_ms'], kind: 'string', required: false },
];

/** The fixture plus an SLO on the fault's generated name, so the cross-field checks (names, SLOs) run too. */
function baseScenario(): Record<string, unknown> {
  return { ...structuredClone(validScenario()), slos: { 'model-latency': { p95_ms: '< 2s' } } };
}

/** Objects that reject unknown keys (every object of the fixture except records). */
const STRICT_OBJECTS: Path[] = [
  [],
  ['system'],
  ['load'],
  ['load', 'requests'],
  ['faults', 0],
  ['faults', 0, 'fault'],
  ['dependencies', 'model'],
];

const TOP_LEVEL = ['name', 'description', 'seed', 'system', 'dependencies', 'load', 'faults', 'slos', 'score', 'recovery'];

/** Values of any type, including objects without a prototype and objects with tricky own keys. */
const anyValue = fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true, maxDepth: 2 });

function fitsKind(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'duration':
      return typeof v === 'string' || typeof v === 'number';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && v !== null;
  }
}

const unknownKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', 'durration', 'Name'),
  fc.string({ minLength: 1, maxLength: 12 }),
);

type Mutation =
  { op: 'delete'; path: Path } | { op: 'replace'; path: Path; value: unknown } | { op: 'add'; path: Path; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...FIELDS.filter((f) => f.required)).map((f): Mutation => ({ op: 'delete', path: f.path })),
  fc
    .constantFrom(...FIELDS)
    .chain((f) =>
      anyValue.filter((v) => v !== undefined && !fitsKind(f.kind, v)).map((value): Mutation => ({ op: 'replace', path: f.path, value })),
    ),
  fc
    .record({ path: fc.constantFrom(...STRICT_OBJECTS), key: unknownKey, value: anyValue })
    .filter(({ path, key }) => !knownKeysAt(path).includes(key))
    .map(({ path, key, value }): Mutation => ({ op: 'add', path, key, value })),
);

function knownKeysAt(path: Path): string[] {
  const node = get(baseScenario(), path);
  const own = typeof node === 'object' && node !== null ? Object.keys(node) : [];
  // Optional fields the fixture leaves out are known too.
  const optional: Record<string, string[]> = {
    '': TOP_LEVEL,
    system: ['cwd', 'env', 'ready', 'url'],
    load: ['warmup', 'timeout', 'connections'],
    'load.requests': ['categories', 'stream'],
    'faults.0': ['name'],
  };
  return [...own, ...(optional[path.join('.')] ?? [])];
}

function get(root: unknown, path: Path): unknown {
  let node = root;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

/** Applies a mutation in place; false when its parent no longer exists (an earlier mutation replaced it). */
function apply(root: Record<string, unknown>, m: Mutation): boolean {
  if (m.op === 'add') {
    const target = get(root, m.path);
    if (typeof target !== 'object' || target === null) return false;
    // defineProperty, so '__proto__' becomes an own key rather than the prototype.
    Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    return true;
  }
  const parent = get(root, m.path.slice(0, -1));
  const key = m.path.at(-1)!;
  if (typeof parent !== 'object' || parent === null || !Object.hasOwn(parent, key)) return false;
  if (m.op === 'delete') {
    if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
    else delete (parent as Record<string | number, unknown>)[key];
  } else {
    (parent as Record<string | number, unknown>)[key] = m.value;
  }
  return true;
}

/** `['faults', 0, 'on']` → `faults[0].on`, as problems print paths (keys that are not plain names quoted: `load["a b"]`). */
function formatPath(path: Path): string {
  return path.reduce<string>(
    (out, part) =>
      typeof part === 'number'
        ? `${out}[${part}]`
        : !/^[A-Za-z_$][\w$-]*$/.test(part)
          ? `${out}[${JSON.stringify(part)}]`
          : out === ''
            ? part
            : `${out}.${part}`,
    '',
  );
}

function resolveMutated(mutations: Mutation[]): { problems: string[]; applied: Mutation[]; input: Record<string, unknown> } {
  const input = baseScenario();
  const applied = mutations.filter((m) => apply(input, m));
  const result = resolveScenario(input, 'file');
  if (result.ok) throw new Error(`a malformed scenario resolved: ${JSON.stringify(applied)}`);
  return { problems: result.problems, applied, input };
}

const RUNS = 200;

describe('resolveScenario properties', () => {
  it('reports every malformed scenario as problems that start with the file and a path, and never throws', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const { problems, input } = resolveMutated(mutations);
        expect(problems.length).toBeGreaterThan(0);
        const topKeys = [...TOP_LEVEL, ...Reflect.ownKeys(input).filter((k): k is string => typeof k === 'string')];
        for (const problem of problems) {
          expect(problem.startsWith('file: ')).toBe(true);
          const rest = problem.slice('file: '.length);
          // Every path starts at a top-level key: a known field, or an unknown key of the input.
          expect(
            topKeys.some((k) => [' ', '.', '['].some((next) => rest.startsWith(`${formatPath([k])}${next}`))),
            problem,
          ).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('names the mutated field, or an object holding it, in a problem', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        const { problems, applied } = resolveMutated([m]);
        expect(applied).toHaveLength(1);
        const target = m.op === 'add' ? [...m.path, m.key] : m.path;
        const candidates = target.map((_, i) => formatPath(target.slice(0, i + 1))).filter((p) => p !== '');
        const named = problems.some((p) =>
          candidates.some((c) => p.startsWith(`file: ${c} `) || p.startsWith(`file: ${c}.`) || p.startsWith(`file: ${c}[`)),
        );
        expect(named, `no problem names ${formatPath(target)}:\n${problems.join('\n')}`).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  // Rates as integers scaled down (fc.double is biased to extremes); durations as whole ms, seconds or strings.
  const durationOf = (ms: number) => fc.constantFrom<string | number>(ms, `${ms}ms`, ...(ms % 1000 === 0 ? [`${ms / 1000}s`] : []));
  const validVariation = fc
    .record({
      executor: fc.constantFrom('constant-vus', 'constant-arrival-rate', 'ramping-arrival-rate'),
      rateTenths: fc.integer({ min: 1, max: 5000 }),
      duration_s: fc.integer({ min: 1, max: 600 }),
      faults: fc.array(
        fc.record({
          on: fc.constantFrom('model', 'retrieval'),
          atPermille: fc.integer({ min: 0, max: 999 }),
          lengthPermille: fc.integer({ min: 1, max: 1000 }),
          toxicityPercent: fc.integer({ min: 0, max: 100 }),
          kind: fc.constantFrom('latency', 'down', 'http_error', 'reset_peer'),
        }),
        { maxLength: 4 },
      ),
    })
    .chain((v) => {
      const duration_ms = v.duration_s * 1000;
      const faults = v.faults.map((f) => {
        const at = Math.floor((duration_ms * f.atPermille) / 1000);
        const length = Math.max(1, Math.floor(((duration_ms - at) * f.lengthPermille) / 1000));
        return { ...f, at, length };
      });
      return fc.tuple(
        fc.constant({ ...v, duration_ms, faults }),
        durationOf(duration_ms),
        fc.tuple(...faults.map((f) => fc.tuple(durationOf(f.at), durationOf(f.length)))),
      );
    });

  it('resolves valid variations of rates, durations and fault windows', () => {
    fc.assert(
      fc.property(validVariation, ([v, duration, windows]) => {
        const rate = v.rateTenths / 10;
        // An open load must send at least one request in its measured time (a ramp from 0 sends half of rate × duration).
        fc.pre(v.executor === 'constant-vus' || rate * v.duration_s >= 2);
        const requests = dataset.ask('/ask');
        const load =
          v.executor === 'constant-vus'
            ? { executor: v.executor, vus: v.rateTenths, duration, requests }
            : v.executor === 'constant-arrival-rate'
              ? { executor: v.executor, rate, duration, requests }
              : { executor: v.executor, stages: [{ target: rate, duration }], requests };
        const faults = v.faults.map((f, i) => ({
          on: f.on,
          at: windows[i][0],
          for: windows[i][1],
          fault:
            f.kind === 'latency'
              ? toxic.latency({ latency: f.toxicityPercent * 10, toxicity: f.toxicityPercent / 100 })
              : f.kind === 'down'
                ? toxic.down()
                : f.kind === 'reset_peer'
                  ? toxic.resetPeer({ toxicity: f.toxicityPercent / 100 })
                  : mode.httpError({ status: 503, rate: f.toxicityPercent / 100 }),
        }));
        const result = resolveScenario(
          {
            name: 'variation',
            system: { url: 'http://127.0.0.1:8080' },
            dependencies: { model: fakes.model(), retrieval: fakes.retrieval() },
            load,
            faults,
          },
          'file',
        );
        if (!result.ok) throw new Error(result.problems.join('\n'));
        const s = result.scenario;
        expect(s.load.duration_ms).toBe(v.duration_ms);
        expect(s.faults.map((f) => [f.at_ms, f.for_ms])).toEqual(v.faults.map((f) => [f.at, f.length]));
        expect(new Set(s.faults.map((f) => f.name)).size).toBe(s.faults.length);
        // The phases tile [0, duration) without gaps.
        expect(s.phases[0].start_ms).toBe(0);
        expect(s.phases.at(-1)!.end_ms).toBe(v.duration_ms);
        for (let i = 1; i < s.phases.length; i++) expect(s.phases[i].start_ms).toBe(s.phases[i - 1].end_ms);
      }),
      { numRuns: RUNS },
    );
  });
});
