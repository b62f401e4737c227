/**
 * Imports a scenario file (`.ts` natively on Node 24, or `.js`/`.mjs`) and validates its default export.
 */
import { readOpenFileRoom } from '../load/open-file-limit.ts';
import { readFileSync, existsSync, statSync } from 'node:fs';
import module from 'node:module';
import { dirname, isAbsolute, join, resolve, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ShakedownError } from '../errors.ts';
import { ownModuleUrl, PACKAGE_ROOT, RUNNING_BUILT } from '../package-files.ts';
import { resolveScenario, type ResolvedScenario } from '../scenario/index.ts';

export interface LoadedScenario {
  file: string;
  /** The file name as shown to people (relative to the current directory). */
  displayName: string;
  source: string;
  scenario: ResolvedScenario;
}

/** Finds `file:line:col` of the scenario in an error's stack or message. */
function locate(error: unknown, absolute: string, shown: string): string {
  const text = `${(error as Error)?.stack ?? ''}\n${(error as Error)?.message ?? ''}`;
  const url = pathToFileURL(absolute).href;
  for (const candidate of [url, absolute]) {
    const i = text.indexOf(`${candidate}:`);
    if (i >= 0) {
      const m = /^:(\d+)(?::(\d+))?/.exec(text.slice(i + candidate.length));
      if (m) return `${shown}:${m[1]}${m[2] ? `:${m[2]}` : ''}`;
    }
  }
  return shown;
}

/** What `import ... from 'shakedown'` (and its subpaths) means when nothing else provides the package. */
const OWN_EXPORTS: Readonly<Record<string, string>> = Object.freeze({
  shakedown: ownModuleUrl('harness/index.ts').href,
  'shakedown/fakes': ownModuleUrl('fakes/index.ts').href,
  'shakedown/vitest': ownModuleUrl('harness/vitest/index.ts').href,
});
const OWN_ROOT = pathToFileURL(PACKAGE_ROOT).href;
let hooked = false;

/**
 * Lets a scenario import from `'shakedown'` and get the Shakedown that runs it: when Node's own resolution finds
 * no such package (no `node_modules/shakedown` above the file), or, from this checkout's `.ts` sources, finds
 * this very package (its `exports` name the built `dist/`, which may be missing or stale), the specifier resolves
 * to this Shakedown's own modules. Another installed copy still wins.
 * https://nodejs.org/api/module.html#moduleregisterhooksoptions
 */
function resolveOwnPackage(): void {
  if (hooked || typeof module.registerHooks !== 'function') return;
  hooked = true;
  module.registerHooks({
    resolve(specifier, context, next) {
      const own = OWN_EXPORTS[specifier];
      if (own === undefined) return next(specifier, context);
      try {
        const found = next(specifier, context);
        if (!RUNNING_BUILT && found.url.startsWith(OWN_ROOT)) return { url: own, shortCircuit: true };
        return found;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
        return { url: own, shortCircuit: true };
      }
    },
  });
}

/** A file as messages name it: relative to `cwd` when inside it, else its full path (never `../x`). */
export function shownPath(cwd: string, absolute: string): string {
  const near = relative(cwd, absolute);
  return near && !near.startsWith('..') && !isAbsolute(near) ? near : absolute;
}

/**
 * The `handlers` modules a scenario's fakes name that are not files (`dependencies.<name>.options.handlers`, paths
 * relative to `cwd`, where the fakes process imports them from).
 */
function missingHandlerModules(input: unknown, cwd: string): string[] {
  const deps = (input as { dependencies?: unknown } | null)?.dependencies;
  if (typeof deps !== 'object' || deps === null) return [];
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(deps)) {
    const path = (spec as { options?: { handlers?: unknown } } | null)?.options?.handlers;
    if (typeof path !== 'string' || !/\.(ts|mts|js|mjs)$/.test(path)) continue; // the schema reports it
    const absolute = resolve(cwd, path);
    if (!existsSync(absolute) || !statSync(absolute).isFile())
      problems.push(
        `dependencies.${name}.options.handlers: no such file '${path}' (${absolute}; paths are relative to the current directory)`,
      );
  }
  return problems;
}

/**
 * Why a `.ts`/`.js` scenario may have loaded as CommonJS: the nearest package.json above it does not say
 * `"type": "module"` (Node then reads `require`, not `import`, in a `.ts` file that has no ES module syntax it can
 * detect, and resolves 'shakedown' the CommonJS way). Undefined for `.mts`/`.mjs` and module packages.
 */
export function commonJsHint(file: string): string | undefined {
  if (!/\.(ts|js)$/.test(file)) return undefined;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      let type: unknown;
      try {
        type = (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type;
      } catch {
        return undefined;
      }
      return type === 'module'
        ? undefined
        : `${manifest} has no "type": "module", so Node may load this file as CommonJS: write the scenario with import/export and name it .mts, or add "type": "module" to that package.json`;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * @throws ShakedownError SCENARIO_NOT_FOUND, SCENARIO_LOAD_FAILED (syntax or import error, with file:line) or
 *   SCENARIO_INVALID (every problem, one per line); all exit 2
 */
export async function loadScenarioFile(file: string, cwd = process.cwd()): Promise<LoadedScenario> {
  const absolute = resolve(cwd, file);
  const shown = shownPath(cwd, absolute);
  if (!existsSync(absolute)) throw new ShakedownError('SCENARIO_NOT_FOUND', `${shown}: no such scenario file`, { exitCode: 2 });
  if (!statSync(absolute).isFile())
    throw new ShakedownError(
      'SCENARIO_NOT_FOUND',
      `${shown}: is a folder, not a scenario file (run shakedown list ${shown} to see the scenarios in it)`,
      { exitCode: 2 },
    );
  const source = readFileSync(absolute, 'utf8');
  let module: { default?: unknown };
  try {
    resolveOwnPackage();
    module = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
  } catch (error) {
    const message =
      (error as Error)?.message
        ?.split('\n')
        .filter((l) => l.trim())
        .slice(0, 6)
        .join('\n  ') ?? String(error);
    const hint = commonJsHint(absolute);
    throw new ShakedownError(
      'SCENARIO_LOAD_FAILED',
      `${locate(error, absolute, shown)}: cannot load the scenario: ${message}${hint ? `\n  ${hint}` : ''}`,
      {
        exitCode: 2,
        cause: error,
      },
    );
  }
  const result = resolveScenario(module.default, shown, readOpenFileRoom()?.room ?? null);
  const problems = [...(result.ok ? [] : result.problems), ...missingHandlerModules(module.default, cwd).map((p) => `${shown}: ${p}`)];
  if (!result.ok || problems.length > 0) {
    throw new ShakedownError(
      'SCENARIO_INVALID',
      `${shown} is not a valid scenario (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`,
      { exitCode: 2 },
    );
  }
  return { file: absolute, displayName: shown, source, scenario: result.scenario };
}
