import { join } from 'node:path';
import { ShakedownError } from '../errors.ts';
import { toolsDir as defaultToolsDir } from '../package-files.ts';
import { TOXIPROXY_DEFAULTS } from './defaults.ts';
import { findOnPath, isExecutable } from './find-executable.ts';
import { goInstallToxiproxy } from './go-install-toxiproxy.ts';
import { probeDocker } from './probe-docker.ts';
import { startToxiproxyBinary } from './start-toxiproxy-binary.ts';
import { startToxiproxyContainer } from './start-toxiproxy-container.ts';
import { describeFetchError, readToxiproxyVersion } from './toxiproxy-api.ts';

export type ToxiproxySource = 'env' | 'binary' | 'docker' | 'go-install';

/**
 * A Toxiproxy API ready to use. `stop()` ends what resolveToxiproxy started (process or container) and is a
 * no-op for `env`: a server someone else runs is never stopped. `pid` is set when we run the process.
 */
export type ToxiproxyServer = {
  url: string;
  source: ToxiproxySource;
  version: string;
  pid?: number;
  stop(): Promise<void>;
};

export type ResolveToxiproxyOptions = {
  /** Tool cache holding bin/toxiproxy-server. Default: `<repo>/.tools`, installed: the user's cache (package-files.ts). */
  toolsDir?: string;
  /** Environment to read (TOXIPROXY_URL, PATH, DOCKER_HOST) and to run children with. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines (what was found, what is being started). Default: none. */
  log?: (line: string) => void;
  /** Bound on the Docker engine check. Default: 3000. */
  dockerCheckTimeoutMs?: number;
  /** Build toxiproxy-server with `go install` when nothing else is there. Default: true. */
  allowGoInstall?: boolean;
  /** Seed passed to a server Shakedown starts (`-seed`), so `--seed` replays latency jitter. Default: none. */
  seed?: number;
};

/**
 * Finds or provisions a Toxiproxy server, in this order: TOXIPROXY_URL; a toxiproxy-server binary on
 * PATH or in `<toolsDir>/bin` (started on a free loopback port); a Docker engine that answers within
 * `dockerCheckTimeoutMs` (testcontainers); Go on PATH (`go install`, then as binary).
 *
 * Throws ShakedownError: `TOXIPROXY_URL_UNREACHABLE` (TOXIPROXY_URL set but GET /version fails),
 * `TOXIPROXY_START_FAILED` (a binary was found but did not come up), `TOXIPROXY_UNAVAILABLE` (nothing
 * worked; the message names the three ways to get a server and what each step found).
 */
export async function resolveToxiproxy(options: ResolveToxiproxyOptions = {}): Promise<ToxiproxyServer> {
  const env = options.env ?? process.env;
  const toolsDir = options.toolsDir ?? defaultToolsDir(env);
  const log = options.log ?? (() => {});
  const findings: string[] = [];

  const envUrl = env.TOXIPROXY_URL?.trim();
  if (envUrl) {
    try {
      const version = await readToxiproxyVersion(envUrl);
      log(`using Toxiproxy ${version} at ${envUrl} (TOXIPROXY_URL)`);
      return { url: envUrl, source: 'env', version, stop: async () => {} };
    } catch (error) {
      throw new ShakedownError(
        'TOXIPROXY_URL_UNREACHABLE',
        `TOXIPROXY_URL=${envUrl} does not answer GET /version (${reasonOf(error)}). ` +
          'Start that server (e.g. `docker compose up toxiproxy`) or unset TOXIPROXY_URL to let Shakedown start one.',
        { cause: error },
      );
    }
  }
  findings.push('TOXIPROXY_URL: not set');

  const toolsBinary = join(toolsDir, 'bin', 'toxiproxy-server');
  const binary = (await findOnPath('toxiproxy-server', env.PATH)) ?? ((await isExecutable(toolsBinary)) ? toolsBinary : undefined);
  if (binary) return startBinary(binary, 'binary', env, log, options.seed);
  findings.push(`toxiproxy-server: not on PATH, not at ${toolsBinary}`);

  const docker = await probeDocker({ env, timeoutMs: options.dockerCheckTimeoutMs ?? TOXIPROXY_DEFAULTS.dockerCheckTimeoutMs });
  if (docker.ok) {
    log(`Docker answers at ${docker.endpoint}`);
    try {
      const container = await startToxiproxyContainer({ log });
      return { ...container, source: 'docker' };
    } catch (error) {
      const message = (error as Error).message;
      // The image Shakedown names may be there (built locally) while testcontainers' own reaper (Ryuk) is pulled.
      const hint = /registry|pull/i.test(message)
        ? ` (no registry reachable? build ${TOXIPROXY_DEFAULTS.image} locally and set TESTCONTAINERS_RYUK_DISABLED=true: testcontainers pulls its Ryuk reaper image otherwise)`
        : '';
      findings.push(`Docker: ${docker.endpoint} answers, but starting ${TOXIPROXY_DEFAULTS.image} failed: ${message}${hint}`);
    }
  } else {
    findings.push(`Docker: ${docker.reason}`);
  }

  const goPath = await findOnPath('go', env.PATH);
  if (!goPath) {
    findings.push('Go: not on PATH');
  } else if (options.allowGoInstall === false) {
    findings.push(`Go: ${goPath} found, but go install is turned off (allowGoInstall: false)`);
  } else {
    try {
      const built = await goInstallToxiproxy({ goPath, toolsDir, env, log });
      return startBinary(built, 'go-install', env, log, options.seed);
    } catch (error) {
      if (!(error instanceof ShakedownError) || error.code !== 'TOXIPROXY_GO_INSTALL_FAILED') throw error;
      findings.push(`Go: ${error.message}`);
    }
  }

  throw new ShakedownError(
    'TOXIPROXY_UNAVAILABLE',
    [
      'No Toxiproxy server is available. Get one in any of these three ways:',
      '  1. Set TOXIPROXY_URL to a running server, e.g. `docker compose up toxiproxy` and TOXIPROXY_URL=http://127.0.0.1:8474.',
      '  2. Put toxiproxy-server on PATH, or run scripts/setup.sh (it builds one into .tools/bin).',
      `  3. Install Docker (Shakedown then starts ${TOXIPROXY_DEFAULTS.image}) or Go (Shakedown then builds toxiproxy-server v${TOXIPROXY_DEFAULTS.version}).`,
      'What each step found:',
      ...findings.map((finding) => `  - ${finding}`),
    ].join('\n'),
  );
}

async function startBinary(
  binaryPath: string,
  source: 'binary' | 'go-install',
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  seed?: number,
): Promise<ToxiproxyServer> {
  const started = await startToxiproxyBinary(binaryPath, { env, log, seed });
  if (started.version !== TOXIPROXY_DEFAULTS.version) {
    log(`warning: ${binaryPath} reports version ${started.version}; Shakedown is tested with ${TOXIPROXY_DEFAULTS.version}`);
  }
  return { url: started.url, source, version: started.version, pid: started.pid, stop: started.stop };
}

/** The short reason behind a failed version check: ECONNREFUSED, a timeout, or the server's answer. */
function reasonOf(error: unknown): string {
  if (error instanceof ShakedownError && error.code === 'TOXIPROXY_REQUEST_FAILED' && error.cause !== undefined) {
    return describeFetchError(error.cause, TOXIPROXY_DEFAULTS.requestTimeoutMs);
  }
  return error instanceof Error ? error.message : String(error);
}
