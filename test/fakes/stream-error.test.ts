/**
 * The `stream_error` mode on the OpenAI streams, as the official `openai` SDK sees it: chat completions get a
 * `data: {"error":...}` line after N content chunks (the SDK throws an APIError), the Responses API an `event: error`.
 * (Anthropic's `event: error`: test/compat/anthropic-sdk.test.ts.)
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type RunningFakes, mode, startFakes } from '../../fakes/index.ts';

const prompt = '[doc-001] Returns are accepted within 14 days of delivery.\nQuestion: How many days after delivery are returns accepted?';
let fakes: RunningFakes;
let client: OpenAI;

beforeAll(async () => {
  fakes = await startFakes({ seed: 3, fakes: { model: { kind: 'model', options: { chunk_delay_ms: 0, words_per_chunk: 3 } } } });
  client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'test-key', maxRetries: 0 });
});
afterAll(() => fakes?.close());
afterEach(() => fakes.fakes.model.runtime.clearModes());

it('chat completions: two content chunks, then the error line, which the SDK throws as an APIError', async () => {
  fakes.fakes.model.runtime.setMode('e', mode.streamError({ afterChunks: 2, message: 'Upstream went away' }).mode);
  const texts: string[] = [];
  const error = await (async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: prompt }],
      stream: true,
    });
    for await (const chunk of stream) texts.push(chunk.choices[0]?.delta.content ?? '');
  })().catch((e: unknown) => e);
  expect(texts).toEqual(['', 'Returns are accepted ', 'within 14 days ']);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect(error).toMatchObject({ status: undefined, message: 'Upstream went away', type: 'server_error' });
  expect(fakes.fakes.model.runtime.stats().by_mode).toEqual({ e: 1 });
});

it('Responses API: the deltas before the fault, then an event: error with the next sequence number, thrown by the SDK as an APIError', async () => {
  fakes.fakes.model.runtime.setMode('e', mode.streamError({ afterChunks: 1, code: 'rate_limit_exceeded' }).mode);
  const events: Array<{ type: string; sequence_number: number; code?: unknown }> = [];
  const error = await (async () => {
    for await (const event of await client.responses.create({ model: 'gpt-4o-mini', input: prompt, stream: true })) events.push(event);
  })().catch((e: unknown) => e);
  expect(events.map((e) => e.type)).toEqual([
    'response.created',
    'response.in_progress',
    'response.output_item.added',
    'response.content_part.added',
    'response.output_text.delta',
  ]);
  expect(error).toBeInstanceOf(OpenAI.APIError);
  expect(error).toMatchObject({
    status: undefined,
    message: 'The server had an error while processing your request. Sorry about that!',
    error: { type: 'error', code: 'rate_limit_exceeded', param: null, sequence_number: 5 },
  });
});

it('does not apply to a request without stream: true', async () => {
  fakes.fakes.model.runtime.setMode('e', mode.streamError({ afterChunks: 0 }).mode);
  const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
  expect(completion.choices[0].message.content).toBe('Returns are accepted within 14 days of delivery. [doc-001]');
});
