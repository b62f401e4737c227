/**
 * Issue 6.4: bad requests to the fakes, in their own process as in a run (fakes/serve.ts through the harness's
 * supervisor): every fake endpoint and the control API get malformed JSON, wrong types, unknown fields, huge
 * bodies and wrong methods; bodies that arrive slowly and stop, and clients that disconnect mid-body. The process
 * never crashes (nor logs an uncaught exception), every error is a 4xx in the provider shape, and bodies are
 * bounded (413 over the limit, 408 for a body that stops arriving).
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakes, type FakesProcess } from '../../harness/runner/fakes-process.ts';
import type { FakeSpec } from '../../harness/scenario/index.ts';

let fakes: FakesProcess;
const BODY_TIMEOUT_MS = 400;

beforeAll(async () => {
  const config = {
    seed: 5,
    body_timeout_ms: BODY_TIMEOUT_MS,
    fakes: {
      model: { kind: 'model', options: {} },
      retrieval: { kind: 'retrieval', options: {} },
      api: { kind: 'inventory', options: {} },
    } as Record<string, FakeSpec>,
  };
  fakes = await startFakes(config as Parameters<typeof startFakes>[0]);
});
afterAll(async () => {
  await fakes?.stop();
});

const isProviderError = (body: unknown) => {
  const error = (body as { error?: Record<string, unknown> })?.error;
  return (
    typeof error?.message === 'string' &&
    typeof error.type === 'string' &&
    (error.param === null || typeof error.param === 'string') &&
    (error.code === null || typeof error.code === 'string')
  );
};

/** The control API's token header (the run's token, as the harness sends it). */
const auth = () => ({ authorization: `Bearer ${fakes.controlToken}` });

async function stillHealthy() {
  expect(fakes.hasExited).toBe(false);
  expect(fakes.tail()).not.toMatch(/uncaught exception|unhandled rejection/);
  expect((await fetch(`${fakes.fakes.model.url}/v1/models`)).status).toBe(200);
  expect((await fetch(`${fakes.controlUrl}/health`, { headers: auth() })).status).toBe(200);
}

const bodies = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.constantFrom(
    '{',
    '{"model": "x", "messages": [',
    'null',
    '[]',
    '"text"',
    '1e999',
    '{"__proto__": {"x": 1}}',
    '{"constructor": {"prototype": {}}}',
  ),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        model: fc.jsonValue({ maxDepth: 1 }),
        messages: fc.jsonValue({ maxDepth: 3 }),
        stream: fc.jsonValue({ maxDepth: 1 }),
        input: fc.jsonValue({ maxDepth: 2 }),
        unknown_field: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        query: fc.jsonValue({ maxDepth: 1 }),
        k: fc.oneof(fc.integer({ min: -5, max: 1_000_000 }), fc.jsonValue({ maxDepth: 1 })),
        extra: fc.string(),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);
const methods = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');

