/**
 * The model fake works unchanged with the SDKs an AI service is built on: the Vercel AI SDK
 * (`ai` with `@ai-sdk/openai`, whose default model calls the Responses API and whose `.chat()` model calls chat
 * completions), LangChain.js (`@langchain/openai` `ChatOpenAI`, chat completions) and the official `openai` SDK's
 * Responses API client. Each gets the extractive answer, plain and streamed, and a 429 with the provider's message.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { generateText, streamText } from 'ai';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFakes, answerQuestion, mode, parsePrompt, startFakes } from '../../fakes/index.ts';

const prompt = [
  'Answer from the context.',
  '[doc-001] Returns are accepted within 14 days of delivery. Items must be unused and in their original box.',
  '[doc-002] Standard shipping is free on orders over 50 USD.',
  'Question: How many days after delivery are returns accepted?',
].join('\n');
const EXPECTED = 'Returns are accepted within 14 days of delivery. [doc-001]';
const RATE_LIMIT_MESSAGE = 'Rate limit reached for requests. Please try again in 1s.';

let fakes: RunningFakes;
let baseURL: string;

beforeAll(async () => {
  fakes = await startFakes({ seed: 7, fakes: { model: { kind: 'model', options: { chunk_delay_ms: 1, words_per_chunk: 2 } } } });
  baseURL = `${fakes.fakes.model.url}/v1`;
});
afterAll(() => fakes?.close());
afterEach(() => fakes.fakes.model.runtime.clearModes());

/** Sets a 429 on every model request for the duration of `body`, then removes it. */
async function withRateLimit<T>(body: () => Promise<T>): Promise<T> {
  fakes.fakes.model.runtime.setMode('rate-limit', mode.httpError({ status: 429, retryAfter: 1 }).mode);
  try {
    return await body();
  } finally {
    fakes.fakes.model.runtime.deleteMode('rate-limit');
  }
}

function requestsTo(path: string): number {
  return fakes.fakes.model.runtime.stats().by_path[path] ?? 0;
}

it("the expected answer is the fake's own extractive answer for this prompt", () => {
  expect(answerQuestion(parsePrompt(prompt)).text).toBe(EXPECTED);
});

describe('Vercel AI SDK (ai + @ai-sdk/openai)', () => {
  const provider = () => createOpenAI({ baseURL, apiKey: 'test-key' });

  it('generateText with the default model calls /v1/responses and gets the answer, finish reason and usage', async () => {
    const before = requestsTo('/v1/responses');
    const result = await generateText({ model: provider()('gpt-4o-mini'), prompt, maxRetries: 0 });
    expect(result.text).toBe(EXPECTED);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.outputTokens).toBe(9);
    expect(requestsTo('/v1/responses')).toBe(before + 1);
  });

  it('streamText with the default model streams the answer in several text deltas', async () => {
    const result = streamText({ model: provider()('gpt-4o-mini'), prompt, maxRetries: 0 });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe(EXPECTED);
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(await result.finishReason).toBe('stop');
  });

  it('generateText and streamText with .chat(model) call /v1/chat/completions and get the same answer', async () => {
    const before = requestsTo('/v1/chat/completions');
    const plain = await generateText({ model: provider().chat('gpt-4o-mini'), prompt, maxRetries: 0 });
    expect(plain.text).toBe(EXPECTED);
    const streamed = streamText({ model: provider().chat('gpt-4o-mini'), prompt, maxRetries: 0 });
    const deltas: string[] = [];
    for await (const delta of streamed.textStream) deltas.push(delta);
    expect(deltas.join('')).toBe(EXPECTED);
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(requestsTo('/v1/chat/completions')).toBe(before + 2);
  });

  it('a 429 surfaces as an APICallError with status 429 and the provider message, from generateText and streamText', async () => {
    await withRateLimit(async () => {
      const error = await generateText({ model: provider()('gpt-4o-mini'), prompt, maxRetries: 0 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'AI_APICallError', statusCode: 429, message: RATE_LIMIT_MESSAGE, isRetryable: true });
      expect((error as { responseHeaders: Record<string, string> }).responseHeaders['retry-after']).toBe('1');

      // streamText never throws from its streams: the error is a part of fullStream (and goes to onError).
      const onError: unknown[] = [];
      const streamed = streamText({
        model: provider()('gpt-4o-mini'),
        prompt,
        maxRetries: 0,
        onError: ({ error: e }) => void onError.push(e),
      });
      const errors: unknown[] = [];
      for await (const part of streamed.fullStream) if (part.type === 'error') errors.push(part.error);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ name: 'AI_APICallError', statusCode: 429, message: RATE_LIMIT_MESSAGE });
      expect(onError).toEqual(errors);
    });
    // Removed: the same call answers again.
    expect((await generateText({ model: provider()('gpt-4o-mini'), prompt, maxRetries: 0 })).text).toBe(EXPECTED);
  });
});

