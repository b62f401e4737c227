/**
 * After the teardown: processes of the run that outlived their process group (a grandchild of the SUT that
 * called setsid, a daemonizing server) are found by the run id in their environment, killed, and reported; the
 * SUT's port still accepting connections afterwards is reported too, naming whether the run's process held it.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { portAnswers } from './network.ts';
import { runProcesses } from './reap-run.ts';

/** Local ports `pid` listens on (TCP, IPv4 and IPv6), from /proc; empty where /proc cannot tell. */
export function listeningPorts(pid: number): number[] {
  let inodes: Set<string>;
  try {
    inodes = new Set(
      readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
        try {
          const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
          return m ? [m[1]] : [];
        } catch {
          return []; // closed while listing
        }
      }),
    );
  } catch {
    return [];
  }
  const ports = new Set<number>();
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue; // no IPv6 in this kernel
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT, st 0A is LISTEN, inode is the 10th column
      if (cols.length > 9 && cols[3] === '0A' && inodes.has(cols[9])) ports.add(parseInt(cols[1].split(':')[1], 16));
    }
  }
  return [...ports];
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 200);
  } catch {
    return '?';
  }
}

/**
 * Kills the run's processes that are still alive after the teardown and returns one problem line for each, and
 * one when `sutPort` still accepts connections afterwards (held by a process that is not the run's).
 */
export async function reapEscapedProcesses(runId: string, sutPort: number | undefined): Promise<string[]> {
  const problems: string[] = [];
  for (const pid of runProcesses(runId)) {
    const ports = listeningPorts(pid);
    const held = sutPort !== undefined && ports.includes(sutPort) ? ` and held the SUT's port ${sutPort}` : '';
    const command = commandLine(pid);
    let outcome = 'killed';
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      outcome = `could not be killed (${(error as NodeJS.ErrnoException).code})`;
    }
    problems.push(
      `pid ${pid} (${command}), started by the run, outlived its process group (it left it, e.g. with setsid)${held}: ${outcome}`,
    );
  }
  if (problems.length) await new Promise((r) => setTimeout(r, 100)); // the kernel releases the port once it is reaped
  if (sutPort !== undefined && (await portAnswers(`http://127.0.0.1:${sutPort}`)))
    problems.push(`the SUT's port ${sutPort} still accepts connections after the teardown, held by a process the run did not start`);
  return problems;
}
