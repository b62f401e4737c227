import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ShakedownError } from '../errors.ts';
import { TOXIPROXY_DEFAULTS } from './defaults.ts';
import { readToxiproxyVersion, toxiproxyRequest, ToxiproxyRefusedError } from './toxiproxy-api.ts';

/** A toxiproxy-server process this harness started; `stop()` ends it and waits until it has exited. */
export type StartedToxiproxyBinary = { url: string; version: string; pid: number; stop(): Promise<void> };

export type StartToxiproxyBinaryOptions = {
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  startTimeoutMs?: number;
  stopGraceMs?: number;
  /** Where the port comes from. Default: findFreeLoopbackPort. Tests pass a taken port to exercise the retry. */
  pickPort?: () => Promise<number>;
  /** Seed for the server's randomness (latency jitter, toxicity rolls): `-seed`. Default: the server's own. */
  seed?: number;
};

/**
 * Starts `binaryPath` on a free loopback port (`-host 127.0.0.1 -port P`) in its own process group, so a
 * Ctrl-C in the terminal reaches the harness (which then cleans up) and not the server first.
 *
 * The port comes from binding port 0 and closing it; another process can take it before the server binds.
 * toxiproxy-server does not exit then: it logs `bind: address already in use` and keeps running, and
 * whoever holds the port may answer /version. So the server is started with a sentinel proxy in `-config`,
 * and it is only "ours" once GET /proxies/<sentinel> answers; a lost race starts again on a new port.
 *
 * Throws ShakedownError `TOXIPROXY_START_FAILED` with the server's last output lines.
 */
export async function startToxiproxyBinary(binaryPath: string, options: StartToxiproxyBinaryOptions = {}): Promise<StartedToxiproxyBinary> {
  const problems: string[] = [];
  for (let attempt = 1; attempt <= TOXIPROXY_DEFAULTS.startAttempts; attempt++) {
    const outcome = await startOnce(binaryPath, options);
    if (outcome.kind === 'started') return outcome.server;
    if (outcome.kind === 'failed') throw outcome.error;
    problems.push(outcome.reason);
    options.log?.(`toxiproxy-server: ${outcome.reason}; trying another port`);
  }
  throw new ShakedownError(
    'TOXIPROXY_START_FAILED',
    `Failed to start Toxiproxy (${binaryPath}): the free port was taken by another process ` +
      `${TOXIPROXY_DEFAULTS.startAttempts} times (${problems.join('; ')}). Set TOXIPROXY_URL to a running server.`,
  );
}

type StartOutcome =
  { kind: 'started'; server: StartedToxiproxyBinary } | { kind: 'port-taken'; reason: string } | { kind: 'failed'; error: ShakedownError };

async function startOnce(binaryPath: string, options: StartToxiproxyBinaryOptions): Promise<StartOutcome> {
  const startTimeoutMs = options.startTimeoutMs ?? TOXIPROXY_DEFAULTS.startTimeoutMs;
  const port = await (options.pickPort ?? findFreeLoopbackPort)();
  const url = `http://127.0.0.1:${port}`;
  const sentinel = `shakedown-sentinel-${randomBytes(6).toString('hex')}`;
  const configDir = await mkdtemp(join(tmpdir(), 'shakedown-toxiproxy-'));
  const configPath = join(configDir, 'sentinel.json');
  await writeFile(configPath, JSON.stringify([{ name: sentinel, listen: '127.0.0.1:0', upstream: '127.0.0.1:9', enabled: true }]));

  const env = options.env ?? process.env;
  const child = spawn(
    binaryPath,
    [
      '-host',
      '127.0.0.1',
      '-port',
      String(port),
      '-config',
      configPath,
      ...(options.seed === undefined ? [] : ['-seed', String(options.seed)]),
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...env, LOG_LEVEL: env.LOG_LEVEL ?? 'info' },
    },
  );
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > TOXIPROXY_DEFAULTS.outputTailLines) tail.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exit: { code: number | null; signal: string | null } | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
    child.once('error', (error) => {
      spawnError = error;
      if (child.pid === undefined) resolve();
    });
  });
  // A forgotten stop() must not keep Node alive nor leave an orphan: unref, and kill the group on exit.
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || exit) return;
    try {
      process.kill(-child.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };
  const killOnExit = () => killGroup('SIGKILL');
  killOnProcessExit.add(killOnExit);
  if (killOnProcessExit.size === 1) process.on('exit', killAllOnExit);
  child.unref();
  (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const graceMs = options.stopGraceMs ?? TOXIPROXY_DEFAULTS.stopGraceMs;
      killGroup('SIGTERM');
      const escalate = setTimeout(() => killGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(escalate);
      killOnProcessExit.delete(killOnExit);
      if (killOnProcessExit.size === 0) process.off('exit', killAllOnExit);
    })();
    return stopping;
  };
  const output = () => (tail.length === 0 ? '(no output)' : tail.join('\n'));
  const fail = async (why: string): Promise<StartOutcome> => {
    await stop();
    await rm(configDir, { recursive: true, force: true });
    return {
      kind: 'failed',
      error: new ShakedownError(
        'TOXIPROXY_START_FAILED',
        `Failed to start Toxiproxy (${binaryPath} -host 127.0.0.1 -port ${port}): ${why}. ` +
          `Last output:\n${output()}\nRun scripts/setup.sh to rebuild it, or set TOXIPROXY_URL to a running server.`,
        { cause: spawnError },
      ),
    };
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (spawnError) return fail(`it could not be run (${spawnError.message})`);
    if (exit) return fail(`it exited with ${exit.signal ?? `code ${exit.code}`} before answering GET /version`);
    if (tail.some((line) => line.includes('address already in use'))) {
      await stop();
      await rm(configDir, { recursive: true, force: true });
      return { kind: 'port-taken', reason: `port ${port} was taken before the server bound it` };
    }
    let version: string | undefined;
    try {
      version = await readToxiproxyVersion(url, Math.max(100, Math.min(300, deadline - Date.now())));
    } catch (error) {
      if (!(error instanceof ShakedownError)) throw error;
    }
    if (version !== undefined) {
      let ours: boolean;
      try {
        ours = await isOurs(url, sentinel);
      } catch (error) {
        return fail(`it answered GET /version but not the start-up check (${(error as Error).message})`);
      }
      if (ours) {
        await rm(configDir, { recursive: true, force: true });
        options.log?.(`started toxiproxy-server ${version} (pid ${child.pid}) at ${url}`);
        return { kind: 'started', server: { url, version, pid: child.pid as number, stop } };
      }
      await stop();
      await rm(configDir, { recursive: true, force: true });
      return { kind: 'port-taken', reason: `another Toxiproxy answered on port ${port}` };
    }
    if (Date.now() >= deadline) return fail(`GET /version did not answer within ${startTimeoutMs} ms`);
    await sleep(50);
  }
}

/** Servers still running: killed (SIGKILL, synchronously) if Node exits without stop(). */
const killOnProcessExit = new Set<() => void>();
function killAllOnExit(): void {
  for (const kill of killOnProcessExit) kill();
}

/** True when the server at `url` holds our sentinel proxy; the sentinel is then deleted. */
async function isOurs(url: string, sentinel: string): Promise<boolean> {
  try {
    await toxiproxyRequest(url, { method: 'DELETE', path: `/proxies/${sentinel}`, what: 'removal of the start-up sentinel proxy' });
    return true;
  } catch (error) {
    if (error instanceof ToxiproxyRefusedError && error.status === 404) return false;
    throw error;
  }
}

/** Binds 127.0.0.1:0, reads the port the kernel chose, and closes it again. */
export function findFreeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
