import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ShakedownError } from '../errors.ts';
import { TOXIPROXY_DEFAULTS } from './defaults.ts';

/**
 * Builds toxiproxy-server with `go install <pkg>@v2.12.0` (the version stamped with -ldflags so /version
 * reports it) into a temporary GOBIN inside `toolsDir`, then renames it to `<toolsDir>/bin/toxiproxy-server`.
 * The rename is atomic (same file system), so a concurrent run sees either no binary or a whole one.
 * Returns the binary's path. Throws ShakedownError `TOXIPROXY_GO_INSTALL_FAILED` with go's last output lines.
 * @see scripts/setup.sh, which does the same once at setup time.
 */
export async function goInstallToxiproxy(options: {
  goPath: string;
  toolsDir: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  timeoutMs?: number;
}): Promise<string> {
  const { version, goPackage, goVersionVariable } = TOXIPROXY_DEFAULTS;
  const timeoutMs = options.timeoutMs ?? TOXIPROXY_DEFAULTS.goInstallTimeoutMs;
  await mkdir(join(options.toolsDir, 'bin'), { recursive: true });
  const gobin = await mkdtemp(join(options.toolsDir, 'gobin-'));
  const args = ['install', '-ldflags', `-X ${goVersionVariable}=${version}`, `${goPackage}@v${version}`];
  options.log?.(`building toxiproxy-server v${version} with ${options.goPath} ${args.join(' ')} (about a minute, once)`);
  try {
    const result = await run(options.goPath, args, {
      env: { ...(options.env ?? process.env), GOBIN: gobin, GOFLAGS: '-mod=mod' },
      timeoutMs,
    });
    if (result.failure) {
      throw new ShakedownError(
        'TOXIPROXY_GO_INSTALL_FAILED',
        `go install ${goPackage}@v${version} failed: ${result.failure}. Last output:\n${result.output || '(no output)'}`,
      );
    }
    const target = join(options.toolsDir, 'bin', 'toxiproxy-server');
    await rename(join(gobin, 'server'), target);
    return target;
  } finally {
    await rm(gobin, { recursive: true, force: true });
  }
}

function run(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ failure?: string; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ failure: error.message, output: output.trim() });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const failure = timedOut ? `no result within ${options.timeoutMs} ms` : code === 0 ? undefined : `exit ${signal ?? `code ${code}`}`;
      resolve({ failure, output: output.trim() });
    });
  });
}
