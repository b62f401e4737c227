/**
 * The run lock file: what one run has created that must not outlive it (process groups, proxies on a Toxiproxy
 * server), kept up to date while the run goes, so that its watchdog, or the next run, can remove all of it when
 * the CLI dies without tearing down (kill -9, a closed terminal, a crash).
 *
 * Where: `$SHAKEDOWN_RUNS_DIR`, else `$XDG_RUNTIME_DIR/shakedown/runs`, else `~/.cache/shakedown/runs`; one file
 * per run, `<run id>.json`, written atomically (temporary file, then rename), mode 0600.
 *
 * Processes are identified by pid, start time (clock ticks since boot, /proc/<pid>/stat field 22) and pid
 * namespace, so that a reused pid, or pid 1 of another container, is never taken for the run's own.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A process as the lock records it: `start_ticks` and `pid_ns` are null where /proc cannot tell (not Linux). */
export interface ProcessIdentity {
  pid: number;
  start_ticks: number | null;
  pid_ns: string | null;
}

export interface RunLock {
  /** Random, 12 hex digits: names the run's proxies (`shakedown-<run id>-<dependency>`) and marks its processes. */
  run_id: string;
  started_at: string;
  /** The CLI that owns the run. */
  owner: ProcessIdentity;
  /** The detached watchdog that reaps the run when the owner dies; null until it has started. */
  watchdog: ProcessIdentity | null;
  /** Process groups the run started (SUT, fakes, its own Toxiproxy): the leader's pid is the group id. */
  process_groups: ProcessIdentity[];
  /** The Toxiproxy server the run's proxies live on; `started_by_harness` when its process is one of the groups. */
  toxiproxy: { url: string; started_by_harness: boolean } | null;
  /** Proxy names on that server, listed before each is created (deleting one deletes its toxics). */
  proxies: string[];
}

/** The environment variable every process the run starts inherits (`SHAKEDOWN_RUN_ID=<run id>`). */
export const RUN_ID_ENV = 'SHAKEDOWN_RUN_ID';

/** A fresh run id: 48 random bits as 12 hex digits (never the pid: two containers both have pid 1). */
export function newRunId(): string {
  return randomBytes(6).toString('hex');
}

/** The folder of run lock files (see the file comment); created with mode 0700 when missing. */
export function runLockDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.SHAKEDOWN_RUNS_DIR ||
    (env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'shakedown', 'runs') : join(homedir(), '.cache', 'shakedown', 'runs'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function lockFilePath(dir: string, runId: string): string {
  return join(dir, `${runId}.json`);
}

/** Writes the lock atomically; the temporary name carries the run id, so two runs never share one. */
export function writeRunLock(file: string, lock: RunLock): void {
  const tmp = `${file}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(lock)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** The lock at `file`, or null when it is gone or unreadable (a half-written one is never renamed into place). */
export function readRunLock(file: string): RunLock | null {
  try {
    const lock = JSON.parse(readFileSync(file, 'utf8')) as RunLock;
    return typeof lock?.run_id === 'string' && /^[0-9a-f]{12}$/.test(lock.run_id) ? lock : null;
  } catch {
    return null;
  }
}

/** Removes the lock and its temporary file (a write cut short by kill -9). */
export function removeRunLock(file: string): void {
  rmSync(file, { force: true });
  rmSync(`${file}.tmp`, { force: true });
}

/** Every lock file in `dir` (path and content); unreadable ones are skipped. */
export function listRunLocks(dir: string): Array<{ file: string; lock: RunLock }> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^[0-9a-f]{12}\.json$/.test(n));
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const lock = readRunLock(join(dir, n));
    return lock ? [{ file: join(dir, n), lock }] : [];
  });
}

/** Start time of `pid` in clock ticks since boot (/proc/<pid>/stat field 22), or null when it is not running. */
export function startTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return null;
  }
}

/** This process's pid namespace (`pid:[4026531836]`), or null where there is no /proc. */
export function pidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}

export function identify(pid: number): ProcessIdentity {
  return { pid, start_ticks: startTicks(pid), pid_ns: pidNamespace() };
}

/**
 * Whether the recorded process is still the same running process: `'alive'`, `'dead'`, or `'unknown'` when it
 * lives in another pid namespace (its pid means nothing here).
 */
export function processState(p: ProcessIdentity | null): 'alive' | 'dead' | 'unknown' {
  if (!p) return 'dead';
  if (p.pid_ns !== null && p.pid_ns !== pidNamespace()) return 'unknown';
  try {
    process.kill(p.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'dead';
  }
  if (p.start_ticks === null) return 'alive';
  return startTicks(p.pid) === p.start_ticks ? 'alive' : 'dead';
}