describe('LangChain.js (@langchain/openai ChatOpenAI)', () => {
  const chat = () => new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'test-key', configuration: { baseURL }, maxRetries: 0 });

  it('invoke gets the answer from /v1/chat/completions', async () => {
    const before = requestsTo('/v1/chat/completions');
    const message = await chat().invoke(prompt);
    expect(message.content).toBe(EXPECTED);
    expect(requestsTo('/v1/chat/completions')).toBe(before + 1);
  });

  it('stream yields the answer in several chunks', async () => {
    const texts: string[] = [];
    for await (const chunk of await chat().stream(prompt)) texts.push(String(chunk.content));
    expect(texts.join('')).toBe(EXPECTED);
    expect(texts.filter((t) => t.length > 0).length).toBeGreaterThanOrEqual(3);
  });

  it('a 429 surfaces as a rate-limit error with status 429 and the provider message, from invoke and stream', async () => {
    const expectedMessage = `429 ${RATE_LIMIT_MESSAGE}\n\nTroubleshooting URL: https://docs.langchain.com/oss/javascript/langchain/errors/MODEL_RATE_LIMIT/\n`;
    await withRateLimit(async () => {
      const invoked = await chat()
        .invoke(prompt)
        .catch((e: unknown) => e);
      expect(invoked).toMatchObject({ status: 429, lc_error_code: 'MODEL_RATE_LIMIT', message: expectedMessage });
      expect(invoked).toBeInstanceOf(OpenAI.RateLimitError);
      const streamed = await (async () => {
        for await (const chunk of await chat().stream(prompt)) void chunk;
      })().catch((e: unknown) => e);
      expect(streamed).toMatchObject({ status: 429, lc_error_code: 'MODEL_RATE_LIMIT', message: expectedMessage });
    });
    expect((await chat().invoke(prompt)).content).toBe(EXPECTED);
  });
});

describe('official openai SDK, Responses API', () => {
  const client = () => new OpenAI({ baseURL, apiKey: 'test-key', maxRetries: 0 });

  it('responses.create gets the answer as output_text, plain and streamed', async () => {
    const response = await client().responses.create({ model: 'gpt-4o-mini', input: prompt });
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe(EXPECTED);

    const stream = await client().responses.create({ model: 'gpt-4o-mini', input: prompt, stream: true });
    const deltas: string[] = [];
    const types: string[] = [];
    let completed: unknown = null;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') deltas.push(event.delta);
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(deltas.join('')).toBe(EXPECTED);
    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(completed).toMatchObject({
      status: 'completed',
      output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: EXPECTED }] }],
    });
  });

  it('a 429 surfaces as RateLimitError with the provider message', async () => {
    await withRateLimit(async () => {
      const error = await client()
        .responses.create({ model: 'gpt-4o-mini', input: prompt })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(error).toMatchObject({ status: 429, message: `429 ${RATE_LIMIT_MESSAGE}`, code: 'rate_limit_exceeded' });
    });
  });
});
