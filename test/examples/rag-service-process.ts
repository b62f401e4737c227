/** Spawns examples/rag-service/server.ts as a real process and waits (bounded) for its listening line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SERVER_PATH = fileURLToPath(new URL('../../examples/rag-service/server.ts', import.meta.url));

export interface RagServiceProcess {
  url: string;
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** SIGTERM, then the exit code (SIGKILL after 5 s). */
  stop(): Promise<number | null>;
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export async function startRagService(env: Record<string, string>, timeoutMs = 10_000): Promise<RagServiceProcess> {
  const child = spawn(process.execPath, [SERVER_PATH], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (data: string) => (stdout += data));
  child.stderr!.setEncoding('utf8').on('data', (data: string) => (stderr += data));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rag-service did not print its listening line within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    const onData = () => {
      const match = /rag-service listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rag-service exited with code ${code} before listening; stderr: ${stderr}`));
    });
  });

  return {
    url,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = exitOf(child);
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}

/** Reads an SSE body into its parsed `data:` events. */
export async function readSse(response: Response): Promise<any[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block.startsWith('data: '))
    .map((block) => JSON.parse(block.slice('data: '.length)));
}

/** Polls `check` every 10 ms until it is true or `timeoutMs` passes; returns whether it became true. */
export async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return check();
}
