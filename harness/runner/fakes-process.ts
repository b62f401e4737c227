/**
 * Starts the fakes in their own child process (never in the load generator's event loop) and talks to its
 * control API: modes on and off, counters, request logs, health. Wire shapes: docs/architecture.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { ShakedownError } from '../errors.ts';
import { ownModuleUrl } from '../package-files.ts';
import type { FakeMode, FakeSpec } from '../scenario/index.ts';
import { stopGroup, trackGroup } from './process-groups.ts';
import type { FakeStats, FakesHealth, LogPage, RequestLogEntry } from '../../contract/index.ts';

const SERVE = fileURLToPath(ownModuleUrl('fakes/serve.ts'));

/** One entry of a fake's request log, as the control API serves it (the fakes' own type). */
export type FakeLogEntry = RequestLogEntry;
export type { FakeStats };

export interface FakesProcess {
  pid: number;
  controlUrl: string;
  fakes: Record<string, { url: string; kind: string }>;
  readonly hasExited: boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  tail(): string;
  setMode(fake: string, id: string, mode: FakeMode): Promise<void>;
  clearMode(fake: string, id: string): Promise<void>;
  stats(fake: string): Promise<FakeStats>;
  log(fake: string, since?: number): Promise<LogPage>;
  health(): Promise<FakesHealth>;
  stop(): Promise<void>;
}

async function control(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  if (!res.ok)
    throw new ShakedownError(
      'FAKES_CONTROL_FAILED',
      `The fakes' control API refused ${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`,
    );
  return text ? JSON.parse(text) : undefined;
}

/** `NODE_COMPILE_CACHE` pointing at this process's compile cache when one is enabled, else nothing. */
function compileCacheEnv(): Record<string, string> {
  const dir = module.getCompileCacheDir?.();
  return dir ? { NODE_COMPILE_CACHE: dir } : {};
}

/**
 * @throws ShakedownError FAKES_START_FAILED (exit 3) when the child fails or is not ready within `timeout_ms`
 */
export async function startFakes(
  config: { seed: number; fakes: Record<string, FakeSpec> },
  options: { timeout_ms?: number } = {},
): Promise<FakesProcess> {
  const child: ChildProcess = fork(SERVE, [], {
    // The compile cache the CLI enabled (bin.ts), when it did: the fakes start faster from the second run on.
    env: { ...process.env, ...compileCacheEnv(), SHAKEDOWN_FAKES_CONFIG: JSON.stringify(config) },
    execPath: process.execPath,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  trackGroup(child.pid);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => {
    output = (output + c.toString()).slice(-4096);
  });
  child.stderr!.on('data', (c: Buffer) => {
    output = (output + c.toString()).slice(-4096);
  });
  let hasExited = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      resolve({ code, signal });
    });
  });
  const stop = async () => {
    if (child.connected) child.disconnect();
    if (child.pid) await stopGroup(child.pid, 1500);
  };
  type Ready = { type: 'ready'; control_url: string; fakes: Record<string, { url: string; kind: string }> };
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new ShakedownError(
            'FAKES_START_FAILED',
            `The fakes process did not report ready within ${options.timeout_ms ?? 10_000} ms.${output ? `\n${output}` : ''}`,
          ),
        ),
      options.timeout_ms ?? 10_000,
    );
    child.on('message', (m: { type?: string; message?: string }) => {
      if (m?.type === 'ready') {
        clearTimeout(timer);
        resolve(m as Ready);
      }
      if (m?.type === 'error') {
        clearTimeout(timer);
        reject(new ShakedownError('FAKES_START_FAILED', `The fakes failed to start: ${m.message}`));
      }
    });
    void exited.then((e) => {
      clearTimeout(timer);
      reject(
        new ShakedownError(
          'FAKES_START_FAILED',
          `The fakes process exited (${e.signal ?? `code ${e.code}`}) before it was ready.${output ? `\n${output.trim()}` : ''}`,
        ),
      );
    });
  }).catch(async (error) => {
    await stop();
    throw error;
  });
  const base = ready.control_url;
  return {
    pid: child.pid!,
    controlUrl: base,
    fakes: ready.fakes,
    get hasExited() {
      return hasExited;
    },
    exited,
    tail: () => output,
    setMode: async (fake, id, mode) => {
      await control(base, 'PUT', `/fakes/${encodeURIComponent(fake)}/modes/${encodeURIComponent(id)}`, mode);
    },
    clearMode: async (fake, id) => {
      await control(base, 'DELETE', `/fakes/${encodeURIComponent(fake)}/modes/${encodeURIComponent(id)}`);
    },
    stats: async (fake) => (await control(base, 'GET', `/fakes/${encodeURIComponent(fake)}/stats`)) as FakeStats,
    log: async (fake, since = 0) => (await control(base, 'GET', `/fakes/${encodeURIComponent(fake)}/log?since=${since}`)) as LogPage,
    health: async () => (await control(base, 'GET', '/health')) as { ok: boolean; event_loop_delay_p99_ms: number },
    stop,
  };
}
