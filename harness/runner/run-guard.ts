/**
 * The reaper, runner side: gives the run a random id, keeps its lock file up to date (run-lock.ts) and starts the
 * run's watchdog (reaper-watchdog.ts), a detached process that reaps the run when the CLI dies without tearing
 * down. On a normal end `standDown()` removes the lock and tells the watchdog to exit without touching anything.
 * `reapStaleRuns` is the next run's part: a lock whose owner and watchdog are both dead is reaped, with one line.
 */
import { spawn } from 'node:child_process';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { describeReap, reapRun } from './reap-run.ts';
import {
  identify,
  listRunLocks,
  lockFilePath,
  newRunId,
  processState,
  removeRunLock,
  RUN_ID_ENV,
  runLockDir,
  writeRunLock,
  type RunLock,
} from './run-lock.ts';

const WATCHDOG = fileURLToPath(new URL('./reaper-watchdog.ts', import.meta.url));

export interface RunGuard {
  runId: string;
  lockFile: string;
  /** `{ SHAKEDOWN_RUN_ID: <run id> }`: added to the environment of every process the run starts. */
  env: Record<string, string>;
  /** Records a process group the run started (its leader's pid). */
  addGroup(pid: number | undefined): void;
  setToxiproxy(url: string, startedByHarness: boolean): void;
  /** Records proxy names before they are created (a create that times out may still have happened). */
  addProxies(names: string[]): void;
  /** A normal end (everything torn down): removes the lock and lets the watchdog exit. Idempotent. */
  standDown(): void;
  /** Why the run has no reaper, or an incomplete lock (the lock folder could not be written), if so. */
  problem(): string | undefined;
}

/**
 * Writes the lock and starts the watchdog. Never throws: when the lock folder cannot be written the run goes on
 * without a reaper, and `problem()` says why.
 */
export function startRunGuard(env: NodeJS.ProcessEnv = process.env): RunGuard {
  const runId = newRunId();
  let problem: string | undefined;
  let lockFile: string;
  const lock: RunLock = {
    run_id: runId,
    started_at: new Date().toISOString(),
    owner: identify(process.pid),
    watchdog: null,
    process_groups: [],
    toxiproxy: null,
    proxies: [],
  };
  const noReaper = (error: unknown) => ({
    runId,
    lockFile: '',
    env: { [RUN_ID_ENV]: runId },
    addGroup: () => {},
    setToxiproxy: () => {},
    addProxies: () => {},
    standDown: () => {},
    problem: () => `no reaper for this run: the run lock could not be written (${(error as Error).message})`,
  });
  try {
    lockFile = lockFilePath(runLockDir(env), runId);
    writeRunLock(lockFile, lock);
  } catch (error) {
    return noReaper(error);
  }
  const dir = module.getCompileCacheDir?.();
  const child = spawn(process.execPath, [WATCHDOG], {
    detached: true, // its own session: a closed terminal's SIGHUP and a Ctrl-C never reach it
    stdio: ['pipe', 'ignore', 'ignore'],
    env: { ...env, ...(dir ? { NODE_COMPILE_CACHE: dir } : {}), SHAKEDOWN_LOCK_FILE: lockFile },
  });
  // Neither the child nor the pipe may keep the CLI alive; the pipe closes when the CLI's process ends.
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  child.stdin!.on('error', () => {
    // the watchdog died (someone killed it): the run goes on without one, as before reapers existed
  });
  if (child.pid) lock.watchdog = identify(child.pid);
  let stood = false;
  const save = () => {
    if (stood) return;
    try {
      writeRunLock(lockFile, lock);
    } catch (error) {
      // The last good lock stays: the watchdog and the run id marker still find most of the run.
      problem ??= `the run lock ${lockFile} could not be updated (${(error as Error).message}): after a crash, clean-up may be incomplete`;
    }
  };
  save();
  return {
    runId,
    lockFile,
    env: { [RUN_ID_ENV]: runId },
    addGroup(pid) {
      if (!pid) return;
      lock.process_groups.push(identify(pid));
      save();
    },
    setToxiproxy(url, startedByHarness) {
      lock.toxiproxy = { url, started_by_harness: startedByHarness };
      save();
    },
    addProxies(names) {
      lock.proxies.push(...names.filter((n) => !lock.proxies.includes(n)));
      save();
    },
    standDown() {
      if (stood) return;
      stood = true;
      removeRunLock(lockFile);
      if (child.stdin?.writable) child.stdin.end('stand-down\n');
    },
    problem: () => problem,
  };
}

/**
 * Reaps every run in the lock folder whose owner and watchdog are both dead (kill -9 of the whole session, a
 * crash of the machine's init scope, a watchdog killed by hand). Locks of live runs, of runs whose watchdog is
 * still at work, and of runs in another pid namespace (a container sharing the folder) are left alone.
 * Never throws; reports each reaped run with one line through `log`.
 */
export async function reapStaleRuns(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let locks: ReturnType<typeof listRunLocks>;
  try {
    locks = listRunLocks(runLockDir(env));
  } catch (error) {
    log(`cannot read the run lock folder: ${(error as Error).message}`);
    return 0;
  }
  const stale = locks.filter(({ lock }) => processState(lock.owner) === 'dead' && processState(lock.watchdog) === 'dead');
  await Promise.all(
    stale.map(async ({ file, lock }) => {
      const summary = await reapRun(lock, file);
      log(
        `cleaned up after run ${lock.run_id} (pid ${lock.owner.pid}, started ${lock.started_at}), which died without tearing down: ${describeReap(summary)}`,
      );
    }),
  );
  return stale.length;
}
