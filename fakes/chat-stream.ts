/**
 * The SSE body of a streamed chat completion, produced chunk by chunk as the reader pulls.
 *
 * Events: a role delta (`{role:"assistant", content:""}`), one content delta per group of words, a final chunk
 * with `finish_reason`, a usage chunk (`choices: []`) when asked, then `data: [DONE]`. A `stall` fault stops after
 * the role chunk and `afterChunks` content chunks and sends nothing more until the reader cancels (the client went
 * away); a `cut` fault closes the body there instead.
 * @see https://platform.openai.com/docs/api-reference/chat/streaming
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Usage counts in OpenAI's shape. */
export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ChatStreamOptions {
  id: string;
  /** Epoch seconds. */
  created: number;
  model: string;
  /** Content deltas in order; their concatenation is the answer. */
  contentChunks: string[];
  finishReason: 'stop' | 'length';
  /** Send a usage chunk (`stream_options.include_usage`); other chunks then carry `usage: null`. */
  usage: ChatUsage | null;
  /** Delay before every event after the first, milliseconds. */
  chunkDelayMs: number;
  fault?: { kind: 'stall' | 'cut'; afterChunks: number };
}

/** Splits text into groups of `wordsPerChunk` words, keeping whitespace, so the groups concatenate to the text. */
export function splitIntoWordGroups(text: string, wordsPerChunk: number): string[] {
  const words = text.match(/\s*\S+\s*/g) ?? [];
  const groups: string[] = [];
  for (let i = 0; i < words.length; i += wordsPerChunk) groups.push(words.slice(i, i + wordsPerChunk).join(''));
  return groups;
}

function events(options: ChatStreamOptions): string[] {
  const base = {
    id: options.id,
    object: 'chat.completion.chunk',
    created: options.created,
    model: options.model,
    system_fingerprint: 'fp_shakedown',
  };
  const usageField = options.usage ? { usage: null } : {};
  const chunk = (delta: object, finish: string | null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...usageField,
  });
  const out = [chunk({ role: 'assistant', content: '', refusal: null }, null)];
  for (const content of options.contentChunks) out.push(chunk({ content }, null));
  out.push(chunk({}, options.finishReason));
  const lines = out.map((c) => `data: ${JSON.stringify(c)}\n\n`);
  if (options.usage) lines.push(`data: ${JSON.stringify({ ...base, choices: [], usage: options.usage })}\n\n`);
  lines.push('data: [DONE]\n\n');
  return lines;
}

/** Creates the SSE body; pulls are paced by the reader (high-water mark 0). */
export function createChatStream(options: ChatStreamOptions): ReadableStream<Uint8Array> {
  const stopAt = options.fault ? 1 + Math.min(options.fault.afterChunks, options.contentChunks.length) : Infinity;
  return createPacedEventStream(events(options), { chunkDelayMs: options.chunkDelayMs, stopAt, stall: options.fault?.kind === 'stall' });
}

/**
 * A body that sends `lines` one per pull, `chunkDelayMs` apart (none before the first); with no delay, all of
 * them (up to `stopAt`) in one chunk. With `stopAt`, it stops
 * after that many lines: `stall` holds the body open with no bytes until the reader cancels, else it closes.
 * Shared by the chat completions and Responses API streams.
 */
export function createPacedEventStream(
  lines: string[],
  options: { chunkDelayMs: number; stopAt?: number; stall?: boolean },
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const stopAt = options.stopAt ?? Infinity;
  const cancelled = new AbortController();
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (next >= stopAt && options.stall) {
          // Hold the connection open with no bytes until the reader cancels.
          await new Promise<void>((resolve) => cancelled.signal.addEventListener('abort', () => resolve(), { once: true }));
          return;
        }
        if (next >= stopAt || next >= lines.length) {
          controller.close();
          return;
        }
        if (options.chunkDelayMs <= 0) {
          // no pacing asked: every line up to the stop in one write (the same bytes; per-event pulls were most of
          // a zero-delay stream's cost, issue 14)
          const end = Math.min(stopAt, lines.length);
          controller.enqueue(encoder.encode(lines.slice(next, end).join('')));
          next = end;
          return;
        }
        if (next > 0) {
          const slept = await sleep(options.chunkDelayMs, true, { signal: cancelled.signal }).catch((error: unknown) => {
            if ((error as Error).name === 'AbortError') return false;
            throw error;
          });
          if (!slept) return;
        }
        controller.enqueue(encoder.encode(lines[next++]));
      },
      cancel() {
        cancelled.abort();
      },
    },
    { highWaterMark: 0 },
  );
}
