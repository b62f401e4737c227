/**
 * Shared pieces of the benchmarks (issue 5): the machine line, medians, upstream processes, a Toxiproxy
 * server, and bare load runs through the harness's engine (harness/load). Loopback only; every loop is
 * bounded in count and time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runLoad, type LoadSummary, type RunLoadOptions, type Sample } from '../harness/load/run-load.ts';
import { createProxyManager, type ProxyManager } from '../harness/toxiproxy/index.ts';
import { freePort } from '../harness/runner/network.ts';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Where `--profile` writes `.cpuprofile` files (outside the repository). */
export const PROFILE_DIR = join(tmpdir(), 'shakedown-bench-profiles');
export const TOOLS_PATH = `${join(ROOT, '.tools/node/bin')}:${join(ROOT, '.tools/bin')}:${process.env.PATH}`;

export function machine(): string {
  const [one] = loadavg();
  return `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${one.toFixed(2)} at ${new Date().toISOString()}`;
}

export const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Nearest-rank percentile (0..100) of unsorted values. */
export const percentile = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
};
export const f = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** `--quick` on the command line (bench/run.ts passes it on). */
export const QUICK = process.argv.includes('--quick');
export function argNumber(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

export interface ChildServer {
  url: string;
  port: number;
  child: ChildProcess;
  close(): Promise<void>;
}

/** Spawns `node <script> ...args` and waits for its first stdout line, parsed as JSON. */
export async function spawnJsonLine(
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<{ child: ChildProcess; line: Record<string, unknown> }> {
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code} before it was ready`))),
  );
  const first = new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`${args.join(' ')} not ready within 15 s`)), 15_000).unref(),
  );
  const line = await Promise.race([first, exited, timeout]);
  return { child, line: JSON.parse(line) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([gone, sleep(2000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** An upstream from bench/servers/serve.ts in its own process. */
export async function startServer(kind: 'trivial' | 'json', options: { file?: string; record?: boolean } = {}): Promise<ChildServer> {
  const args = [
    join(ROOT, 'bench/servers/serve.ts'),
    kind,
    ...(options.file ? [options.file] : []),
    ...(options.record ? ['--record'] : []),
  ];
  const { child, line } = await spawnJsonLine(args);
  const port = Number(line.port);
  return { url: `http://127.0.0.1:${port}`, port, child, close: () => stopChild(child) };
}

/** The real fakes process (fakes/serve.ts, as a run starts it) with one fake per entry. */
export async function startFakesProcess(
  fakes: Record<string, { kind: string; options?: unknown }>,
  nodeArgs: string[] = [],
): Promise<{ urls: Record<string, string>; control_url: string; close(): Promise<void> }> {
  const { child, line } = await spawnJsonLine(
    [join(ROOT, 'fakes/serve.ts')],
    { SHAKEDOWN_FAKES_CONFIG: JSON.stringify({ seed: 1, fakes }) },
    nodeArgs,
  );
  if (line.type !== 'ready') throw new Error(`fakes failed: ${JSON.stringify(line)}`);
  const urls = Object.fromEntries(Object.entries(line.fakes as Record<string, { url: string }>).map(([k, v]) => [k, v.url]));
  return { urls, control_url: String(line.control_url), close: () => stopChild(child) };
}

/** toxiproxy-server (.tools/bin or PATH) on a free loopback port, with the harness's proxy manager. */
export async function startToxiproxy(): Promise<{ url: string; proxies: ProxyManager; close(): Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn('toxiproxy-server', ['-host', '127.0.0.1', '-port', String(port)], {
    stdio: 'ignore',
    env: { ...process.env, PATH: TOOLS_PATH },
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/version`, { signal: AbortSignal.timeout(500) })).ok) break;
    } catch (error) {
      if (Date.now() > deadline) {
        await stopChild(child);
        throw new Error(`toxiproxy-server did not answer: ${(error as Error).message}`);
      }
    }
    await sleep(50);
  }
  const proxies = createProxyManager(url, { namePrefix: `bench-${process.pid}-` });
  return {
    url,
    proxies,
    close: async () => {
      await proxies.cleanup();
      await stopChild(child);
    },
  };
}

/** The proxy's URL (`http://127.0.0.1:P`) in front of `upstream` (`http://127.0.0.1:Q`). */
export async function proxyTo(proxies: ProxyManager, name: string, upstream: string): Promise<string> {
  const p = await proxies.createProxy(name, upstream.replace(/^http:\/\//, ''));
  return `http://127.0.0.1:${p.listen.split(':').at(-1)}`;
}

type LoadShape =
  | { executor: 'constant-vus'; connections: number; duration_ms: number }
  | { executor: 'constant-arrival-rate'; rate: number; connections: number; duration_ms: number };

/** One bare engine run (harness/load runLoad), keeping each sample (or only counting, with `keep: false`). */
export async function bareLoad(
  url: string,
  shape: LoadShape,
  o: { keep?: boolean; next?: RunLoadOptions['next']; onSample?: (s: Sample) => void; pacer_spin?: RunLoadOptions['pacer_spin'] } = {},
): Promise<{ summary: LoadSummary; samples: Sample[]; rps: number }> {
  const samples: Sample[] = [];
  const summary = await runLoad({
    ...shape,
    url,
    timeout_ms: 10_000,
    pacer_spin: o.pacer_spin,
    next: o.next ?? (() => ({ path: '/' })),
    onSample:
      o.onSample ??
      ((s) => {
        if (o.keep !== false) samples.push(s);
      }),
  } as RunLoadOptions);
  return { summary, samples, rps: summary.completed / (summary.duration_ms / 1000) };
}

/** Prints a header line for a benchmark. */
export function header(id: string, what: string): void {
  console.log(`\n== ${id}: ${what}\nmachine: ${machine()}`);
}
