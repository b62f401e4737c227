/**
 * Tool calls on the OpenAI wire: chat completions (`tool_calls`, or the legacy `function_call`) and the Responses
 * API (a `function_call` output item), as JSON and as SSE.
 *
 * Chat stream: a first chunk with the role and the call's `id`, `type` and `function.name` (`arguments: ""`), one
 * chunk per argument delta (`{tool_calls: [{index: 0, function: {arguments}}]}`), a final chunk with
 * `finish_reason` `tool_calls` (legacy: `function_call`; cut arguments: `length`), the usage chunk when asked, then
 * `data: [DONE]`. Responses stream: `response.created`, `response.in_progress`, `response.output_item.added` (the
 * item with `arguments: ""`), one `response.function_call_arguments.delta` per delta,
 * `response.function_call_arguments.done`, `response.output_item.done`, then `response.completed` (cut arguments:
 * `response.incomplete`, reason `max_output_tokens`). Streams are `SseSequence`s (`sse-shaping.ts`) whose
 * content events are the argument deltas: stream faults count those as chunks.
 * @see https://platform.openai.com/docs/guides/function-calling#streaming
 */
import { hashString } from '../contract/index.ts';
import type { ChatUsage } from './chat-stream.ts';
import type { SseSequence } from './sse-shaping.ts';
import { type ResponsesAnswer, responseObject } from './responses-api.ts';
import { chatErrorEvent, responsesErrorEvent } from './stream-error-event.ts';
import { type ToolCall, argumentDeltas } from './tool-calls.ts';

/** A stable id for a call: `prefix` + 24 hex digits from the call and the request's sequence number. */
export function callId(prefix: string, call: ToolCall, sequence: number): string {
  const a = hashString(`${call.name}:${call.arguments}:${sequence}`).toString(16).padStart(8, '0');
  const b = hashString(`${sequence}:${call.arguments}:${call.name}`).toString(16).padStart(8, '0');
  return `${prefix}${a}${b}${sequence.toString(16).padStart(8, '0')}`;
}

export interface ChatToolAnswer {
  id: string;
  created: number;
  model: string;
  call: ToolCall;
  callId: string;
  /** The request used the legacy `functions`: answer with `function_call`. */
  legacy: boolean;
  usage: ChatUsage;
  includeUsage: boolean;
}

const chatFinish = (a: ChatToolAnswer) => (a.call.truncated ? 'length' : a.legacy ? 'function_call' : 'tool_calls');

/** The `chat.completion` object of a tool call. */
export function chatToolCompletion(a: ChatToolAnswer) {
  const fn = { name: a.call.name, arguments: a.call.arguments };
  const message = a.legacy
    ? { role: 'assistant', content: null, function_call: fn, refusal: null }
    : { role: 'assistant', content: null, tool_calls: [{ id: a.callId, type: 'function', function: fn }], refusal: null };
  return {
    id: a.id,
    object: 'chat.completion',
    created: a.created,
    model: a.model,
    system_fingerprint: 'fp_shakedown',
    choices: [{ index: 0, message, logprobs: null, finish_reason: chatFinish(a) }],
    usage: a.usage,
  };
}

/** The events of a streamed chat tool call: head the first chunk, content the argument deltas, tail the finish. */
export function chatToolSequence(a: ChatToolAnswer): SseSequence {
  const base = { id: a.id, object: 'chat.completion.chunk', created: a.created, model: a.model, system_fingerprint: 'fp_shakedown' };
  const usageField = a.includeUsage ? { usage: null } : {};
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...usageField })}\n\n`;
  const first = a.legacy
    ? { role: 'assistant', content: null, function_call: { name: a.call.name, arguments: '' }, refusal: null }
    : {
        role: 'assistant',
        content: null,
        tool_calls: [{ index: 0, id: a.callId, type: 'function', function: { name: a.call.name, arguments: '' } }],
        refusal: null,
      };
  const content = argumentDeltas(a.call.arguments).map((piece) =>
    chunk(a.legacy ? { function_call: { arguments: piece } } : { tool_calls: [{ index: 0, function: { arguments: piece } }] }, null),
  );
  const after = [...(a.includeUsage ? [`data: ${JSON.stringify({ ...base, choices: [], usage: a.usage })}\n\n`] : []), 'data: [DONE]\n\n'];
  return {
    head: [chunk(first, null)],
    content,
    tail: [chunk({}, chatFinish(a)), ...after],
    tailWithoutFinish: after,
    errorEvent: chatErrorEvent,
  };
}

/** The `function_call` output item of a Responses API tool call. */
function functionCallItem(answer: ResponsesAnswer, call: ToolCall, id: string, state: 'added' | 'done') {
  return {
    id: `fc_${answer.id.slice(5)}`,
    type: 'function_call',
    status: state === 'added' ? 'in_progress' : call.truncated ? 'incomplete' : 'completed',
    arguments: state === 'added' ? '' : call.arguments,
    call_id: id,
    name: call.name,
  };
}

/** The response object of a Responses API tool call (`answer.truncated` when the arguments were cut). */
export function responsesToolObject(answer: ResponsesAnswer, call: ToolCall, id: string, state: 'in_progress' | 'done') {
  return { ...responseObject(answer, state), output: state === 'done' ? [functionCallItem(answer, call, id, 'done')] : [] };
}

/** The events of a streamed Responses API tool call: content the `response.function_call_arguments.delta` events. */
export function responsesToolSequence(answer: ResponsesAnswer, call: ToolCall, id: string): SseSequence {
  const itemId = `fc_${answer.id.slice(5)}`;
  const deltas = argumentDeltas(call.arguments);
  const events: Array<Record<string, unknown>> = [
    { type: 'response.created', response: responsesToolObject(answer, call, id, 'in_progress') },
    { type: 'response.in_progress', response: responsesToolObject(answer, call, id, 'in_progress') },
    { type: 'response.output_item.added', output_index: 0, item: functionCallItem(answer, call, id, 'added') },
    ...deltas.map((delta) => ({ type: 'response.function_call_arguments.delta', item_id: itemId, output_index: 0, delta })),
    { type: 'response.function_call_arguments.done', item_id: itemId, output_index: 0, name: call.name, arguments: call.arguments },
    { type: 'response.output_item.done', output_index: 0, item: functionCallItem(answer, call, id, 'done') },
    { type: answer.truncated ? 'response.incomplete' : 'response.completed', response: responsesToolObject(answer, call, id, 'done') },
  ];
  const lines = events.map((e, n) => `event: ${e.type}\ndata: ${JSON.stringify({ ...e, sequence_number: n })}\n\n`);
  const head = 3;
  const tail = lines.slice(head + deltas.length);
  return {
    head: lines.slice(0, head),
    content: lines.slice(head, head + deltas.length),
    tail,
    tailWithoutFinish: tail.slice(0, -1),
    errorEvent: responsesErrorEvent,
  };
}
