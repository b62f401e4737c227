/**
 * Stream shaping: the stream faults (`stream_stall`, `stream_cut`, `stream_drip`, `stream_no_finish`,
 * `stream_error`) as one function over a sequence of SSE events, so every streaming API of a fake (chat
 * completions, the Responses API, and any other that splits its events the same way) gets them alike.
 *
 * An API describes its stream as an {@link SseSequence}: the events before the content, one event per content
 * chunk, the events after it, the events after it without the finish, and how it writes an error event. The
 * shaped body sends them paced (`chunkDelayMs` before every event after the first) and bent by the shape:
 * - `stream_stall`: after `after_chunks` content events, no data for `resume_after_ms` (default: until the client
 *   goes away), an SSE comment `: ping` every `keepalive_ms` meanwhile, then the rest.
 * - `stream_cut`: the first `after_chunks` content events (or `after_bytes` bytes of the whole body, wherever they
 *   fall), then the end: `clean` ends the body (chunked terminator), `reset` resets the TCP connection.
 * - `stream_drip`: every event `chunk_delay_ms` after the previous one.
 * - `stream_no_finish`: the tail without its finish (chat: `[DONE]` with no `finish_reason` chunk).
 * - `stream_error`: after `after_chunks` content events, the API's error event, then the body ends.
 */
import type { ModeKind, StreamCutMode, StreamDripMode, StreamErrorMode, StreamNoFinishMode, StreamStallMode } from '../contract/index.ts';
import { MODE_DEFAULTS } from '../contract/index.ts';
import type { AppliedMode } from './fake-runtime.ts';
import { pause } from './handler-context.ts';

/** An error event's fields, in the provider's error shape. */
export interface StreamErrorFields {
  message: string;
  type: string;
  code: string | null;
}

/** A streaming API's events, split where the shaping needs them; each entry is one event's wire text (`data: ...\n\n`). */
export interface SseSequence {
  /** Events before the first content event (role chunk; `response.created`, ...). */
  head: readonly string[];
  /** One event per content chunk. */
  content: readonly string[];
  /** Events after the content as sent normally (finish chunk, usage, `[DONE]`). */
  tail: readonly string[];
  /** The tail with the finish left out (`[DONE]` only; Responses: without `response.completed`). */
  tailWithoutFinish: readonly string[];
  /** The wire text of an error event sent as event number `index` (0-based) of the stream. */
  errorEvent(error: StreamErrorFields, index: number): string;
}

/** The modes this module shapes a stream with. */
export type StreamShape = StreamStallMode | StreamCutMode | StreamDripMode | StreamNoFinishMode | StreamErrorMode;

const SHAPE_KINDS: readonly ModeKind[] = ['stream_stall', 'stream_cut', 'stream_drip', 'stream_no_finish', 'stream_error'];

/** The stream shape a rolled mode asks for, if any. */
export function streamShapeOf(applied: AppliedMode | null): StreamShape | undefined {
  return applied !== null && SHAPE_KINDS.includes(applied.mode.kind) ? (applied.mode as StreamShape) : undefined;
}

/**
 * Thrown into a shaped body to have the port adapter reset the connection (TCP RST) instead of ending the
 * response; a body read by anything else sees it as the stream's error.
 */
export class ConnectionResetRequest extends Error {
  readonly code = 'SHAKEDOWN_RESET_CONNECTION';
  constructor() {
    super('stream_cut with close "reset": the fake resets the connection here');
    this.name = 'ConnectionResetRequest';
  }
}

/** True for the error a shaped body fails with to ask for a TCP reset. */
export function isConnectionResetRequest(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SHAKEDOWN_RESET_CONNECTION';
}

type Step =
  | { kind: 'send'; bytes: Uint8Array; content: boolean }
  | { kind: 'stall'; ms: number; keepaliveMs: number | undefined }
  | { kind: 'reset' };

const encoder = new TextEncoder();
const PING = encoder.encode(': ping\n\n');

