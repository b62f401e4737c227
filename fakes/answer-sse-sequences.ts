/**
 * The model fake's two streams as {@link SseSequence}s for stream shaping (`sse-shaping.ts`): chat completions
 * and the Responses API, with each API's error event.
 * @see https://platform.openai.com/docs/api-reference/chat/streaming
 * @see https://platform.openai.com/docs/api-reference/responses-streaming/error
 */
import { type ChatStreamOptions, events as chatStreamEvents } from './chat-stream.ts';
import { type ResponsesAnswer, responsesEvents } from './responses-api.ts';
import type { SseSequence } from './sse-shaping.ts';

/**
 * A chat completion stream: head the role chunk, tail the finish chunk, the usage chunk (when asked) and
 * `[DONE]`. The error event is `data: {"error":{message,type,param,code}}`, as OpenAI sends one mid-stream.
 */
export function chatSseSequence(options: Omit<ChatStreamOptions, 'fault' | 'chunkDelayMs'>): SseSequence {
  const lines = chatStreamEvents({ ...options, chunkDelayMs: 0 });
  const n = options.contentChunks.length;
  const tail = lines.slice(1 + n);
  return {
    head: lines.slice(0, 1),
    content: lines.slice(1, 1 + n),
    tail,
    tailWithoutFinish: tail.slice(1),
    errorEvent: (error) =>
      `data: ${JSON.stringify({ error: { message: error.message, type: error.type, param: null, code: error.code } })}\n\n`,
  };
}

/** Events of a Responses API stream before the first `response.output_text.delta`. */
const RESPONSES_HEAD = 4;

/**
 * A Responses API stream: head `response.created` to `response.content_part.added`, tail the `.done` events and
 * `response.completed` (or `response.incomplete`); without the finish, the stream ends after
 * `response.output_item.done`. The error event is `event: error` with `{type:"error",code,message,param}`.
 */
export function responsesSseSequence(answer: ResponsesAnswer): SseSequence {
  const lines = responsesEvents(answer);
  const n = answer.contentChunks.length;
  const tail = lines.slice(RESPONSES_HEAD + n);
  return {
    head: lines.slice(0, RESPONSES_HEAD),
    content: lines.slice(RESPONSES_HEAD, RESPONSES_HEAD + n),
    tail,
    tailWithoutFinish: tail.slice(0, -1),
    errorEvent: (error, index) =>
      `event: error\ndata: ${JSON.stringify({ type: 'error', code: error.code, message: error.message, param: null, sequence_number: index })}\n\n`,
  };
}
