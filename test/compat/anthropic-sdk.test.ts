/**
 * The model fake's Anthropic Messages API (`POST /v1/messages`) with the official `@anthropic-ai/sdk` as the
 * client: the extractive answer plain and streamed (the exact event sequence), `tool_use`, a 529 retried by the
 * SDK, an `event: error` in a stream surfacing as the SDK's error, and the stream and content modes.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../contract/index.ts';
import { type RunningFakes, answerQuestion, mode, parsePrompt, startFakes } from '../../fakes/index.ts';

const SEED = 7;
const MODEL = 'claude-haiku-5-5';
const prompt = [
  '[doc-001] Returns are accepted within 14 days of delivery. Items must be unused and in their original box.',
  '[doc-002] Standard shipping is free on orders over 50 USD.',
  'Question: How many days after delivery are returns accepted?',
].join('\n');
const EXPECTED = 'Returns are accepted within 14 days of delivery. [doc-001]';
const tools: Anthropic.Tool[] = [
  {
    name: 'get_weather',
    description: 'Weather forecast for a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'] },
  },
];
const weatherQuestion = 'What is the weather in Paris for the next 3 days?';

let fakes: RunningFakes;
let baseURL: string;

beforeAll(async () => {
  fakes = await startFakes({ seed: SEED, fakes: { model: { kind: 'model', options: { chunk_delay_ms: 0, words_per_chunk: 3 } } } });
  baseURL = fakes.fakes.model.url;
});
afterAll(() => fakes?.close());
afterEach(() => fakes.fakes.model.runtime.clearModes());

const client = (maxRetries = 0) => new Anthropic({ baseURL, apiKey: 'test-key', maxRetries });
const ask = { model: MODEL, max_tokens: 256, messages: [{ role: 'user' as const, content: prompt }] };
const requests = () => fakes.fakes.model.runtime.stats().by_path['/v1/messages'] ?? 0;

it("the expected answer is the fake's own extractive answer for this prompt", () => {
  expect(answerQuestion(parsePrompt(prompt)).text).toBe(EXPECTED);
});

describe('messages.create', () => {
  it('gets the answer as one text block with stop_reason end_turn and word-count usage', async () => {
    const message = await client().messages.create(ask);
    expect(message).toEqual({
      id: expect.stringMatching(/^msg_01/),
      type: 'message',
      role: 'assistant',
      model: MODEL,
      content: [{ type: 'text', text: EXPECTED }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 37, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 9, service_tier: 'standard' },
    });
  });

  it('streams the exact event sequence, and the SDK assembles the same message', async () => {
    const stream = client().messages.stream(ask);
    const events: string[] = [];
    const texts: string[] = [];
    for await (const event of stream) {
      events.push(event.type === 'content_block_delta' ? `delta:${event.delta.type}` : event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') texts.push(event.delta.text);
    }
    // The SDK drops `ping`; the raw body below shows it.
    expect(events).toEqual([
      'message_start',
      'content_block_start',
      'delta:text_delta',
      'delta:text_delta',
      'delta:text_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(texts).toEqual(['Returns are accepted ', 'within 14 days ', 'of delivery. [doc-001]']);
    expect(await stream.finalMessage()).toMatchObject({
      content: [{ type: 'text', text: EXPECTED }],
      stop_reason: 'end_turn',
      usage: { output_tokens: 9 },
    });

    const raw = await fetch(`${baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ ...ask, stream: true }),
    });
    const names = [...(await raw.text()).matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(names.slice(0, 4)).toEqual(['message_start', 'content_block_start', 'ping', 'content_block_delta']);
  });

  it('max_tokens cuts the answer (in words) with stop_reason max_tokens', async () => {
    const message = await client().messages.create({ ...ask, max_tokens: 4 });
    expect(message).toMatchObject({ content: [{ type: 'text', text: 'Returns are accepted within' }], stop_reason: 'max_tokens' });
  });

  it('a request without max_tokens is a 400 invalid_request_error in the Anthropic shape', async () => {
    const response = await fetch(`${baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: ask.messages }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
  });
});

describe('tool_use', () => {
  it('answers a request offering tools with a tool_use block, plain and streamed as input_json_delta', async () => {
    const ask = { model: MODEL, max_tokens: 256, tools, messages: [{ role: 'user' as const, content: weatherQuestion }] };
    const message = await client().messages.create(ask);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([
      { type: 'tool_use', id: expect.stringMatching(/^toolu_01/), name: 'get_weather', input: { city: 'Paris', days: 3 } },
    ]);

    const stream = client().messages.stream(ask);
    const partial: string[] = [];
    stream.on('inputJson', (delta) => partial.push(delta));
    const final = await stream.finalMessage();
    expect(partial.join('')).toBe('{"city":"Paris","days":3}');
    expect(final).toMatchObject({
      stop_reason: 'tool_use',
      content: [{ type: 'tool_use', name: 'get_weather', input: { city: 'Paris', days: 3 } }],
    });

    const answered = await client().messages.create({
      ...ask,
      messages: [
        { role: 'user', content: prompt },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris', days: 3 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' }] },
      ],
    });
    expect(answered).toMatchObject({ stop_reason: 'end_turn', content: [{ type: 'text', text: EXPECTED }] });
  });

  it('tool faults: cut input with stop_reason max_tokens, a missing required field, a tool that was not offered', async () => {
    const ask = { model: MODEL, max_tokens: 256, tools, messages: [{ role: 'user' as const, content: weatherQuestion }] };
    fakes.fakes.model.runtime.setMode('t', mode.toolArgsTruncated().mode);
    expect(await client().messages.create(ask)).toMatchObject({ stop_reason: 'max_tokens', content: [{ type: 'tool_use', input: {} }] });
    const stream = client().messages.stream(ask);
    const partial: string[] = [];
    stream.on('inputJson', (delta) => partial.push(delta));
    await stream.done();
    expect(partial.join('')).toBe('{"city":"Par');
    fakes.fakes.model.runtime.setMode('t', mode.toolArgsInvalid().mode);
    expect(await client().messages.create(ask)).toMatchObject({
      stop_reason: 'tool_use',
      content: [{ name: 'get_weather', input: { days: 3 } }],
    });
    fakes.fakes.model.runtime.setMode('t', mode.toolUnknown({ name: 'delete_account' }).mode);
    expect(await client().messages.create(ask)).toMatchObject({ content: [{ name: 'delete_account', input: { city: 'Paris', days: 3 } }] });
  });
});

describe('errors', () => {
  it('a 529 is an OverloadedError with the overloaded_error body after the SDK retried it (maxRetries 2: 3 requests)', async () => {
    fakes.fakes.model.runtime.setMode('overloaded', mode.httpError({ status: 529, retryAfter: 0.01 }).mode);
    const before = requests();
    const error = await client(2)
      .messages.create(ask)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error).toMatchObject({
      name: 'OverloadedError',
      status: 529,
      error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    });
    expect(requests()).toBe(before + 3);
  });

  it('a 529 on the first attempt only is retried by the SDK and the answer arrives', async () => {
    // A mode id whose seeded rolls at rate 0.5 hit once, then miss: the first attempt fails, the retry succeeds.
    const id = Array.from({ length: 100 }, (_, i) => `overloaded-${i}`).find((candidate) => {
      const roll = seededRandom(SEED, 'model', candidate);
      return roll() < 0.5 && roll() >= 0.5;
    });
    fakes.fakes.model.runtime.setMode(String(id), mode.httpError({ status: 529, retryAfter: 0.01, rate: 0.5 }).mode);
    const before = requests();
    const message = await client(2).messages.create(ask);
    expect(message.content).toEqual([{ type: 'text', text: EXPECTED }]);
    expect(requests()).toBe(before + 2);
    expect(fakes.fakes.model.runtime.stats().by_status).toMatchObject({ 529: expect.any(Number) });
  });

  it('stream_error: an event: error after N deltas surfaces as the SDK APIError carrying the overloaded_error body', async () => {
    fakes.fakes.model.runtime.setMode('e', mode.streamError({ afterChunks: 1 }).mode);
    const texts: string[] = [];
    const error = await (async () => {
      for await (const event of client().messages.stream(ask)) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') texts.push(event.delta.text);
      }
    })().catch((e: unknown) => e);
    expect(texts).toEqual(['Returns are accepted ']);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({
      status: undefined,
      type: 'overloaded_error',
      error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    });
  });

  it('http_error 429 and error_body come in the Anthropic shape; stream_cut ends the stream without message_stop', async () => {
    fakes.fakes.model.runtime.setMode('rl', mode.httpError({ status: 429, retryAfter: 2 }).mode);
    const limited = await client()
      .messages.create(ask)
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect(limited).toMatchObject({ status: 429, type: 'rate_limit_error' });
    expect((limited as InstanceType<typeof Anthropic.RateLimitError>).headers.get('retry-after')).toBe('2');
    fakes.fakes.model.runtime.clearModes();

    fakes.fakes.model.runtime.setMode('cut', mode.streamCut({ afterChunks: 2 }).mode);
    // Iterating the raw stream ends quietly after two deltas; the SDK's MessageStream notices the missing message_stop.
    const events: string[] = [];
    for await (const event of await client().messages.create({ ...ask, stream: true })) events.push(event.type);
    expect(events).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta']);
    const cut = await client()
      .messages.stream(ask)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(Anthropic.AnthropicError);
    expect(cut).toMatchObject({ message: 'stream ended without producing a Message with role=assistant' });
    fakes.fakes.model.runtime.clearModes();

    fakes.fakes.model.runtime.setMode('eb', mode.errorBody({ type: 'api_error', message: 'boom' }).mode);
    const response = await fetch(`${baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ask),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'api_error', message: 'boom' } });
  });

  it('stream_stall: the SDK gets the deltas before the stall, then nothing, with the connection held until it aborts', async () => {
    fakes.fakes.model.runtime.setMode('stall', mode.streamStall({ afterChunks: 1 }).mode);
    const aborter = new AbortController();
    const events: string[] = [];
    const error = await (async () => {
      for await (const event of client().messages.stream(ask, { signal: aborter.signal })) {
        events.push(event.type);
        if (event.type === 'content_block_delta') {
          expect(fakes.fakes.model.runtime.stats().in_flight).toBe(1);
          aborter.abort();
        }
      }
    })().catch((e: unknown) => e);
    expect(events).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(error).toBeInstanceOf(Anthropic.APIUserAbortError);
    await expect.poll(() => fakes.fakes.model.runtime.stats().in_flight).toBe(0);
    expect(fakes.fakes.model.runtime.log(0).entries.at(-1)).toMatchObject({ path: '/v1/messages', mode: 'stall', status: 200 });
  });

  it('content modes apply to the text: truncate keeps half the words with stop_reason max_tokens', async () => {
    fakes.fakes.model.runtime.setMode('t', mode.truncate({ keepRatio: 0.5 }).mode);
    expect(await client().messages.create(ask)).toMatchObject({
      content: [{ text: 'Returns are accepted within' }],
      stop_reason: 'max_tokens',
    });
  });
});

describe('log evidence (what the harness joins calls to samples and truncation by)', () => {
  const since = () => fakes.fakes.model.runtime.log(0).entries.at(-1)?.seq ?? 0;
  const logged = (after: number) => fakes.fakes.model.runtime.log(after).entries;

  it('logs the last user message as user_text and the stop reason as finish_reason (max_tokens = length)', async () => {
    const before = since();
    await client().messages.create(ask);
    fakes.fakes.model.runtime.setMode('t', mode.truncate({ keepRatio: 0.5 }).mode);
    await client().messages.create(ask);
    const stream = client().messages.stream(ask);
    await stream.done();
    expect(logged(before).map((e) => [e.path, e.user_text, e.prompt_chars, e.finish_reason])).toEqual([
      ['/v1/messages', prompt, prompt.length, 'stop'],
      ['/v1/messages', prompt, prompt.length, 'length'],
      ['/v1/messages', prompt, prompt.length, 'length'],
    ]);
  });

  it('logs tool_use answers: tool_calls, and length when the input was cut (plain and streamed)', async () => {
    const toolAsk = { model: MODEL, max_tokens: 256, tools, messages: [{ role: 'user' as const, content: weatherQuestion }] };
    const before = since();
    await client().messages.create(toolAsk);
    fakes.fakes.model.runtime.setMode('t', mode.toolArgsTruncated().mode);
    await client().messages.create(toolAsk);
    await client().messages.stream(toolAsk).done();
    expect(logged(before).map((e) => [e.user_text, e.finish_reason])).toEqual([
      [weatherQuestion, 'tool_calls'],
      [weatherQuestion, 'length'],
      [weatherQuestion, 'length'],
    ]);
  });

  it('logs no finish_reason for a stream cut before message_delta', async () => {
    const before = since();
    fakes.fakes.model.runtime.setMode('t', mode.streamCut({ afterChunks: 1 }).mode);
    await client()
      .messages.stream(ask)
      .done()
      .catch(() => undefined); // the SDK may or may not raise on the cut: the log is what is checked
    const [entry] = logged(before);
    expect(entry.user_text).toBe(prompt);
    expect(entry.finish_reason).toBeUndefined();
  });
});

describe('quotas on the Messages API (Anthropic headers, a real retry-after)', () => {
  let quotaFakes: RunningFakes;
  beforeAll(async () => {
    quotaFakes = await startFakes({ seed: SEED, fakes: { model: { kind: 'model', options: { chunk_delay_ms: 0, quota: { rpm: 2 } } } } });
  });
  afterAll(() => quotaFakes?.close());

  it('counts requests per key, answers with anthropic-ratelimit-* headers, and refuses the third with rate_limit_error', async () => {
    const sdk = new Anthropic({ baseURL: quotaFakes.fakes.model.url, apiKey: 'quota-key', maxRetries: 0 });
    const first = await sdk.messages.create(ask).withResponse();
    expect(first.response.headers.get('anthropic-ratelimit-requests-limit')).toBe('2');
    expect(first.response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('1');
    expect(first.response.headers.get('anthropic-ratelimit-requests-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBeNull();
    await sdk.messages.create(ask);
    const refused = await sdk.messages.create(ask).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
    const error = refused as InstanceType<typeof Anthropic.RateLimitError>;
    expect(error.status).toBe(429);
    expect((error.error as { error: { type: string } }).error.type).toBe('rate_limit_error');
    expect(error.headers?.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    // The real time to the window's end (60 s from the first request), in whole seconds.
    const retryAfter = Number(error.headers?.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another key has its own quota.
    const other = new Anthropic({ baseURL: quotaFakes.fakes.model.url, apiKey: 'another-key', maxRetries: 0 });
    expect((await other.messages.create(ask)).content).toEqual([{ type: 'text', text: EXPECTED }]);
    const last = quotaFakes.fakes.model.runtime.log(0).entries.at(-2)!;
    expect([last.status, last.retry_after_ms! > 58_000]).toEqual([429, true]);
  });
});