describe('fuzzing the fakes', () => {
  it('every fake endpoint: 2xx, or a 4xx in the provider shape; never a 5xx, never a crash', async () => {
    const paths = [
      [fakes.fakes.model.url, '/v1/chat/completions'],
      [fakes.fakes.model.url, '/v1/embeddings'],
      [fakes.fakes.model.url, '/v1/models'],
      [fakes.fakes.model.url, '/v1/responses'],
      [fakes.fakes.retrieval.url, '/search'],
      [fakes.fakes.api.url, '/v1/products?q=tent'],
      [fakes.fakes.api.url, '/v1/products/SKU-%00%ff'],
      [fakes.fakes.api.url, '/v1/products/'],
      [fakes.fakes.model.url, '/../../etc/passwd'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), methods, bodies, async ([base, path], method, body) => {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...auth() },
          body: method === 'GET' ? undefined : body,
        });
        const text = await res.text();
        expect(res.status, `${method} ${path} ${body.slice(0, 80)} -> ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400 && method !== 'OPTIONS') expect(isProviderError(JSON.parse(text)), text).toBe(true);
      }),
      { numRuns: 250, seed: 64 },
    );
    await stillHealthy();
  });

  it('the control API: random modes, ids and methods are refused with a 4xx in the provider shape, never a crash', async () => {
    const mode = fc
      .oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.record(
          {
            type: fc.constantFrom('http_error', 'rate_limit', 'stream_stall', 'stale', 'nope', ''),
            rate: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.string()),
            status: fc.oneof(fc.integer({ min: -1, max: 1000 }), fc.string()),
            extra: fc.jsonValue({ maxDepth: 1 }),
          },
          { requiredKeys: [] },
        ),
      )
      .map((v) => JSON.stringify(v));
    const paths = fc
      .tuple(
        fc.constantFrom('model', 'retrieval', 'api', 'nobody', '%00', '..'),
        fc.oneof(fc.constantFrom('m1', 'x'.repeat(100), 'a b', '%2F'), fc.string({ maxLength: 10 })),
        fc.constantFrom('modes/', 'modes', 'stats', 'log?since=-1', 'log?since=abc', 'log?since=1e9'),
      )
      .map(([name, id, what]) => `/fakes/${name}/${what === 'modes/' ? `modes/${encodeURIComponent(id)}` : what}`);
    await fc.assert(
      fc.asyncProperty(paths, methods, fc.oneof(mode, bodies), async (path, method, body) => {
        const res = await fetch(`${fakes.controlUrl}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...auth() },
          body: method === 'GET' ? undefined : body,
        });
        const text = await res.text();
        expect(res.status, `${method} ${path} ${body.slice(0, 80)} -> ${text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400 && method !== 'OPTIONS') expect(isProviderError(JSON.parse(text)), text).toBe(true);
      }),
      { numRuns: 150, seed: 65 },
    );
    for (const name of ['model', 'retrieval', 'api'])
      await fetch(`${fakes.controlUrl}/fakes/${name}/modes`, { method: 'DELETE', headers: auth() });
    await stillHealthy();
  });

  it('huge bodies get 413 in the provider shape without being read whole (fakes 1 MiB, control API 64 KiB)', async () => {
    for (const url of [
      `${fakes.fakes.model.url}/v1/chat/completions`,
      `${fakes.fakes.retrieval.url}/search`,
      `${fakes.controlUrl}/fakes/model/modes/m1`,
    ]) {
      const size = url.includes('/fakes/') ? 64 * 1024 + 1 : 1024 * 1024 + 1;
      const res = await fetch(url, {
        method: url.includes('/fakes/') ? 'PUT' : 'POST',
        headers: url.includes('/fakes/') ? auth() : {},
        body: `{"x": "${'a'.repeat(size)}"}`,
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('request_too_large');
    }
    // A declared length over the limit is refused from the headers alone: no body is sent at all.
    const reply = await raw(
      Number(new URL(fakes.fakes.model.url).port),
      'POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 50000000\r\n\r\n',
      { waitMs: 3000 },
    );
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    await stillHealthy();
  });

  it(`a body that arrives slowly and stops gets 408 in the provider shape after ${BODY_TIMEOUT_MS} ms; the connection is closed`, async () => {
    for (const [url, path, method] of [
      [fakes.fakes.model.url, '/v1/chat/completions', 'POST'],
      [fakes.fakes.retrieval.url, '/search', 'POST'],
      [fakes.controlUrl, '/fakes/model/modes/m1', 'PUT'],
    ]) {
      const started = performance.now();
      const reply = await raw(
        Number(new URL(url).port),
        `${method} ${path} HTTP/1.1\r\nhost: x\r\nauthorization: ${auth().authorization}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n`,
        { trickle: ['{"mod', 'el": '], trickleMs: 100, waitMs: 5000 },
      );
      const took = performance.now() - started;
      expect(reply, reply).toMatch(/^HTTP\/1\.1 408 /);
      expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)).error).toMatchObject({
        code: 'request_timeout',
        type: 'invalid_request_error',
      });
      expect(took).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 50);
      expect(took).toBeLessThan(BODY_TIMEOUT_MS + 1500);
    }
    await stillHealthy();
  });

  it('clients that disconnect mid-body (and mid-headers) leave the fakes serving', async () => {
    for (let i = 0; i < 20; i++) {
      const port = Number(new URL([fakes.fakes.model.url, fakes.fakes.retrieval.url, fakes.controlUrl][i % 3]).port);
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            i % 2
              ? 'POST /search HTTP/1.1\r\nhost: x\r\ncontent-length: 500\r\n\r\n{"query": "te'
              : 'POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-le',
          );
          setTimeout(() => {
            if (i % 4 === 0) socket.resetAndDestroy();
            else socket.destroy();
            resolve();
          }, 20);
        });
        socket.on('error', () => resolve());
      });
    }
    await new Promise((r) => setTimeout(r, 200));
    await stillHealthy();
  });
});

/** Writes `head` (then each of `trickle` every `trickleMs`) on a raw socket; resolves with what came back. */
function raw(port: number, head: string, o: { trickle?: string[]; trickleMs?: number; waitMs: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      (o.trickle ?? []).forEach((part, i) =>
        setTimeout(
          () => {
            if (!socket.destroyed) socket.write(part);
          },
          (i + 1) * (o.trickleMs ?? 100),
        ),
      );
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(text);
    }, o.waitMs);
    socket.on('data', (d) => {
      text += d.toString('latin1');
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      if (text) resolve(text);
      else reject(e);
    });
  });
}
