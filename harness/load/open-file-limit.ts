/**
 * How many more files (sockets included) this process may open: the soft "Max open files" limit, read from
 * /proc/self/limits (Node has no getrlimit), minus the descriptors already open (/proc/self/fd).
 *
 * Shapes: `readOpenFileRoom()` → `{ limit, open, room }`, or null where /proc is absent (not Linux): then no
 * check is made.
 * @see https://man7.org/linux/man-pages/man5/proc_pid_limits.5.html
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Descriptors kept free beyond the load's connections: control calls, the results files, Toxiproxy checks. */
export const OPEN_FILE_RESERVE = 64;

export function readOpenFileRoom(): { limit: number; open: number; room: number } | null {
  let limits: string;
  let open: number;
  try {
    limits = readFileSync('/proc/self/limits', 'utf8');
    open = readdirSync('/proc/self/fd').length;
  } catch {
    return null; // no /proc (macOS, Windows): the operating system reports EMFILE itself
  }
  const soft = /^Max open files\s+(\S+)/m.exec(limits)?.[1];
  if (!soft || soft === 'unlimited') return null;
  const limit = Number(soft);
  return { limit, open, room: Math.max(0, limit - open - OPEN_FILE_RESERVE) };
}
