/**
 * The `stream_error` fault on any stream: the body ends after its first `after_chunks` content chunks (the
 * stream's own `cut`), followed by one error event in the API's shape. A stream with fewer chunks sends them all
 * and then the error instead of its end.
 *
 * - Chat completions: `data: {"error":{"message","type","param":null,"code":null}}` (what OpenAI sends mid-stream).
 * - Responses API: `event: error` + `data: {"type":"error","code","message","param":null,"sequence_number"}`.
 * - Anthropic Messages: `event: error` + `data: {"type":"error","error":{"type","message"}}`.
 * @see https://docs.anthropic.com/en/api/messages-streaming#error-events
 * @see https://platform.openai.com/docs/api-reference/responses-streaming/error
 */
import { type StreamErrorMode, TOOL_CALL_MODE_DEFAULTS } from '../contract/index.ts';

/** The API whose error event shape to send. */
export type StreamApi = 'chat' | 'responses' | 'anthropic';

/** The SSE text of the error event `mode` asks for, in `api`'s shape; `sequence` numbers a Responses event. */
export function streamErrorEvent(mode: StreamErrorMode, api: StreamApi, sequence = 0): string {
  const defaults = api === 'anthropic' ? TOOL_CALL_MODE_DEFAULTS.stream_error.anthropic : TOOL_CALL_MODE_DEFAULTS.stream_error.openai;
  const type = mode.error_type ?? defaults.error_type;
  const message = mode.message ?? defaults.message;
  if (api === 'anthropic') return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message } })}\n\n`;
  if (api === 'responses') {
    return `event: error\ndata: ${JSON.stringify({ type: 'error', code: type, message, param: null, sequence_number: sequence })}\n\n`;
  }
  return `data: ${JSON.stringify({ error: { message, type, param: null, code: null } })}\n\n`;
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
