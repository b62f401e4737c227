/**
 * Tracks the process groups the harness started (SUT, fakes, Toxiproxy) so that whatever the exit path —
 * normal end, thrown error, signal, a second Ctrl-C — none outlives the harness. `killAllSync` is safe to
 * call from a `process.on('exit')` handler.
 */
const groups = new Set<number>();

/** Remembers a child started with `detached: true` (its pid is its process-group id). */
export function trackGroup(pid: number | undefined): void {
  if (pid) groups.add(pid);
}

function untrackGroup(pid: number | undefined): void {
  if (pid) groups.delete(pid);
}

/** Whether a process group still has a live member. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to every tracked group; returns how many were signalled. */
function signalAll(signal: NodeJS.Signals): number {
  let n = 0;
  for (const pgid of groups) {
    try {
      process.kill(-pgid, signal);
      n++;
    } catch {
      groups.delete(pgid); // already gone
    }
  }
  return n;
}

/** SIGKILL to every tracked group, synchronously. */
export function killAllSync(): void {
  signalAll('SIGKILL');
  groups.clear();
}

/**
 * Stops one group: SIGTERM, then SIGKILL after `graceMs`; resolves once no member is left (bounded).
 */
export async function stopGroup(pgid: number, graceMs = 2000): Promise<void> {
  const deadline = Date.now() + graceMs;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    untrackGroup(pgid);
    return;
  }
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* exited between the check and the kill */
    }
    const hard = Date.now() + 1000;
    while (groupAlive(pgid) && Date.now() < hard) await new Promise((r) => setTimeout(r, 25));
  }
  untrackGroup(pgid);
}

/**
 * Cleanups that must happen even on a forced exit (a second Ctrl-C), for what killing process groups does not
 * reach: proxies on a Toxiproxy server the harness did not start (TOXIPROXY_URL, Docker). Each must be quick.
 */
const forceCleanups = new Set<() => Promise<unknown>>();

/** Registers a forced-exit cleanup; returns a function that unregisters it (once the normal teardown did it). */
export function onForcedExit(cleanup: () => Promise<unknown>): () => void {
  forceCleanups.add(cleanup);
  return () => {
    forceCleanups.delete(cleanup);
  };
}

/** Runs every forced-exit cleanup in parallel; resolves when all settled or after `boundMs`, whichever first. */
export async function runForcedExitCleanups(boundMs = 1500): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, boundMs);
  });
  await Promise.race([Promise.allSettled([...forceCleanups].map((cleanup) => cleanup())), bound]);
  clearTimeout(timer);
}
