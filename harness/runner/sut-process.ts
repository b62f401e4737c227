/**
 * Starts the SUT as its own process group, keeps the tail of its output, waits for readiness and notices an
 * early exit. `node` as the command means the harness's own Node, so the SUT runs on Node 24 too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ShakedownError } from '../errors.ts';
import { stopGroup, trackGroup } from './process-groups.ts';

export interface SutProcess {
  pid: number;
  /** Settles when the process exits, with its code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether it has exited. */
  readonly hasExited: boolean;
  /** Last ~4 KB of stderr and stdout. */
  tail(): { stdout: string; stderr: string };
  stop(): Promise<void>;
}

const TAIL_BYTES = 4096;

function keepTail(buffer: { text: string }, chunk: Buffer) {
  buffer.text = (buffer.text + chunk.toString('utf8')).slice(-TAIL_BYTES);
}

/**
 * @param command argv; `command[0] === 'node'` is replaced by `process.execPath`
 * @throws ShakedownError SUT_START_FAILED (exit 3) when the command cannot be spawned
 */
export async function startSut(command: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<SutProcess> {
  const [file, ...args] = command;
  const executable = file === 'node' ? process.execPath : file;
  let child: ChildProcess;
  try {
    child = spawn(executable, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new ShakedownError('SUT_START_FAILED', `Failed to start the SUT (${command.join(' ')}): ${(error as Error).message}`, {
      cause: error,
    });
  }
  const spawned = await new Promise<Error | null>((resolve) => {
    child.once('spawn', () => resolve(null));
    child.once('error', (e) => resolve(e));
  });
  if (spawned || !child.pid) {
    throw new ShakedownError(
      'SUT_START_FAILED',
      `Failed to start the SUT: ${command.join(' ')}: ${spawned?.message ?? 'no pid'}. Check system.command in the scenario.`,
    );
  }
  const pid = child.pid;
  trackGroup(pid);
  const out = { text: '' };
  const err = { text: '' };
  child.stdout!.on('data', (c: Buffer) => keepTail(out, c));
  child.stderr!.on('data', (c: Buffer) => keepTail(err, c));
  let hasExited = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      resolve({ code, signal });
    });
  });
  return {
    pid,
    exited,
    get hasExited() {
      return hasExited;
    },
    tail: () => ({ stdout: out.text, stderr: err.text }),
    async stop() {
      if (!hasExited) await stopGroup(pid);
      else await stopGroup(pid, 200); // the leader is gone; its children may not be
    },
  };
}

/** Formats the tail of a dead process's output for an error message. */
export function describeExit(
  name: string,
  exit: { code: number | null; signal: NodeJS.Signals | null },
  tail: { stdout: string; stderr: string },
): string {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const lines = outputTail(tail);
  return `${name} ${how}${lines ? `; the end of its output:\n${lines}` : ' and printed nothing'}`;
}

/** The last 15 non-blank lines of stderr (else stdout), each as `  | line`; '' when it printed nothing. */
function outputTail(tail: { stdout: string; stderr: string }): string {
  const text = tail.stderr.trim() || tail.stdout.trim();
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .slice(-15)
    .map((l) => `  | ${l}`)
    .join('\n');
}

/**
 * Polls `GET url` until it answers `status`, the process exits, or the timeout passes.
 * @throws ShakedownError SUT_NOT_READY (exit 3) with the last error seen and the process's output tail
 */
export async function waitReady(
  url: string,
  options: { status: number; timeout_ms: number; sut?: SutProcess; signal?: AbortSignal },
): Promise<number> {
  const started = performance.now();
  let last = 'no answer yet';
  while (performance.now() - started < options.timeout_ms) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (options.sut?.hasExited) {
      const exit = await options.sut.exited;
      throw new ShakedownError('SUT_EXITED', `The SUT stopped before it became ready: ${describeExit('it', exit, options.sut.tail())}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === options.status) return performance.now() - started;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const tail = options.sut ? options.sut.tail() : undefined;
  const lines = tail ? outputTail(tail) : '';
  const output = !tail ? '' : lines ? `\nThe end of its output:\n${lines}` : ' It printed nothing.';
  throw new ShakedownError(
    'SUT_NOT_READY',
    `The SUT did not answer GET ${url} with ${options.status} within ${options.timeout_ms} ms (last: ${last}). Check system.ready in the scenario.${output}`,
  );
}
