/**
 * The model fake's size modes: `stream_length` (exactly n content chunks) and `body_size` (the answer repeated
 * until the response body is at least n bytes), applied to an answer before it is sent.
 */
import type { AppliedMode } from './fake-runtime.ts';
import { resizeContentChunks, type SseSequence } from './sse-shaping.ts';

const byteLength = (text: string) => Buffer.byteLength(text);

/** `text` followed by repetitions of itself (a space between them) adding at least `extraBytes` bytes. */
export function padText(text: string, extraBytes: number): string {
  if (extraBytes <= 0) return text;
  const unit = ` ${text.trim() || 'lorem'}`;
  const unitBytes = byteLength(unit);
  return text + unit.repeat(Math.ceil(extraBytes / unitBytes));
}

/** `stream_length`: the chunks resized to its `chunks` (cut reports `finish_reason: "length"`); else unchanged. */
export function streamLengthOf(applied: AppliedMode | null, chunks: string[]): { chunks: string[]; cut: boolean } {
  if (applied?.mode.kind !== 'stream_length') return { chunks, cut: false };
  return resizeContentChunks(chunks, applied.mode.chunks);
}

/** The `body_size` target in bytes when that mode applies, else undefined. */
export function bodySizeOf(applied: AppliedMode | null): number | undefined {
  return applied?.mode.kind === 'body_size' ? applied.mode.bytes : undefined;
}

/** Bytes of a stream's events as normally sent. */
export function sequenceBytes(sequence: SseSequence): number {
  let total = 0;
  for (const part of [sequence.head, sequence.content, sequence.tail]) for (const text of part) total += byteLength(text);
  return total;
}

/**
 * A stream grown to at least `bytes` bytes by repeating its content chunks: `build` makes the sequence for a list
 * of chunks. Returns the sequence and the chunks it carries.
 */
export function growStream(
  chunks: string[],
  bytes: number,
  build: (chunks: string[]) => SseSequence,
): { sequence: SseSequence; chunks: string[] } {
  let current = chunks;
  let sequence = build(current);
  for (let round = 0; round < 8; round++) {
    const deficit = bytes - sequenceBytes(sequence);
    if (deficit <= 0) break;
    const perChunk = sequence.content.reduce((most, text) => Math.max(most, byteLength(text)), 1);
    current = resizeContentChunks(current, current.length + Math.ceil(deficit / perChunk)).chunks;
    sequence = build(current);
  }
  return { sequence, chunks: current };
}
