/**
 * `stream_error` on the text streams of chat completions and the Responses API (built by chat-stream.ts and
 * responses-api.ts, which issue 12 part A reworks into event sequences): the stream's own cut after `after_chunks`
 * chunks, then the API's error event. Once part A is merged, its `stream_error` shaping replaces this module.
 *
 * - Chat completions: `data: {"error":{"message","type","param":null,"code"}}` (what OpenAI sends mid-stream).
 * - Responses API: `event: error` + `data: {"type":"error","code","message","param":null,"sequence_number"}`.
 * @see https://platform.openai.com/docs/api-reference/responses-streaming/error
 */
import type { StreamErrorFields } from './sse-shaping.ts';

/** Chat completions' mid-stream error line. */
export function chatErrorEvent(error: StreamErrorFields): string {
  return `data: ${JSON.stringify({ error: { message: error.message, type: error.type, param: null, code: error.code } })}\n\n`;
}

/** The Responses API's error event, numbered `index`. */
export function responsesErrorEvent(error: StreamErrorFields, index: number): string {
  const data = { type: 'error', code: error.code, message: error.message, param: null, sequence_number: index };
  return `event: error\ndata: ${JSON.stringify(data)}\n\n`;
}

/** `body` (a stream already cut where the error goes), then `event`, then the end. Pulls are paced by the reader. */
export function appendEvent(body: ReadableStream<Uint8Array>, event: string): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let sent = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (sent) return controller.close();
        const { done, value } = await reader.read();
        if (!done) return controller.enqueue(value);
        sent = true;
        controller.enqueue(new TextEncoder().encode(event));
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
