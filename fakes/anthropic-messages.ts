/**
 * The Anthropic Messages API (`POST /v1/messages`) on the wire: request parsing, the message object and the SSE
 * events of a streamed message, for a text answer or a `tool_use` block.
 *
 * Request: `model` and `max_tokens` (words here) required, `messages` (`{role: "user" | "assistant", content}`,
 * content a string or blocks; `text` blocks and the text of `tool_result` blocks are read), `system` (a string or
 * text blocks), `stream`, `tools`/`tool_choice` (see `tool-offers.ts`). Stream events, each `event: <type>` +
 * `data: {"type": <type>, ...}`: `message_start` (the message with empty `content`), `content_block_start`,
 * `ping`, one `content_block_delta` per word group (`text_delta`) or argument piece (`input_json_delta`),
 * `content_block_stop`, `message_delta` (`stop_reason`, `usage.output_tokens`), `message_stop`.
 * `stop_reason`: `end_turn`, `tool_use`, or `max_tokens` when cut.
 * @see https://docs.anthropic.com/en/api/messages
 * @see https://docs.anthropic.com/en/api/messages-streaming
 */
import type { AnswerRequest } from './answer-words.ts';
import type { SseSequence } from './sse-shaping.ts';

export interface AnthropicRequest extends AnswerRequest {
  model: string;
  stream: boolean;
}

/** A problem with a request: the `invalid_request_error` message to send. */
export interface AnthropicRequestProblem {
  problem: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Text of a content: a string, or the text of its `text` blocks and of its `tool_result` blocks; null if malformed. */
function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const texts: string[] = [];
  for (const block of content) {
    if (!isObject(block) || typeof block.type !== 'string') return null;
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    if (block.type === 'tool_result') texts.push(contentText(block.content ?? '') ?? '');
  }
  return texts.join('\n');
}

/** Parses a Messages API body, or names the first problem (as Anthropic words it). */
export function parseAnthropicRequest(body: Record<string, unknown>): AnthropicRequest | AnthropicRequestProblem {
  if (typeof body.model !== 'string' || body.model.length === 0) return { problem: 'model: Field required' };
  const max = body.max_tokens;
  if (max === undefined || max === null) return { problem: 'max_tokens: Field required' };
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) return { problem: 'max_tokens: Input should be a valid integer >= 1' };
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return { problem: 'messages: Field required' };
  let system = '';
  if (body.system !== undefined && body.system !== null) {
    const text = contentText(body.system);
    if (text === null) return { problem: 'system: Input should be a valid string or a list of text blocks' };
    system = text;
  }
  const all = system ? [system] : [];
  let lastUser = '';
  for (const [i, message] of messages.entries()) {
    if (!isObject(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      return { problem: `messages.${i}.role: Input should be 'user' or 'assistant'` };
    }
    const text = contentText(message.content);
    if (text === null) return { problem: `messages.${i}.content: Input should be a valid string or a list of content blocks` };
    all.push(text);
    if (
      message.role === 'user' &&
      text !== '' &&
      !(Array.isArray(message.content) && message.content.some((b) => isObject(b) && b.type === 'tool_result'))
    ) {
      lastUser = text;
    }
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    return { problem: 'stream: Input should be a valid boolean' };
  }
  return { model: body.model, stream: body.stream === true, maxTokens: max, lastUser, system, allText: all.join('\n') };
}

/** A content block of the answer: text in pieces, or a tool call whose JSON arguments come in pieces. */
export type AnthropicBlock =
  { type: 'text'; pieces: string[] } | { type: 'tool_use'; id: string; name: string; input: unknown; pieces: string[] };

export interface AnthropicAnswer {
  id: string;
  model: string;
  block: AnthropicBlock;
  stopReason: 'end_turn' | 'tool_use' | 'max_tokens';
  inputTokens: number;
  outputTokens: number;
}

function usage(answer: AnthropicAnswer, outputTokens: number) {
  return {
    input_tokens: answer.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function wholeBlock(block: AnthropicBlock) {
  if (block.type === 'text') return { type: 'text', text: block.pieces.join('') };
  return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
}

/** The message object: the whole answer (`done`), or the one `message_start` carries. */
export function anthropicMessage(answer: AnthropicAnswer, state: 'start' | 'done') {
  const done = state === 'done';
  return {
    id: answer.id,
    type: 'message',
    role: 'assistant',
    model: answer.model,
    content: done ? [wholeBlock(answer.block)] : [],
    stop_reason: done ? answer.stopReason : null,
    stop_sequence: null,
    usage: usage(answer, done ? answer.outputTokens : 1),
  };
}

/** One SSE event of a streamed message. */
export interface AnthropicEvent {
  event: string;
  data: Record<string, unknown>;
}

/** The events of a streamed message, in order. */
export function anthropicEvents(answer: AnthropicAnswer): AnthropicEvent[] {
  const { block } = answer;
  const start = block.type === 'text' ? { type: 'text', text: '' } : { type: 'tool_use', id: block.id, name: block.name, input: {} };
  const delta = (piece: string) =>
    block.type === 'text' ? { type: 'text_delta', text: piece } : { type: 'input_json_delta', partial_json: piece };
  const event = (type: string, fields: Record<string, unknown> = {}): AnthropicEvent => ({ event: type, data: { type, ...fields } });
  return [
    event('message_start', { message: anthropicMessage(answer, 'start') }),
    event('content_block_start', { index: 0, content_block: start }),
    event('ping'),
    ...block.pieces.map((piece) => event('content_block_delta', { index: 0, delta: delta(piece) })),
    event('content_block_stop', { index: 0 }),
    event('message_delta', {
      delta: { stop_reason: answer.stopReason, stop_sequence: null },
      usage: { output_tokens: answer.outputTokens },
    }),
    event('message_stop'),
  ];
}

/** The SSE text of events. */
export function toSse(events: AnthropicEvent[]): string[] {
  return events.map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
}

/** An Anthropic `event: error`. */
export function anthropicErrorEvent(error: { type: string; message: string }): string {
  return toSse([{ event: 'error', data: { type: 'error', error: { type: error.type, message: error.message } } }])[0];
}

/**
 * A streamed message as an `SseSequence` for stream faults: head `message_start`, `content_block_start`, `ping`;
 * content the `content_block_delta` events; tail `content_block_stop`, `message_delta`, `message_stop` (without the
 * finish: no `message_delta` and `message_stop`); the error event `event: error`.
 */
export function anthropicSequence(answer: AnthropicAnswer): SseSequence {
  const lines = toSse(anthropicEvents(answer));
  const n = answer.block.pieces.length;
  const tail = lines.slice(3 + n);
  return {
    head: lines.slice(0, 3),
    content: lines.slice(3, 3 + n),
    tail,
    tailWithoutFinish: tail.slice(0, 1),
    errorEvent: anthropicErrorEvent,
  };
}
