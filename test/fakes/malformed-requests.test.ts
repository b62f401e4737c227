import { connect } from 'node:net';
import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHandlers } from '../../fakes/index.ts';
import { type RunningFakes, fixtureConfig, startFakes } from './fakes-fixture.ts';

const isProviderError = (body: unknown) => {
  const error = (body as { error?: Record<string, unknown> })?.error;
  return (
    typeof error?.message === 'string' &&
    typeof error.type === 'string' &&
    (error.param === null || typeof error.param === 'string') &&
    (error.code === null || typeof error.code === 'string')
  );
};

describe('malformed requests', () => {
  let fakes: RunningFakes;
  beforeAll(async () => {
    fakes = await startFakes({ ...fixtureConfig(), max_body_bytes: 64 * 1024 });
  });
  afterAll(() => fakes?.close());

  it('answers random bodies with 200 or a 4xx in the provider error shape, and keeps serving', async () => {
    const targets = [
      `${fakes.fakes.model.url}/v1/chat/completions`,
      `${fakes.fakes.model.url}/v1/embeddings`,
      `${fakes.fakes.retrieval.url}/search`,
    ];
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record({ model: fc.oneof(fc.string(), fc.integer()), messages: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] })
        .map((v) => JSON.stringify(v)),
      fc
        .record(
          { query: fc.jsonValue({ maxDepth: 1 }), k: fc.jsonValue({ maxDepth: 1 }), input: fc.jsonValue({ maxDepth: 2 }) },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), body, async (url, text) => {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
        const parsed = (await response.json()) as any;
        if (response.status === 200) return;
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(isProviderError(parsed)).toBe(true);
      }),
      { numRuns: 150, verbose: true },
    );
    expect((await fetch(`${fakes.fakes.model.url}/v1/models`)).status).toBe(200);
  });

  it('answers malformed JSON with 400 invalid_json in the provider shape', async () => {
    const response = await fetch(`${fakes.fakes.model.url}/v1/chat/completions`, { method: 'POST', body: '{"model": "x", "messages": [' });
    expect(response.status).toBe(400);
    expect((await response.json()) as any).toEqual({
      error: {
        message: 'We could not parse the JSON body of your request. The API expects a JSON payload, but what was sent was not valid JSON.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_json',
      },
    });
  });

  it('answers a body over the limit with 413, and an unknown route with 404, both in the provider shape', async () => {
    const big = await fetch(`${fakes.fakes.model.url}/v1/chat/completions`, { method: 'POST', body: 'x'.repeat(64 * 1024 + 1) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).error).toEqual({
      message: 'Request body too large: the limit is 65536 bytes.',
      type: 'invalid_request_error',
      param: null,
      code: 'request_too_large',
    });
    const unknown = await fetch(`${fakes.fakes.model.url}/v1/completions`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.message).toBe('Invalid URL (POST /v1/completions)');
    expect((await fetch(`${fakes.fakes.model.url}/v1/models`)).status).toBe(200);
  });

  it('turns HttpResponse.error() into a dropped connection and a throwing handler into a 500, without crashing', async () => {
    const served = await serveHandlers([
      http.get('/drop', () => HttpResponse.error()),
      http.get('/throw', () => {
        throw new Error('boom');
      }),
      http.get('/ok', () => HttpResponse.json({ ok: true })),
    ]);
    try {
      await expect(fetch(`${served.url}/drop`)).rejects.toThrow('fetch failed');
      const thrown = await fetch(`${served.url}/throw`);
      expect(thrown.status).toBe(500);
      expect(((await thrown.json()) as any).error.message).toBe('The fake failed while handling GET /throw: boom');
      expect((await (await fetch(`${served.url}/ok`)).json()) as any).toEqual({ ok: true });
    } finally {
      await served.close();
    }
  });

  it('answers bytes that are not HTTP with 400 and keeps serving', async () => {
    const port = Number(new URL(fakes.fakes.model.url).port);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('\x00\x01 not http at all\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString('latin1')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply.startsWith('HTTP/1.1 400 Bad Request')).toBe(true);
    expect((await fetch(`${fakes.fakes.model.url}/v1/models`)).status).toBe(200);
  });

  it('refuses to start a fake whose dataset file cannot be read, naming the file', async () => {
    await expect(
      startFakes({ fakes: { retrieval: { kind: 'retrieval', options: { corpus: '/nonexistent/corpus.json' } } } }),
    ).rejects.toThrow("/nonexistent/corpus.json: cannot be read (ENOENT). Pass a valid path in the fake's options.");
  });
});
