/**
 * Stream shaping over a synthetic SSE sequence (what another streaming API, such as Anthropic's, builds), and
 * count-based selection: exact outputs of the pure parts.
 */
import { describe, expect, it } from 'vitest';
import { type FakeMode, validateMode } from '../../contract/index.ts';
import { attemptKey, createCountSelector } from '../../fakes/count-selection.ts';
import {
  type SseSequence,
  type StreamShape,
  contentEventsSent,
  createShapedStream,
  isConnectionResetRequest,
  resizeContentChunks,
} from '../../fakes/sse-shaping.ts';

const sequence: SseSequence = {
  head: ['event: start\ndata: {}\n\n'],
  content: ['data: "a"\n\n', 'data: "b"\n\n', 'data: "c"\n\n'],
  tail: ['event: stop\ndata: {"reason":"end"}\n\n', 'data: [DONE]\n\n'],
  tailWithoutFinish: ['data: [DONE]\n\n'],
  errorEvent: (error, index) => `event: error\ndata: ${JSON.stringify({ ...error, index })}\n\n`,
};

/** A stream mode, validated by the contract, as the fakes get it. */
function shape(mode: Record<string, unknown>): StreamShape {
  const validated = validateMode({ rate: 1, ...mode }, 'model');
  if (!validated.ok) throw new Error(validated.problems.join('; '));
  return validated.mode as StreamShape;
}

/** Reads a shaped body to its end: the text, and the error it failed with (if any). */
async function read(body: ReadableStream<Uint8Array>, cancelAfterMs?: number) {
  const reader = body.getReader();
  if (cancelAfterMs !== undefined) setTimeout(() => void reader.cancel(), cancelAfterMs);
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, error: null };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, error };
  }
}

const all = [...sequence.head, ...sequence.content, ...sequence.tail].join('');

describe('createShapedStream', () => {
  it('without a shape sends every event in order', async () => {
    expect(await read(createShapedStream(sequence, undefined, 0))).toEqual({ text: all, error: null });
  });

  it('stream_no_finish sends the tail without its finish', async () => {
    const { text } = await read(createShapedStream(sequence, shape({ kind: 'stream_no_finish' }), 0));
    expect(text).toBe([...sequence.head, ...sequence.content, 'data: [DONE]\n\n'].join(''));
  });

  it('stream_error sends the error event after N content events, numbered as the event it replaces, then ends', async () => {
    const { text } = await read(createShapedStream(sequence, shape({ kind: 'stream_error', after_chunks: 1, code: 'overloaded' }), 0));
    expect(text).toBe(
      sequence.head[0] +
        sequence.content[0] +
        'event: error\ndata: {"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","code":"overloaded","index":2}\n\n',
    );
  });

  it('stream_cut after bytes sends exactly that many bytes; after chunks with reset, fails the body with the reset request', async () => {
    expect(await read(createShapedStream(sequence, shape({ kind: 'stream_cut', after_bytes: 30 }), 0))).toEqual({
      text: all.slice(0, 30),
      error: null,
    });
    const reset = await read(createShapedStream(sequence, shape({ kind: 'stream_cut', after_chunks: 2, close: 'reset' }), 0));
    expect(reset.text).toBe(sequence.head[0] + sequence.content[0] + sequence.content[1]);
    expect(isConnectionResetRequest(reset.error)).toBe(true);
  });

  it('stream_stall with resume and keep-alives sends pings between the content events, then the rest', async () => {
    const { text, error } = await read(
      createShapedStream(sequence, shape({ kind: 'stream_stall', after_chunks: 1, resume_after_ms: 120, keepalive_ms: 50 }), 0),
    );
    expect(error).toBeNull();
    expect(text.replace(/: ping\n\n/g, '')).toBe(all);
    expect(text.startsWith(sequence.head[0] + sequence.content[0] + ': ping\n\n')).toBe(true);
    expect(text.indexOf(': ping')).toBeLessThan(text.indexOf(sequence.content[1]));
  });

  it('stream_stall without resume holds the body until the reader cancels', async () => {
    const { text, error } = await read(createShapedStream(sequence, shape({ kind: 'stream_stall', after_chunks: 2 }), 0), 100);
    expect(error).toBeNull();
    expect(text).toBe(sequence.head[0] + sequence.content[0] + sequence.content[1]);
  });

  it('counts the content events sent whole, for the log evidence', () => {
    expect(contentEventsSent(sequence, undefined)).toBe(3);
    expect(contentEventsSent(sequence, shape({ kind: 'stream_stall', after_chunks: 1 }))).toBe(1);
    expect(contentEventsSent(sequence, shape({ kind: 'stream_stall', after_chunks: 1, resume_after_ms: 10 }))).toBe(3);
    // The head is 23 bytes and each content event 11: 33 bytes hold no whole content event, 34 hold one.
    expect(contentEventsSent(sequence, shape({ kind: 'stream_cut', after_bytes: 33 }))).toBe(0);
    expect(contentEventsSent(sequence, shape({ kind: 'stream_cut', after_bytes: 34 }))).toBe(1);
  });
});

describe('resizeContentChunks', () => {
  it('cuts to the first N, or repeats the chunks with a space between repetitions', () => {
    expect(resizeContentChunks(['a ', 'b'], 1)).toEqual({ chunks: ['a '], cut: true });
    expect(resizeContentChunks(['a ', 'b'], 2)).toEqual({ chunks: ['a ', 'b'], cut: false });
    expect(resizeContentChunks(['a ', 'b'], 5)).toEqual({ chunks: ['a ', 'b', ' a ', 'b', ' a '], cut: false });
  });
});

describe('count selection (when)', () => {
  const request = (traceId: string | null, body?: string) => ({
    method: 'POST',
    url: 'http://127.0.0.1/v1/chat/completions',
    path: '/v1/chat/completions',
    traceId,
    body: body === undefined ? undefined : () => body,
  });
  const run = (when: FakeMode['when'], n: number) => {
    const selects = createCountSelector(when);
    return Array.from({ length: n }, () => selects(request(null)));
  };

  it('selects the nth, the first n, every nth', () => {
    expect(run({ nth: 2 }, 4)).toEqual([false, true, false, false]);
    expect(run({ first: 2 }, 4)).toEqual([true, true, false, false]);
    expect(run({ every: 2 }, 5)).toEqual([false, true, false, true, false]);
    expect(run(undefined, 2)).toEqual([true, true]);
  });

  it('once_per_request selects the first attempt per trace id, else per body text, else per method and URL', () => {
    const selects = createCountSelector({ once_per_request: true });
    expect([
      selects(request('t1')),
      selects(request('t1')),
      selects(request('t2')),
      selects(request(null, '{"q":1}')),
      selects(request(null, '{"q":1}')),
      selects(request(null, '{"q":2}')),
    ]).toEqual([true, false, true, true, false, true]);
    expect(attemptKey(request('t1'))).toBe('/v1/chat/completions trace t1');
    expect(attemptKey(request(null))).toBe('POST http://127.0.0.1/v1/chat/completions');
  });
});
