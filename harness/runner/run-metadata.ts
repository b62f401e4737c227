/** Run metadata for results.json: ids, versions, git sha, host. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import module from 'node:module';
import { cpus, totalmem, platform } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { ShakedownError } from '../errors.ts';
import { PACKAGE_ROOT } from '../package-files.ts';
import type { RunResult } from '../results/result-types.ts';
import type { ToxiproxyServer } from '../toxiproxy/index.ts';

const ROOT = PACKAGE_ROOT;

/** A package's version: Shakedown's own, or a dependency's wherever npm put it (nested, or hoisted beside Shakedown when installed). */
function packageVersion(name: string): string {
  try {
    const file = name === 'shakedown' ? `${ROOT}package.json` : module.findPackageJSON(name, pathToFileURL(`${ROOT}package.json`));
    if (!file) return 'unknown';
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The git sha of `cwd` (the user's project), or null outside a git checkout. */
function gitSha(cwd: string): string | null {
  try {
    return (
      execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 })
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

export function runMetadata(
  o: { scenario: { name: string; description: string }; scenarioFile: string; seed: number; label: string; cwd: string; outDir: string },
  r: { toxiproxy?: ToxiproxyServer; startedAt: Date; status: RunResult['run']['status']; failure?: ShakedownError; interrupted: boolean },
): Omit<RunResult['run'], 't0_epoch_ms' | 'scenario_hash' | 'timings_ms'> {
  return {
    id: o.outDir.split('/').at(-1) ?? 'run',
    label: o.label,
    scenario: o.scenario.name,
    description: o.scenario.description,
    scenario_file: o.scenarioFile,
    git_sha: gitSha(o.cwd),
    seed: o.seed,
    status: r.status,
    status_reason: r.failure ? `${r.failure.code}: ${r.failure.message}` : r.interrupted ? 'interrupted by signal' : null,
    started_at: r.startedAt.toISOString(),
    ended_at: new Date().toISOString(),
    versions: {
      shakedown: packageVersion('shakedown'),
      node: process.versions.node,
      autocannon: packageVersion('autocannon'),
      msw: packageVersion('msw'),
      toxiproxy: r.toxiproxy?.version ?? 'none',
    },
    toxiproxy: r.toxiproxy ? { url: r.toxiproxy.url, source: r.toxiproxy.source, version: r.toxiproxy.version } : null,
    host: {
      platform: `${platform()} ${process.arch}`,
      cores: cpus().length,
      memory_gb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
  };
}
