/**
 * Streamed responses through the real engine: time to first token and inter-token gaps from the arrival of each
 * body chunk (harness/load/engine-client.ts, `bodyChunks`; without it no sample has a ttft), and streams cut by
 * the server or by the request timeout counted as aborted.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, type Sample } from '../../harness/load/run-load.ts';

/** GET /sse?tokens=n&gap=ms&end=done|cut|stall streams n delta events `gap` ms apart (the first after `gap`), then the ending. */
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    if (!req.url?.startsWith('/sse')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"answer":"plain"}');
      return;
    }
    const tokens = Number(q.get('tokens'));
    const gap = Number(q.get('gap'));
    const end = q.get('end');
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < tokens) {
        res.write(`data: {"delta":"t${sent++} "}\n\n`);
        return;
      }
      clearInterval(timer);
      if (end === 'done') res.end('data: {"done":true,"citations":["doc-001"]}\n\n');
      else if (end === 'cut') res.socket?.destroy();
      // stall: nothing more until the client gives up
    }, gap);
    res.on('close', () => clearInterval(timer));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const run = async (path: string, o: { duration_ms: number; timeout_ms?: number; connections?: number }) => {
  const samples: Sample[] = [];
  await runLoad({
    url,
    executor: 'constant-vus',
    connections: o.connections ?? 1,
    duration_ms: o.duration_ms,
    timeout_ms: o.timeout_ms,
    next: () => ({ path }),
    onSample: (s) => samples.push(s),
  });
  return samples;
};

describe('runLoad with streamed responses', () => {
  it('records time to first token and each inter-token gap from the arrival of each event', async () => {
    const samples = await run('/sse?tokens=5&gap=30&end=done', { duration_ms: 400 });
    expect(samples.length).toBeGreaterThanOrEqual(1);
    for (const s of samples) {
      expect(s.error_kind).toBeNull();
      expect(s.stream).toMatchObject({
        tokens: 5,
        completed: true,
        aborted: false,
        abort_reason: null,
        text: 't0 t1 t2 t3 t4 ',
        final: { done: true, citations: ['doc-001'] },
      });
      const stream = s.stream!;
      // headers came at once, the first token one gap later: ttft is the token's arrival, not the first byte's
      expect(s.ttfb_ms!).toBeLessThan(stream.ttft_ms!);
      expect(stream.ttft_ms!).toBeGreaterThanOrEqual(29);
      expect(stream.ttft_ms!).toBeLessThan(300);
      expect(stream.gaps_ms).toHaveLength(4);
      for (const gap of stream.gaps_ms) {
        expect(gap).toBeGreaterThanOrEqual(20); // timer jitter on a busy machine; never near 0 (one chunk) or whole ms only
        expect(gap).toBeLessThan(300);
      }
      expect(stream.gaps_ms.some((g) => !Number.isInteger(g))).toBe(true); // sub-millisecond stamps
      expect(stream.itl_ms).toBeCloseTo(stream.gaps_ms.reduce((a, b) => a + b, 0) / 4, 9);
    }
  });

  it('counts a stream the server cuts as aborted by the connection (a closed sample), keeping the tokens before the cut', async () => {
    const [s] = await run('/sse?tokens=2&gap=20&end=cut', { duration_ms: 50 });
    expect(s.error_kind).toBe('closed');
    expect(s.stream).toMatchObject({ tokens: 2, completed: false, aborted: true, abort_reason: 'connection', text: 't0 t1 ' });
  });

  it('counts a stalled stream that hits the request timeout as aborted by the connection (a timeout sample)', async () => {
    const [s] = await run('/sse?tokens=2&gap=20&end=stall', { duration_ms: 50, timeout_ms: 400 });
    expect(s.error_kind).toBe('timeout');
    expect(s.latency_ms).toBeGreaterThanOrEqual(390);
    expect(s.stream).toMatchObject({ tokens: 2, aborted: true, abort_reason: 'connection' });
  });

  it('leaves stream null for a response that is not an event stream', async () => {
    const [s] = await run('/plain', { duration_ms: 50 });
    expect([s.status, s.body, s.stream]).toEqual([200, '{"answer":"plain"}', null]);
  });
});
