/** Reading a streamed response: token events, their timing, completion and aborts, under the default and custom rules. */
import { describe, expect, it } from 'vitest';
import { isEventStream, resolveSseRule, SSE_RULE_DEFAULTS, summarizeStream, type BodyChunk } from '../../harness/load/stream-summary.ts';

/** A body from pieces that arrived at the given times (ms). */
const arrived = (pieces: Array<[number, string]>): { body: string; chunks: BodyChunk[] } => {
  let body = '';
  const chunks: BodyChunk[] = [];
  for (const [t_ms, text] of pieces) {
    body += text;
    chunks.push({ t_ms, end: body.length });
  }
  return { body, chunks };
};

const summarize = (pieces: Array<[number, string]>, failed = false, rule = SSE_RULE_DEFAULTS) =>
  summarizeStream({ ...arrived(pieces), rule, start_ms: 100, failed });

describe('summarizeStream', () => {
  it("times the example service's delta events from the intended start and keeps the done event's fields", () => {
    const s = summarize([
      [150, 'data: {"delta":"Returns are "}\n\n'],
      [170, 'data: {"delta":"accepted within"}\n\ndata: {"delta":" 45 days. [doc-001]"}\n\n'],
      [230, 'data: {"done":true,"citations":["doc-001"],"fallback":false}\n\n'],
    ]);
    expect(s).toEqual({
      ttft_ms: 50,
      itl_ms: 10,
      gaps_ms: [20, 0],
      tokens: 3,
      events: 4,
      completed: true,
      aborted: false,
      abort_reason: null,
      text: 'Returns are accepted within 45 days. [doc-001]',
      final: { done: true, citations: ['doc-001'], fallback: false },
      error: null,
    });
  });

  it('reads OpenAI chat completion chunks: the role chunk is no token, finish_reason and [DONE] complete it', () => {
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const s = summarize([
      [110, chunk({ role: 'assistant', content: '' })],
      [120, chunk({ content: 'Hi' })],
      [135, chunk({ content: ' there' })],
      [140, chunk({}, 'stop')],
      [141, 'data: [DONE]\n\n'],
    ]);
    expect([s.ttft_ms, s.gaps_ms, s.text, s.completed, s.events]).toEqual([20, [15], 'Hi there', true, 5]);
  });

  it('times an event by the chunk that completed it, when an event is split across chunks', () => {
    const s = summarize([
      [110, 'data: {"del'],
      [190, 'ta":"a"}\n'],
      [195, '\n'],
      [200, 'data: {"text":"b"}\n\ndata: [DONE]\n\n'],
    ]);
    expect([s.ttft_ms, s.gaps_ms, s.text]).toEqual([95, [5], 'ab']);
  });

  it('counts an error event after the first token as an abort, and ignores what follows it', () => {
    const s = summarize([
      [120, 'data: {"delta":"a"}\n\n'],
      [3120, 'data: {"error":{"message":"model stream stalled","dependency":"model"}}\n\n'],
      [3121, 'data: {"delta":"late"}\n\n'],
    ]);
    expect([s.aborted, s.abort_reason, s.tokens, s.text, s.error]).toEqual([
      true,
      'error_event',
      1,
      'a',
      { message: 'model stream stalled', dependency: 'model' },
    ]);
  });

  it('counts an event named error as an error event', () => {
    expect(summarize([[120, 'event: error\ndata: overloaded\n\n']]).abort_reason).toBe('error_event');
  });

  it('tells a stream cut by the connection from one whose body ended without a completion event', () => {
    const pieces: Array<[number, string]> = [
      [120, 'data: {"delta":"a"}\n\n'],
      [130, 'data: {"delta":"b"}\n\ndata: {"del'],
    ];
    expect([summarize(pieces, true).abort_reason, summarize(pieces, false).abort_reason]).toEqual(['connection', 'no_completion']);
    expect(summarize(pieces, true)).toMatchObject({ ttft_ms: 20, itl_ms: 10, tokens: 2, completed: false, aborted: true, final: null });
  });

  it('has no ttft or itl without tokens (an empty stream, or one token)', () => {
    expect(summarize([[120, 'data: {"done":true}\n\n']])).toMatchObject({ ttft_ms: null, itl_ms: null, gaps_ms: [], completed: true });
    expect(summarize([[120, 'data: {"delta":"a"}\n\ndata: {"done":true}\n\n']])).toMatchObject({ ttft_ms: 20, itl_ms: null, gaps_ms: [] });
  });

  it('applies a custom rule: its lists replace the defaults', () => {
    const rule = resolveSseRule({ token: ['output.text'], done: ['status'], done_data: [] });
    const s = summarize(
      [
        [105, 'data: {"output":{"text":"x"},"delta":"ignored"}\n\n'],
        [125, 'data: [DONE]\n\n'],
      ],
      false,
      rule,
    );
    expect([s.text, s.completed, s.abort_reason]).toEqual(['x', false, 'no_completion']);
    expect(summarize([[105, 'data: {"status":"complete"}\n\n']], false, rule).completed).toBe(true);
  });
});

describe('isEventStream', () => {
  it('reads content-type from the flat header list, case-insensitively', () => {
    expect(isEventStream(['Content-Type', 'text/event-stream; charset=utf-8'])).toBe(true);
    expect(isEventStream(['content-type', 'application/json'])).toBe(false);
    expect(isEventStream(undefined)).toBe(false);
  });
});
