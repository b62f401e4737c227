/**
 * Test fixtures for harness/load: a real toxiproxy-server on a free loopback port (driven through its HTTP
 * API with fetch) and a real node:http upstream that records, per request, the sample id it carried and
 * its own service time, as ground truth.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { Sample } from '../../harness/load/run-load.ts';

export interface Seen {
  id: number;
  received_ms: number;
  service_ms: number;
}

export interface Upstream {
  url: string;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

/** GET /any?delay=ms&size=bytes answers 200 with `size` bytes after `delay` ms (defaults 0 and 16). */
export async function startUpstream(): Promise<Upstream> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const received = performance.now();
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const delay = Number(query.get('delay') ?? 0);
    const body = 'x'.repeat(Number(query.get('size') ?? 16));
    const answer = () => {
      res.end(body, () => undefined);
      seen.push({ id: Number(req.headers['x-shakedown-sample-id']), received_ms: received, service_ms: performance.now() - received });
    };
    req.resume();
    req.on('end', () => (delay > 0 ? setTimeout(answer, delay) : answer()));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface Toxiproxy {
  url: string;
  createProxy(name: string, upstream: string): Promise<string>;
  /** Adds a toxic named `<type>_<stream>` (stream downstream unless given, toxicity 1) and returns that name. */
  addToxic(proxy: string, toxic: { type: string; stream?: 'upstream' | 'downstream'; attributes: Record<string, number> }): Promise<string>;
  removeToxic(proxy: string, toxic: string): Promise<void>;
  setEnabled(proxy: string, enabled: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** Starts toxiproxy-server (PATH or .tools/bin) on a free loopback port and waits for GET /version. */
export async function startToxiproxy(): Promise<Toxiproxy> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('toxiproxy-server', ['-host', '127.0.0.1', '-port', String(port)], {
    stdio: 'ignore',
    env: { ...process.env, PATH: `${new URL('../../.tools/bin', import.meta.url).pathname}:${process.env.PATH}` },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const created = new Map<string, { listen: string; upstream: string }>();
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`toxiproxy ${method} ${path} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const stop = async () => {
    for (const name of created.keys())
      await api('DELETE', `/proxies/${name}`).catch((error: Error) => console.error(`cleanup: ${error.message}`));
    created.clear();
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/version`, { signal: AbortSignal.timeout(500) });
      if (res.ok) break;
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`toxiproxy-server did not answer on ${url} within 10 s: ${(error as Error).message}`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    async createProxy(name, upstream) {
      const proxy = await api('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream, enabled: true });
      created.set(name, { listen: proxy.listen, upstream });
      return `http://${proxy.listen}`;
    },
    async addToxic(proxy, toxic) {
      const name = `${toxic.type}_${toxic.stream ?? 'downstream'}`;
      await api('POST', `/proxies/${proxy}/toxics`, { name, stream: 'downstream', toxicity: 1, ...toxic });
      return name;
    },
    async removeToxic(proxy, toxic) {
      await api('DELETE', `/proxies/${proxy}/toxics/${toxic}`);
    },
    async setEnabled(proxy, enabled) {
      const known = created.get(proxy);
      if (!known) throw new Error(`unknown proxy ${proxy}`);
      await api('POST', `/proxies/${proxy}`, { enabled, listen: known.listen, upstream: known.upstream });
    },
    stop,
  };
}

/**
 * Ground truth against samples. The books balance when `samples === seen + never_reached.length`: every
 * request the upstream saw has exactly one sample (a request the engine re-sent shows as seen twice), and
 * the rest never reached it (by kind: refused, reset before forwarding, ...).
 */
export function reconcile(samples: Sample[], seen: Seen[]) {
  const ids = new Set(samples.map((s) => s.id));
  const seenIds = new Set(seen.map((s) => s.id));
  const never_reached = samples.filter((s) => !seenIds.has(s.id));
  return {
    samples: samples.length,
    seen: seen.length,
    never_reached,
    never_reached_by_kind: Object.groupBy(never_reached, (s) => s.error_kind ?? 'ok'),
    duplicate_samples: samples.length - ids.size,
    seen_twice: seen.length - seenIds.size,
    seen_without_sample: [...seenIds].filter((id) => !ids.has(id)).length,
  };
}

/** Asserts the books balance (see reconcile). */
export function expectBalanced(r: ReturnType<typeof reconcile>): void {
  expect({ duplicate_samples: r.duplicate_samples, seen_twice: r.seen_twice, seen_without_sample: r.seen_without_sample }).toEqual({
    duplicate_samples: 0,
    seen_twice: 0,
    seen_without_sample: 0,
  });
  expect(r.samples).toBe(r.seen + r.never_reached.length);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
