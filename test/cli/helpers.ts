import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../../harness/results/result-types.ts';
import { main } from '../../harness/cli/main.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const created: string[] = [];

/** A fresh temporary folder, removed by `removeTempDirs()` (call it in afterAll). */
export function tempDir(prefix = 'shakedown-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Runs the CLI in-process with captured output. */
export async function runCli(argv: string[], signal = new AbortController().signal) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: {
      write: (t: string) => {
        stdout += t;
      },
      isTTY: false,
    },
    stderr: {
      write: (t: string) => {
        stderr += t;
      },
    },
    cwd: ROOT,
    signal,
  });
  return { code, stdout, stderr };
}

/** The single run folder under `<out>/<scenario>/` and its parsed results.json. */
export function readRun(out: string, scenario: string): { dir: string; result: RunResult; samples: string[] } {
  const runs = readdirSync(join(out, scenario));
  if (runs.length !== 1) throw new Error(`expected one run folder, found ${runs.join(', ')}`);
  const dir = join(out, scenario, runs[0]);
  const result = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResult;
  const samples = readFileSync(join(dir, 'samples.ndjson'), 'utf8').split('\n').filter(Boolean);
  return { dir, result, samples };
}

/** Whether a process is alive. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export async function accepting(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
