/**
 * Stream shaping faults on the model fake's chat completions and Responses API streams, read by the official
 * `openai` SDK (what a client really meets) and by raw fetch (the exact bytes on the wire).
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ModeFault, mode } from '../../contract/index.ts';
import { type RunningFakes, control, fixtureConfig, promptOf, startFakes } from '../fakes/fakes-fixture.ts';

const DOC = '[doc-001] Returns are accepted within 14 days of delivery.';
const messages = [{ role: 'user' as const, content: promptOf([DOC], 'How many days after delivery are returns accepted?') }];
/** The answer the fake gives to `messages`, and its content chunks (3 words each). */
const ANSWER = 'Returns are accepted within 14 days of delivery. [doc-001]';
const CHUNKS = ['Returns are accepted ', 'within 14 days ', 'of delivery. [doc-001]'];

let fakes: RunningFakes;
let client: OpenAI;
beforeAll(async () => {
  fakes = await startFakes(fixtureConfig());
  client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 0 });
});
afterEach(async () => {
  await control(fakes, 'DELETE', '/fakes/model/modes');
});
afterAll(() => fakes?.close());

async function setMode(fault: ModeFault, id = 'shape') {
  expect(await control(fakes, 'PUT', `/fakes/model/modes/${id}`, fault.mode)).toEqual({ status: 204, body: null });
}

/** Streams a chat completion with the SDK; returns the content deltas, the finish reasons seen, and the error thrown. */
async function sdkStream(options: { signal?: AbortSignal } = {}) {
  const deltas: string[] = [];
  const finishes: Array<string | null> = [];
  try {
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }, { signal: options.signal });
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      if (choice?.finish_reason) finishes.push(choice.finish_reason);
    }
    return { deltas, finishes, error: null };
  } catch (error) {
    return { deltas, finishes, error: error as Error };
  }
}

