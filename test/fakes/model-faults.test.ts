import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFakes, control, fixtureConfig, promptOf, startFakes } from './fakes-fixture.ts';

const messages = [
  {
    role: 'user' as const,
    content: promptOf(
      ['[doc-001] Returns are accepted within 14 days of delivery. Items must be unused and come back with their original tags.'],
      'How many days after delivery are returns of unused items with tags accepted?',
    ),
  },
];

/** Reads SSE events from a fetch body until `count` `data:` events arrived; returns the reader to keep reading. */
async function readEvents(response: Response, count: number) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  while ((text.match(/^data: /gm) ?? []).length < count) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return { reader, text };
}

const streamRequest = (fakes: RunningFakes, init: { signal?: AbortSignal; headers?: Record<string, string> } = {}) =>
  fetch(`${fakes.fakes.model.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages }),
    signal: init.signal,
  });

async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('model fake behaviour modes', () => {
  let fakes: RunningFakes;
  beforeAll(async () => {
    fakes = await startFakes(fixtureConfig());
  });
  afterEach(async () => {
    await control(fakes, 'DELETE', '/fakes/model/modes');
  });
  afterAll(() => fakes?.close());

  it('answers 429 with retry-after headers, which the SDK honours before a successful retry once the mode is removed', async () => {
    const put = await control(fakes, 'PUT', '/fakes/model/modes/rl', { kind: 'http_error', rate: 1, status: 429, retry_after_s: 1 });
    expect(put.status).toBe(204);
    const raw = await fetch(`${fakes.fakes.model.url}/v1/models`);
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('1');
    expect(raw.headers.get('retry-after-ms')).toBe('1000');
    expect(raw.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect((await raw.json()) as any).toEqual({
      error: {
        message: 'Rate limit reached for requests. Please try again in 1s.',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });

    const client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 2 });
    const started = performance.now();
    const pending = client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    setTimeout(() => void control(fakes, 'DELETE', '/fakes/model/modes/rl'), 300);
    const completion = await pending;
    const waited = performance.now() - started;
    expect(completion.choices[0].message.content).toContain('[doc-001]');
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(2500);
    const stats = await control(fakes, 'GET', '/fakes/model/stats');
    expect(stats.body.by_path['/v1/chat/completions']).toBe(2);
    expect(stats.body.by_mode.rl).toBe(2);
  });

  it('answers insufficient_quota in the provider shape the SDK turns into a RateLimitError', async () => {
    await control(fakes, 'PUT', '/fakes/model/modes/quota', { kind: 'http_error', rate: 1, status: 429, code: 'insufficient_quota' });
    const client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'insufficient_quota', type: 'insufficient_quota' });
  });

  it('stalls a stream after N content chunks: no more bytes arrive while the connection stays open', async () => {
    await control(fakes, 'PUT', '/fakes/model/modes/stall', { kind: 'stream_stall', rate: 1, after_chunks: 2 });
    const aborter = new AbortController();
    const response = await streamRequest(fakes, { signal: aborter.signal, headers: { 'x-shakedown-sample-id': 'sample-7' } });
    expect(response.status).toBe(200);
    const { reader, text } = await readEvents(response, 3); // role chunk + 2 content chunks
    const next = reader.read().then(
      () => 'bytes' as const,
      () => 'error' as const,
    );
    const outcome = await Promise.race([next, new Promise((r) => setTimeout(() => r('silence'), 400))]);
    expect(outcome).toBe('silence');
    expect(text).not.toContain('finish_reason":"stop');
    const during = await control(fakes, 'GET', '/fakes/model/stats');
    expect(during.body.in_flight).toBe(1);

    aborter.abort();
    const after = await waitFor(
      () => control(fakes, 'GET', '/fakes/model/stats'),
      (s) => s.body.in_flight === 0,
    );
    expect(after.body.in_flight).toBe(0);
    const log = await control(fakes, 'GET', '/fakes/model/log?since=0');
    expect(log.body.entries.at(-1)).toMatchObject({ path: '/v1/chat/completions', mode: 'stall', status: 200, trace_id: 'sample-7' });
    expect(log.body.entries.at(-1).duration_ms).toBeGreaterThanOrEqual(400);
  });

  it('cuts a stream after N content chunks: the SDK stream ends with no finish_reason', async () => {
    await control(fakes, 'PUT', '/fakes/model/modes/cut', { kind: 'stream_cut', rate: 1, after_chunks: 2 });
    const client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages });
    const contents: string[] = [];
    const finishReasons: Array<string | null> = [];
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) contents.push(chunk.choices[0].delta.content);
      finishReasons.push(chunk.choices[0]?.finish_reason ?? null);
    }
    expect(contents).toEqual(['Returns are accepted ', 'within 14 days ']);
    expect(finishReasons.every((r) => r === null)).toBe(true);
  });

  it('leaves plain requests alone under stream faults', async () => {
    await control(fakes, 'PUT', '/fakes/model/modes/cut', { kind: 'stream_cut', rate: 1, after_chunks: 0 });
    const client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.choices[0].finish_reason).toBe('stop');
  });

  it('applies an http_error mode to the fraction of requests its rate asks for, logging the trace id', async () => {
    await control(fakes, 'PUT', '/fakes/model/modes/half', { kind: 'http_error', rate: 0.5, status: 503 });
    const before = (await control(fakes, 'GET', '/fakes/model/stats')).body;
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${fakes.fakes.model.url}/v1/models`, { headers: { traceparent } });
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    const errors = statuses.filter((s) => s === 503).length;
    expect(errors).toBeGreaterThan(8);
    expect(errors).toBeLessThan(32);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    const after = (await control(fakes, 'GET', '/fakes/model/stats')).body;
    expect(after.by_mode.half).toBe(errors);
    expect((after.by_status['503'] ?? 0) - (before.by_status['503'] ?? 0)).toBe(errors);
    const log = await control(fakes, 'GET', '/fakes/model/log?since=0');
    expect(log.body.entries.at(-1).trace_id).toBe('0af7651916cd43dd8448eb211c80319c');
  });
});
