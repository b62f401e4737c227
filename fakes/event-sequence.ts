/**
 * A stream as a sequence of SSE events split where stream faults act, and the paced body that applies this
 * branch's stream faults (`stream_stall`, `stream_cut`, `stream_error`) to it. The tool-call streams and the
 * Anthropic stream are built this way.
 *
 * `SseSequence` is the same shape as issue 12 part A's (`fakes/sse-shaping.ts` on branch faults-a): once both are
 * merged, `createSequenceStream(sequence, applied, ms)` is replaced by part A's
 * `createShapedStream(sequence, streamShapeOf(applied), ms)`, and every stream shape applies to these streams too.
 *
 * - `stream_stall`: after `after_chunks` content events, no bytes until the client goes away.
 * - `stream_cut`: after `after_chunks` content events, the body ends.
 * - `stream_error`: after `after_chunks` content events, the sequence's error event, then the body ends.
 */
import { type FakeMode, TOOL_CALL_MODE_DEFAULTS } from '../contract/index.ts';
import { createPacedEventStream } from './chat-stream.ts';

/** An error event's fields, in the provider's error shape. */
export interface StreamErrorFields {
  message: string;
  type: string;
  code: string | null;
}

/** A streaming API's events, each entry one event's wire text (`event: ...\ndata: ...\n\n`). */
export interface SseSequence {
  /** Events before the first content event. */
  head: readonly string[];
  /** One event per content chunk (text deltas, argument deltas). */
  content: readonly string[];
  /** Events after the content as sent normally. */
  tail: readonly string[];
  /** The tail with the finish left out. */
  tailWithoutFinish: readonly string[];
  /** The wire text of an error event sent as event number `index` (0-based) of the stream. */
  errorEvent(error: StreamErrorFields, index: number): string;
}

/** The error fields of a `stream_error` mode, defaults by API family. */
export function streamErrorFields(mode: Extract<FakeMode, { kind: 'stream_error' }>, api: 'openai' | 'anthropic'): StreamErrorFields {
  const defaults = TOOL_CALL_MODE_DEFAULTS.stream_error[api];
  return { message: mode.message ?? defaults.message, type: mode.type ?? defaults.type, code: mode.code ?? null };
}

/** The body of `sequence`, `chunkDelayMs` between events, with the applied stream fault if any. */
export function createSequenceStream(
  sequence: SseSequence,
  mode: FakeMode | undefined,
  chunkDelayMs: number,
  api: 'openai' | 'anthropic',
): ReadableStream<Uint8Array> {
  const { head, content, tail } = sequence;
  if (mode?.kind !== 'stream_stall' && mode?.kind !== 'stream_cut' && mode?.kind !== 'stream_error') {
    return createPacedEventStream([...head, ...content, ...tail], { chunkDelayMs });
  }
  const n = Math.min(mode.after_chunks, content.length);
  const sent = [...head, ...content.slice(0, n)];
  if (mode.kind === 'stream_error') {
    return createPacedEventStream([...sent, sequence.errorEvent(streamErrorFields(mode, api), sent.length)], { chunkDelayMs });
  }
  return createPacedEventStream(sent, { chunkDelayMs, stopAt: sent.length, stall: mode.kind === 'stream_stall' });
}

/** How many content events the client gets whole under `mode` (for the log's evidence). */
export function contentEventsSent(sequence: SseSequence, mode: FakeMode | undefined): number {
  const faulted = mode?.kind === 'stream_stall' || mode?.kind === 'stream_cut' || mode?.kind === 'stream_error';
  return faulted ? Math.min(mode.after_chunks, sequence.content.length) : sequence.content.length;
}
