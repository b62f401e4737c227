/**
 * Removes what a dead run left, from its lock file: the proxies it listed on its Toxiproxy server (their toxics
 * go with them), its process groups whose leader is still the process it started, and every process that carries
 * its run id in the environment (`SHAKEDOWN_RUN_ID`; this finds a grandchild of the SUT that left the group with
 * setsid, and a process started after the lock's last write). SIGTERM, then SIGKILL after `graceMs`.
 * Used by the run's watchdog (reaper-watchdog.ts) and by the next run for a lock whose owner and watchdog are dead.
 * Imports only Node's built-ins and run-lock.ts: the watchdog loads it and must start fast.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { processState, removeRunLock, RUN_ID_ENV, type RunLock } from './run-lock.ts';

export interface ReapSummary {
  proxies_deleted: number;
  process_groups_killed: number;
  processes_killed: number;
  problems: string[];
}

/** Pids of the live processes whose environment holds `SHAKEDOWN_RUN_ID=<runId>` (none where /proc is missing). */
export function runProcesses(runId: string): number[] {
  const marker = `\0${RUN_ID_ENV}=${runId}\0`;
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const e of entries) {
    const pid = Number(e);
    if (pid === process.pid) continue;
    try {
      if (`\0${readFileSync(`/proc/${e}/environ`, 'latin1')}`.includes(marker)) pids.push(pid);
    } catch {
      // exited while listing, or another user's process: not ours
    }
  }
  return pids;
}

function signal(target: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, sig);
    return true;
  } catch {
    return false;
  }
}

/** State and process group of a pid (/proc/<pid>/stat fields 3 and 5), or null when it is gone. */
function statOf(pid: number): { state: string; pgrp: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], pgrp: Number(fields[2]) };
  } catch {
    return null;
  }
}

/**
 * Whether any target (a pid, or a process group as -pgid) still has a member that is not a zombie: a killed
 * orphan stays a zombie until init reaps it, but it holds no port and runs nothing. Where /proc is missing,
 * signal 0 answers (zombies included).
 */
function anyAlive(targets: number[]): boolean {
  if (targets.length === 0) return false;
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((e) => /^\d+$/.test(e))
      .map(Number);
  } catch {
    return targets.some((t) => signal(t, 0));
  }
  const groups = new Set(targets.filter((t) => t < 0).map((t) => -t));
  const singles = new Set(targets.filter((t) => t > 0));
  return pids.some((pid) => {
    if (!singles.has(pid) && groups.size === 0) return false;
    const stat = statOf(pid);
    return stat !== null && stat.state !== 'Z' && (singles.has(pid) || groups.has(stat.pgrp));
  });
}

async function deleteProxy(url: string, name: string): Promise<'deleted' | 'absent' | string> {
  try {
    const res = await fetch(`${url}/proxies/${encodeURIComponent(name)}`, { method: 'DELETE', signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    if (res.status === 404) return 'absent';
    return res.ok ? 'deleted' : `HTTP ${res.status}`;
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
    return cause ?? (error as Error).message;
  }
}

/**
 * Reaps the run `lock` describes and removes its lock file `file`. Never throws; what could not be removed is
 * listed in `problems`. Bounded: about `graceMs` + 1 s for processes, 1 s per proxy request (in parallel).
 */
export async function reapRun(lock: RunLock, file: string, options: { graceMs?: number } = {}): Promise<ReapSummary> {
  const summary: ReapSummary = { proxies_deleted: 0, process_groups_killed: 0, processes_killed: 0, problems: [] };
  // Groups first get SIGTERM (a server that holds a port lets go of it), while the proxies are deleted.
  const groups = lock.process_groups.filter((g) => processState(g) === 'alive').map((g) => -g.pid);
  const loose = runProcesses(lock.run_id);
  for (const g of groups) if (signal(g, 'SIGTERM')) summary.process_groups_killed++;
  for (const p of loose) signal(p, 'SIGTERM');

  const server = lock.toxiproxy;
  if (server && lock.proxies.length > 0) {
    const outcomes = await Promise.all(lock.proxies.map(async (name) => ({ name, outcome: await deleteProxy(server.url, name) })));
    for (const { name, outcome } of outcomes) {
      if (outcome === 'deleted') summary.proxies_deleted++;
      // A server the run started goes with its process group: its proxies cannot outlive it.
      else if (outcome !== 'absent' && !server.started_by_harness)
        summary.problems.push(`proxy ${name} on ${server.url} could not be deleted (${outcome})`);
    }
  }

  const deadline = Date.now() + (options.graceMs ?? 1000);
  while (anyAlive([...groups, ...loose]) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  for (const t of [...groups, ...loose]) signal(t, 'SIGKILL');
  const late = runProcesses(lock.run_id); // started between the scan and the kill (a SUT forking as it died)
  for (const p of late) signal(p, 'SIGKILL');
  summary.processes_killed = new Set([...loose, ...late]).size;
  const hard = Date.now() + 1000;
  while (anyAlive([...groups, ...loose, ...late]) && Date.now() < hard) await new Promise((r) => setTimeout(r, 25));
  const left = [...groups, ...loose, ...late].filter((t) => anyAlive([t]));
  if (left.length) summary.problems.push(`still alive after SIGKILL: ${left.map((t) => (t < 0 ? `group ${-t}` : `pid ${t}`)).join(', ')}`);
  removeRunLock(file);
  return summary;
}

/** One line for a person: what was removed. */
export function describeReap(s: ReapSummary): string {
  const parts = [
    `${s.process_groups_killed} process group${s.process_groups_killed === 1 ? '' : 's'}`,
    `${s.processes_killed} marked process${s.processes_killed === 1 ? '' : 'es'}`,
    `${s.proxies_deleted} prox${s.proxies_deleted === 1 ? 'y' : 'ies'}`,
  ];
  return `removed ${parts.join(', ')}${s.problems.length ? `; problems: ${s.problems.join('; ')}` : ''}`;
}
