/**
 * Coordinated omission in the closed model (constant-vus): a node:http server that stops answering for 200 ms
 * once. Each connection sees one slow response, so the measured p99 hides the pause; the corrected figure (wrk's
 * correction, omission-correction.ts) shows it, as wrk does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../harness/load/run-load.ts';

const PAUSE_AT_MS = 600;
const PAUSE_MS = 200;
let server: http.Server;
let url = '';
beforeAll(async () => {
  let first: number | null = null;
  server = http.createServer((req, res) => {
    const now = performance.now();
    first ??= now;
    const resume = first + PAUSE_AT_MS + PAUSE_MS;
    const paused = now >= first + PAUSE_AT_MS && now < resume;
    req.resume();
    req.on('end', () => (paused ? setTimeout(() => res.end('ok'), resume - now) : res.end('ok')));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('runLoad closed loop', () => {
  it('reports a 200 ms server pause in the corrected p99, which the measured p99 hides', async () => {
    const summary = await runLoad({ executor: 'constant-vus', connections: 4, duration_ms: 2000, url, next: () => ({ path: '/' }) });
    const c = summary.closed_loop!;
    console.info(
      `constant-vus, 4 connections, 200 ms pause: ${summary.completed} requests, I ${c.expected_interval_ms.toFixed(3)} ms; p99 measured ${c.uncorrected.p99_ms} ms, corrected ${c.corrected.p99_ms} ms; max ${c.uncorrected.max_ms} ms`,
    );
    expect(c.uncorrected.count).toBe(summary.completed);
    expect(summary.completed).toBeGreaterThan(400); // enough requests that 4 slow ones stay under the 1 % tail
    expect(c.uncorrected.max_ms).toBeGreaterThan(PAUSE_MS * 0.9);
    // the omitted requests are ~pause/duration = 10 % of the corrected set, spread over 0..200 ms: p99 near 180 ms
    expect(c.corrected.count).toBeGreaterThan(summary.completed * 1.05);
    expect(c.corrected.p99_ms).toBeGreaterThan(PAUSE_MS / 2);
    expect(c.corrected.p99_ms).toBeLessThanOrEqual(c.uncorrected.max_ms);
    expect(c.uncorrected.p99_ms).toBeLessThan(c.corrected.p99_ms / 2);
  });

  it('has no closed-loop figures for arrival-rate executors (their latency already counts from the intended start)', async () => {
    const summary = await runLoad({ executor: 'constant-arrival-rate', rate: 50, duration_ms: 200, url, next: () => ({ path: '/' }) });
    expect(summary.closed_loop).toBeNull();
  });
});
