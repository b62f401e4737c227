/**
 * Where Shakedown's own files are, whether it runs from this checkout (`.ts` sources run directly) or from an
 * installed package (the built `dist/**.js`, beside which the build copies the dataset and report assets).
 * Node refuses to strip types inside `node_modules` (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING), so a module
 * Shakedown starts or imports by path must be named with the extension of the tree it runs from.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when this is the built JavaScript (`dist/`), false from the checkout's `.ts` sources. */
export const RUNNING_BUILT = import.meta.url.endsWith('.js');

/** The folder that holds harness/, fakes/ and reports/: the checkout, or the package's dist/. */
const TREE = new URL('../', import.meta.url);

/** Shakedown's package root: the folder of its package.json (the checkout, or node_modules/shakedown). */
export const PACKAGE_ROOT = fileURLToPath(new URL(RUNNING_BUILT ? '../../' : '../', import.meta.url));

/** The URL of one of Shakedown's modules by its source path (`fakes/serve.ts`); `.js` when running built. */
export function ownModuleUrl(sourcePath: string): URL {
  return new URL(RUNNING_BUILT ? sourcePath.replace(/\.ts$/, '.js') : sourcePath, TREE);
}

/**
 * Where Shakedown keeps tools it provisions (toxiproxy-server built with `go install`): the checkout's `.tools`,
 * or, installed, a cache outside node_modules that survives `npm ci`: `$SHAKEDOWN_TOOLS_DIR`, else
 * `$XDG_CACHE_HOME/shakedown`, else `~/.cache/shakedown`.
 */
export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SHAKEDOWN_TOOLS_DIR) return env.SHAKEDOWN_TOOLS_DIR;
  if (!RUNNING_BUILT) return join(PACKAGE_ROOT, '.tools');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'shakedown');
}