/** The raw SSE body of a streamed chat completion, read to its end (or the connection's error). */
async function rawStream(): Promise<{ text: string; bytes: number; error: string | null }> {
  const response = await fetch(`${fakes.fakes.model.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages }),
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const parts: Uint8Array[] = [];
  let error: string | null = null;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
    }
  } catch (e) {
    error = String((e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message);
  }
  const all = Buffer.concat(parts);
  return { text: all.toString('utf8'), bytes: all.length, error };
}

describe('stream shaping (chat completions)', () => {
  it('a stall that resumes: the SDK waits through it and gets the whole answer; keep-alive comments went out meanwhile', async () => {
    await setMode(mode.streamStall({ afterChunks: 1, resumeAfterMs: 400, keepaliveMs: 100 }));
    const sdk = await sdkStream();
    expect(sdk).toEqual({ deltas: CHUNKS, finishes: ['stop'], error: null });
    const raw = await rawStream();
    expect(raw.text.match(/^: ping$/gm)?.length).toBeGreaterThanOrEqual(1);
    // The pings sit between the first and the second content chunk, and nothing else changed.
    const withoutPings = raw.text.replace(/: ping\n\n/g, '');
    expect(withoutPings.indexOf(CHUNKS[0])).toBeLessThan(raw.text.indexOf(': ping'));
    expect(raw.text.indexOf(': ping')).toBeLessThan(raw.text.indexOf(JSON.stringify(CHUNKS[1])));
    expect(withoutPings.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('a keep-alive stall that never resumes holds the SDK (pings, no data) until the client aborts; the SDK then ends the stream quietly', async () => {
    await setMode(mode.streamStall({ afterChunks: 2, keepaliveMs: 50 }));
    const sdk = await sdkStream({ signal: AbortSignal.timeout(500) });
    // openai 5+ returns from a stream's iterator on abort instead of throwing: the caller sees a short answer.
    expect(sdk).toEqual({ deltas: CHUNKS.slice(0, 2), finishes: [], error: null });
    // The fake logs the stream when it sees the client go; wait for that (bounded).
    for (let i = 0; i < 100 && (await control(fakes, 'GET', '/fakes/model/stats')).body.in_flight > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const entry = (await control(fakes, 'GET', '/fakes/model/log?since=0')).body.entries.at(-1);
    expect(entry).toMatchObject({ status: 200, mode: 'shape' });
    expect(entry.duration_ms).toBeGreaterThanOrEqual(500);
  });

  it('a cut with close "reset" resets the connection mid-stream: the SDK throws after the chunks sent', async () => {
    await setMode(mode.streamCut({ afterChunks: 2, close: 'reset' }));
    const sdk = await sdkStream();
    // A reset can drop bytes the client had received but not read yet, as a real one does: at most 2 chunks arrive.
    expect(CHUNKS.slice(0, sdk.deltas.length)).toEqual(sdk.deltas);
    expect(sdk.deltas.length).toBeLessThanOrEqual(2);
    expect(sdk.finishes).toEqual([]);
    expect(sdk.error).toBeInstanceOf(Error);
    const raw = await rawStream();
    expect(raw.error).toBe('ECONNRESET');
  });

  it('a clean cut ends the body early: the SDK ends without an error and without a finish_reason', async () => {
    await setMode(mode.streamCut({ afterChunks: 2 }));
    expect(await sdkStream()).toEqual({ deltas: CHUNKS.slice(0, 2), finishes: [], error: null });
  });

  it('a cut after N bytes sends exactly N bytes of the body, wherever they fall', async () => {
    await setMode(mode.streamCut({ afterBytes: 300 }));
    const raw = await rawStream();
    expect(raw).toMatchObject({ bytes: 300, error: null });
    expect(raw.text.startsWith('data: {"id":"chatcmpl-')).toBe(true);
    expect(raw.text).not.toContain('[DONE]');
  });

  it('[DONE] without finish_reason: the SDK stream completes with the whole text and no finish reason', async () => {
    await setMode(mode.streamNoFinish());
    expect(await sdkStream()).toEqual({ deltas: CHUNKS, finishes: [], error: null });
    const raw = await rawStream();
    expect(raw.text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(raw.text).not.toContain('"finish_reason":"stop"');
  });

  it('an error event mid-stream makes the SDK throw an APIError with its message after the chunks sent', async () => {
    await setMode(mode.streamError({ afterChunks: 1, message: 'The model overloaded mid-answer.', code: 'server_error' }));
    const sdk = await sdkStream();
    expect(sdk.deltas).toEqual(CHUNKS.slice(0, 1));
    expect(sdk.error).toBeInstanceOf(OpenAI.APIError);
    expect(sdk.error?.message).toBe('The model overloaded mid-answer.');
  });

  it('stream length: exactly N content chunks, cut with finish_reason "length" or the answer repeated', async () => {
    await setMode(mode.streamLength({ chunks: 2 }));
    expect(await sdkStream()).toEqual({ deltas: CHUNKS.slice(0, 2), finishes: ['length'], error: null });
    await setMode(mode.streamLength({ chunks: 7 }));
    const long = await sdkStream();
    expect(long.deltas).toEqual([...CHUNKS, ` ${CHUNKS[0]}`, CHUNKS[1], CHUNKS[2], ` ${CHUNKS[0]}`]);
    expect(long.finishes).toEqual(['stop']);
  });

  it('a slow drip spaces every event by its delay: the fake logs the stream as lasting at least (events - 1) x delay', async () => {
    await setMode(mode.streamDrip({ chunkDelayMs: 60 }));
    expect(await sdkStream()).toEqual({ deltas: CHUNKS, finishes: ['stop'], error: null });
    const entries = (await control(fakes, 'GET', '/fakes/model/log?since=0')).body.entries;
    // role + 3 content + finish + [DONE] = 6 events, 5 gaps.
    expect(entries.at(-1).duration_ms).toBeGreaterThanOrEqual(5 * 60);
    expect(entries.at(-1).mode).toBe('shape');
  });

  it('body size: a plain answer grows to at least N bytes and the SDK still parses it', async () => {
    await setMode(mode.bodySize({ bytes: 200_000 }));
    const response = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
    expect(Number(response.response.headers.get('content-length'))).toBeGreaterThanOrEqual(200_000);
    expect(response.data.choices[0].message.content?.startsWith(`${ANSWER} ${ANSWER}`)).toBe(true);
    const streamed = await rawStream();
    expect(streamed.bytes).toBeGreaterThanOrEqual(200_000);
  });
});

describe('stream shaping (Responses API)', () => {
  const respond = async () => {
    const deltas: string[] = [];
    const types: string[] = [];
    try {
      const stream = await client.responses.create({ model: 'gpt-4o-mini', input: messages[0].content, stream: true });
      for await (const event of stream) {
        types.push(event.type);
        if (event.type === 'response.output_text.delta') deltas.push(event.delta);
      }
      return { deltas, types, error: null };
    } catch (error) {
      return { deltas, types, error: error as Error };
    }
  };

  it('no finish: the stream ends after response.output_item.done, without response.completed', async () => {
    await setMode(mode.streamNoFinish());
    const result = await respond();
    expect(result.deltas).toEqual(CHUNKS);
    expect(result.types.at(-1)).toBe('response.output_item.done');
    expect(result.error).toBeNull();
  });

  it('an error event mid-stream makes the SDK throw an APIError with its message after the deltas sent', async () => {
    await setMode(mode.streamError({ afterChunks: 2, message: 'Overloaded mid-answer.' }));
    const result = await respond();
    expect(result.deltas).toEqual(CHUNKS.slice(0, 2));
    expect(result.types.at(-1)).toBe('response.output_text.delta');
    expect(result.error).toBeInstanceOf(OpenAI.APIError);
    expect(result.error?.message).toBe('Overloaded mid-answer.');
  });
});
