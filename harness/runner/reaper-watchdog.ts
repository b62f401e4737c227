/**
 * The run's watchdog, a tiny detached process (its own session) started by the runner with a pipe as stdin:
 * `SHAKEDOWN_LOCK_FILE=<lock file> node reaper-watchdog.ts`. The CLI never writes to the pipe but `stand-down`; when the CLI dies by
 * any means (kill -9 included) the kernel closes the pipe, the watchdog reads end-of-file and reaps the run from
 * its lock file (reap-run.ts), then exits. `stand-down` (a normal end: the runner has torn down and removed the
 * lock itself) makes it exit without touching anything. Its stdout and stderr are ignored: it prints nothing.
 */
import { readRunLock, removeRunLock } from './run-lock.ts';
import { reapRun } from './reap-run.ts';

const file = process.env.SHAKEDOWN_LOCK_FILE;
let told = '';
let standDown = false;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  told += chunk;
  if (told.includes('stand-down')) standDown = true;
});
process.stdin.on('error', () => {
  // a reset pipe is the same news as end-of-file: 'close' follows
});
process.stdin.on('close', () => {
  // Nothing else holds the event loop: the process ends once this returns (and the reap's requests settled).
  if (standDown || !file) return;
  const lock = readRunLock(file);
  if (lock) void reapRun(lock, file);
  else removeRunLock(file);
});
