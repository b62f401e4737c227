/**
 * What the Vercel AI SDK (`streamText`, `@ai-sdk/openai`, on the Responses API and on chat completions) and
 * LangChain.js (`ChatOpenAI`) make of the stream faults and retry hints: the finish reason and errors they report.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { streamText } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ModeFault, mode } from '../../contract/index.ts';
import { type RunningFakes, control, fixtureConfig, promptOf, startFakes } from '../fakes/fakes-fixture.ts';

const prompt = promptOf(
  ['[doc-001] Returns are accepted within 14 days of delivery.'],
  'How many days after delivery are returns accepted?',
);
const ANSWER = 'Returns are accepted within 14 days of delivery. [doc-001]';

let fakes: RunningFakes;
beforeAll(async () => {
  fakes = await startFakes(fixtureConfig());
});
afterEach(async () => {
  await control(fakes, 'DELETE', '/fakes/model/modes');
});
afterAll(() => fakes?.close());

async function setMode(fault: ModeFault) {
  expect(await control(fakes, 'PUT', '/fakes/model/modes/f', fault.mode)).toEqual({ status: 204, body: null });
}

/** Streams with the AI SDK; returns the text, the finish reason and the error parts of fullStream. */
async function aiSdkStream(api: 'responses' | 'chat') {
  const provider = createOpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k' });
  const model = api === 'chat' ? provider.chat('gpt-4o-mini') : provider('gpt-4o-mini');
  const result = streamText({ model, prompt, maxRetries: 0, onError: () => {} });
  let text = '';
  const errors: string[] = [];
  for await (const part of result.fullStream) {
    if (part.type === 'text-delta') text += part.text;
    if (part.type === 'error') errors.push(String((part.error as Error)?.message ?? part.error));
  }
  return { text, finishReason: await result.finishReason, errors };
}

describe('the Vercel AI SDK under stream faults', () => {
  it('without faults: the whole answer, finish reason "stop" (baseline for the cases below)', async () => {
    expect(await aiSdkStream('responses')).toEqual({ text: ANSWER, finishReason: 'stop', errors: [] });
    expect(await aiSdkStream('chat')).toEqual({ text: ANSWER, finishReason: 'stop', errors: [] });
  });

  it('no finish: the whole text arrives with no error, and the finish reason is "interrupted", not "stop"', async () => {
    await setMode(mode.streamNoFinish());
    expect([await aiSdkStream('responses'), await aiSdkStream('chat')]).toEqual([
      { text: ANSWER, finishReason: 'interrupted', errors: [] },
      { text: ANSWER, finishReason: 'interrupted', errors: [] },
    ]);
  });

  it('stream length cut: finish reason "length" with the first chunks only', async () => {
    await setMode(mode.streamLength({ chunks: 1 }));
    expect(await aiSdkStream('chat')).toEqual({ text: 'Returns are accepted ', finishReason: 'length', errors: [] });
  });

  it('an error event mid-stream becomes an error part after the text sent', async () => {
    await setMode(mode.streamError({ afterChunks: 1, message: 'Overloaded mid-answer.' }));
    const chat = await aiSdkStream('chat');
    expect(chat.text).toBe('Returns are accepted ');
    expect(chat.errors.join(' ')).toContain('Overloaded mid-answer.');
  });
});

describe('LangChain.js under a retry hint only in the body', () => {
  it('a 429 with the wait only in its message is retried by ChatOpenAI and then answered', async () => {
    await setMode(mode.rateLimit({ retryAfter: 0.2, retryHint: 'body', when: { first: 1 } }));
    const chat = new ChatOpenAI({
      model: 'gpt-4o-mini',
      apiKey: 'k',
      configuration: { baseURL: `${fakes.fakes.model.url}/v1` },
      maxRetries: 1,
    });
    const answer = await chat.invoke(prompt);
    expect(answer.content).toBe(ANSWER);
    const entries = (await control(fakes, 'GET', '/fakes/model/log?since=0')).body.entries;
    expect(entries.slice(-2).map((e: { status: number }) => e.status)).toEqual([429, 200]);
  });
});
