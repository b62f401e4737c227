/**
 * Shared by the robustness tests: the CLI as a spawned process (its output parsed for the pids and ports it
 * printed), a Toxiproxy server the test owns (so it outlives the run and can be inspected), a seeded PRNG and a
 * small slot pool so that at most two runs go at once on the shared cores.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startToxiproxyBinary } from '../../harness/toxiproxy/start-toxiproxy-binary.ts';
import type { RunResult } from '../../harness/results/result-types.ts';
import { ROOT, accepting, alive } from '../cli/helpers.ts';
import { createRandom } from '../../harness/runner/random.ts';

export { ROOT, accepting, alive };

/** The pid listening on 127.0.0.1:port per `ss -ltnp`, or null when none is listed or `ss` is missing. */
function listenerPid(port: number): number | null {
  const r = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8', timeout: 5000 });
  const m = /pid=(\d+)/.exec(r.stdout ?? '');
  return m ? Number(m[1]) : null;
}

/** Process group of a live pid (/proc/<pid>/stat, field 5), or null. */
function pgidOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return null;
  }
}

/**
 * Whether a port a finished run printed is still held by that run: something accepts on it and its listener is
 * one of the run's processes or in one of their process groups (a grandchild the teardown missed), or cannot be
 * identified. Tests run concurrently, so a freed port can be taken at once by another test's server (the
 * kernel hands out ephemeral ports again); such a listener is not this run's leak. Proxies left on a Toxiproxy
 * server the test owns are checked by name instead (`proxiesOn`).
 */
export async function heldByRun(port: number, runPids: readonly number[], exceptPids: readonly number[] = []): Promise<boolean> {
  if (!(await accepting(port))) return false;
  const owner = listenerPid(port);
  if (owner === null) return true;
  if (exceptPids.includes(owner)) return false;
  const group = pgidOf(owner);
  return runPids.includes(owner) || (group !== null && runPids.includes(group));
}

export interface SpawnedCli {
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<number>;
  output(): { stdout: string; stderr: string };
  kill(signal: NodeJS.Signals): void;
}

/** Spawns `node harness/cli/bin.ts ...args` with `.tools/bin` on PATH and `env` added. */
export function spawnCli(args: string[], env: Record<string, string | undefined> = {}): SpawnedCli {
  const base: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(ROOT, '.tools/bin')}:${process.env.PATH}` };
  delete base.TOXIPROXY_URL;
  const child = spawn(process.execPath, [join(ROOT, 'harness/cli/bin.ts'), ...args], {
    cwd: ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  let done = false;
  void exited.then(() => {
    done = true;
  });
  return {
    pid: child.pid!,
    exited,
    async waitFor(text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const seen = () => (typeof text === 'string' ? stdout.includes(text) : text.test(stdout));
      while (!seen()) {
        if (done) throw new Error(`exited before "${text}"; stdout:\n${stdout}\nstderr:\n${stderr}`);
        if (Date.now() > deadline) throw new Error(`did not see "${text}" within ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return performance.now();
    },
    output: () => ({ stdout, stderr }),
    kill: (signal) => {
      child.kill(signal);
    },
  };
}

/** Every `(pid N)` the run printed: toxiproxy-server (when it started one), the fakes process, the SUT. */
export function startedPids(stdout: string): number[] {
  return [...stdout.matchAll(/\(pid (\d+)\)/g)].map((m) => Number(m[1]));
}

/** Every loopback port the run printed (fakes, proxies, the SUT, its own Toxiproxy), minus `except`. */
export function printedPorts(stdout: string, except: number[] = []): number[] {
  return [...new Set([...stdout.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])))].filter((p) => !except.includes(p));
}

/** Polls `check` until it holds or `timeoutMs` passes; returns its last value. */
export async function settle(check: () => boolean | Promise<boolean>, timeoutMs = 4000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/** A toxiproxy-server owned by the test (the runs get it as TOXIPROXY_URL). */
export async function startOwnToxiproxy() {
  return startToxiproxyBinary(join(ROOT, '.tools/bin/toxiproxy-server'));
}

/** Names of the proxies on the server whose name starts with `prefix`, with their toxics. */
export async function proxiesOn(url: string, prefix: string): Promise<Array<{ name: string; toxics: unknown[] }>> {
  const all = (await (await fetch(`${url}/proxies`)).json()) as Record<string, { name: string; toxics: unknown[] }>;
  return Object.values(all)
    .filter((p) => p.name.startsWith(prefix))
    .map((p) => ({ name: p.name, toxics: p.toxics }));
}

/** The run folders under `<out>/<scenario>/`. */
export function runFolders(out: string, scenario: string): string[] {
  const dir = join(out, scenario);
  return existsSync(dir) ? readdirSync(dir).map((d) => join(dir, d)) : [];
}

export function readResult(dir: string): { result: RunResult; samples: string[]; files: string[] } {
  const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResult;
  const samples = readFileSync(join(dir, 'samples.ndjson'), 'utf8').split('\n').filter(Boolean);
  return { result, samples, files: readdirSync(dir) };
}

/** A deterministic pseudo-random stream in [0, 1) (the harness's own mulberry32), so the same seed gives the same values. */
export const prng = createRandom;

/** At most `n` holders at once (the runs share two cores with everything else). */
export function slots(n: number) {
  let free = n;
  const waiting: Array<() => void> = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    else free--;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}