function plan(sequence: SseSequence, shape: StreamShape | undefined): Step[] {
  const send = (text: string, content = false): Step => ({ kind: 'send', bytes: encoder.encode(text), content });
  const head = sequence.head.map((t) => send(t));
  const content = sequence.content.map((t) => send(t, true));
  const tail = sequence.tail.map((t) => send(t));
  const after = (n: number) => Math.min(n, content.length);
  switch (shape?.kind) {
    case undefined:
    case 'stream_drip':
      return [...head, ...content, ...tail];
    case 'stream_no_finish':
      return [...head, ...content, ...sequence.tailWithoutFinish.map((t) => send(t))];
    case 'stream_error': {
      const n = after(shape.after_chunks);
      const defaults = MODE_DEFAULTS.stream_error;
      const error = { message: shape.message ?? defaults.message, type: shape.type ?? defaults.type, code: shape.code ?? null };
      return [...head, ...content.slice(0, n), send(sequence.errorEvent(error, head.length + n))];
    }
    case 'stream_stall': {
      const n = after(shape.after_chunks);
      const stall: Step = { kind: 'stall', ms: shape.resume_after_ms ?? Infinity, keepaliveMs: shape.keepalive_ms };
      return [...head, ...content.slice(0, n), stall, ...content.slice(n), ...tail];
    }
    case 'stream_cut': {
      const end: Step[] = (shape.close ?? MODE_DEFAULTS.stream_cut.close) === 'reset' ? [{ kind: 'reset' }] : [];
      if (shape.after_chunks !== undefined) return [...head, ...content.slice(0, after(shape.after_chunks)), ...end];
      let budget = shape.after_bytes ?? 0;
      const cut: Step[] = [];
      for (const step of [...head, ...content, ...tail]) {
        if (step.kind !== 'send' || budget <= 0) break;
        const bytes = step.bytes.length <= budget ? step.bytes : step.bytes.subarray(0, budget);
        budget -= bytes.length;
        cut.push({ kind: 'send', bytes, content: step.content && bytes === step.bytes });
      }
      return [...cut, ...end];
    }
  }
}

/** How many content events a shaped stream sends whole (what the client gets of the answer, for the log's evidence). */
export function contentEventsSent(sequence: SseSequence, shape: StreamShape | undefined): number {
  if (shape?.kind === 'stream_stall' && shape.resume_after_ms === undefined) return Math.min(shape.after_chunks, sequence.content.length);
  return plan(sequence, shape).filter((step) => step.kind === 'send' && step.content).length;
}

/**
 * The body of a shaped stream, produced as the reader pulls (high-water mark 0): events `chunkDelayMs` apart
 * (`stream_drip`: its own delay), bent by `shape`. Cancelling the body (the client went away) stops every timer.
 */
export function createShapedStream(
  sequence: SseSequence,
  shape: StreamShape | undefined,
  chunkDelayMs: number,
): ReadableStream<Uint8Array> {
  const steps = plan(sequence, shape);
  const delayMs = shape?.kind === 'stream_drip' ? shape.chunk_delay_ms : chunkDelayMs;
  const cancelled = new AbortController();
  const signal = cancelled.signal;

  async function* produce(): AsyncGenerator<Uint8Array | 'reset'> {
    let sent = 0;
    for (const step of steps) {
      if (step.kind === 'reset') {
        // At the next event's time, as a reset between two events would come.
        if (sent > 0 && delayMs > 0) await pause(delayMs, signal);
        if (signal.aborted) return;
        yield 'reset';
        return;
      }
      if (step.kind === 'stall') {
        const until = performance.now() + step.ms;
        while (!signal.aborted && performance.now() < until) {
          const left = until - performance.now();
          if (step.keepaliveMs === undefined) {
            // Hold with no bytes: until the stall ends or the client goes away.
            if (left === Infinity) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
            else await pause(left, signal);
            continue;
          }
          await pause(Math.min(step.keepaliveMs, left), signal);
          if (!signal.aborted && performance.now() < until) yield PING;
        }
        continue;
      }
      if (sent > 0 && delayMs > 0) await pause(delayMs, signal);
      if (signal.aborted) return;
      sent++;
      yield step.bytes;
    }
  }

  const events = produce();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await events.next();
        if (signal.aborted) return;
        if (next.done) controller.close();
        else if (next.value === 'reset') controller.error(new ConnectionResetRequest());
        else controller.enqueue(next.value);
      },
      async cancel() {
        cancelled.abort();
        await events.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Content chunks resized to exactly `chunks` (`stream_length`): the first `chunks` when there are more (`cut`),
 * else the chunks repeated in order (a space between repetitions) until there are `chunks`.
 */
export function resizeContentChunks(contentChunks: readonly string[], chunks: number): { chunks: string[]; cut: boolean } {
  if (contentChunks.length >= chunks) return { chunks: contentChunks.slice(0, chunks), cut: contentChunks.length > chunks };
  const source = contentChunks.length > 0 ? contentChunks : [' '];
  const out: string[] = [];
  for (let i = 0; out.length < chunks; i++) {
    const chunk = source[i % source.length];
    out.push(i > 0 && i % source.length === 0 && !/^\s/.test(chunk) ? ` ${chunk}` : chunk);
  }
  return { chunks: out, cut: false };
}

/** Whether a stream bent by `shape` still sends its finish (`finish_reason`, `response.completed`): the log's evidence. */
export function sendsFinish(shape: StreamShape | undefined): boolean {
  if (shape === undefined || shape.kind === 'stream_drip') return true;
  return shape.kind === 'stream_stall' && shape.resume_after_ms !== undefined;
}
