/**
 * The OpenAI Responses API (`POST /v1/responses`) as far as a text answer goes: request parsing, the response
 * object and the SSE event stream. The Vercel AI SDK's default OpenAI model (`openai('gpt-4o-mini')`) calls it.
 *
 * Request: `model`, `input` (a string, or message items `{role, content}` whose content is a string or
 * `input_text` / `output_text` parts; other items are ignored), `instructions`, `stream`, `max_output_tokens`
 * (words here). Streamed events, each `event: <type>` + `data: {..., sequence_number}`: `response.created`,
 * `response.in_progress`, `response.output_item.added`, `response.content_part.added`, one
 * `response.output_text.delta` per word group, `response.output_text.done`, `response.content_part.done`,
 * `response.output_item.done`, then `response.completed` (or `response.incomplete` with `incomplete_details:
 * {reason: "max_output_tokens"}` when cut). There is no `[DONE]` line in this API.
 * @see https://platform.openai.com/docs/api-reference/responses/create
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 */
import { createPacedEventStream } from './chat-stream.ts';
import { invalidParamError, providerError } from './provider-error.ts';

export interface ResponsesRequest {
  model: string;
  stream: boolean;
  maxTokens: number | null;
  /** Text of the last user message. */
  lastUser: string;
  /** `instructions` and system/developer messages, joined by newlines. */
  system: string;
  /** Every text of the request, for the input token count. */
  allText: string;
  /** `text.format` as sent (`{ type: 'json_schema', schema }`), or undefined. */
  responseFormat?: unknown;
}

function partsText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const texts: string[] = [];
  for (const part of content) {
    if (part === null || typeof part !== 'object') return null;
    const { type, text } = part as Record<string, unknown>;
    if ((type === 'input_text' || type === 'output_text' || type === 'text') && typeof text === 'string') texts.push(text);
  }
  return texts.join('\n');
}

/** Parses a Responses API body, or returns the provider-shaped 400 for the first problem found. */
export function parseResponsesRequest(body: Record<string, unknown>): ResponsesRequest | Response {
  if (typeof body.model !== 'string' || body.model.length === 0) {
    return providerError({
      status: 400,
      message: 'you must provide a model parameter',
      param: 'model',
      code: 'missing_required_parameter',
    });
  }
  const system: string[] = typeof body.instructions === 'string' ? [body.instructions] : [];
  const all: string[] = [...system];
  let lastUser = '';
  if (typeof body.input === 'string') {
    lastUser = body.input;
    all.push(body.input);
  } else if (Array.isArray(body.input) && body.input.length > 0) {
    for (const [i, item] of body.input.entries()) {
      if (item === null || typeof item !== 'object')
        return invalidParamError(`input[${i}]`, `Invalid value for 'input[${i}]': expected an object.`);
      const { type, role, content } = item as Record<string, unknown>;
      if (type !== undefined && type !== 'message') continue; // tool calls and outputs carry no prompt text here
      const text = partsText(content);
      if (typeof role !== 'string' || text === null) {
        return invalidParamError(
          `input[${i}]`,
          `Invalid value for 'input[${i}]': expected a message with a string 'role' and text content.`,
        );
      }
      all.push(text);
      if (role === 'user') lastUser = text;
      if (role === 'system' || role === 'developer') system.push(text);
    }
  } else {
    return providerError({
      status: 400,
      message: "Missing required parameter: 'input'.",
      param: 'input',
      code: 'missing_required_parameter',
    });
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    return invalidParamError('stream', "Invalid type for 'stream': expected a boolean.");
  }
  const max = body.max_output_tokens;
  if (max !== undefined && max !== null && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    return invalidParamError('max_output_tokens', "Invalid 'max_output_tokens': expected an integer >= 1.");
  }
  return {
    model: body.model,
    stream: body.stream === true,
    maxTokens: typeof max === 'number' ? max : null,
    lastUser,
    system: system.join('\n'),
    allText: all.join('\n'),
    ...(typeof body.text === 'object' && body.text !== null && 'format' in body.text ? { responseFormat: body.text.format } : {}),
  };
}

export interface ResponsesAnswer {
  id: string;
  /** Epoch seconds. */
  createdAt: number;
  model: string;
  /** Content deltas in order; their concatenation is the answer. */
  contentChunks: string[];
  /** Cut by `max_output_tokens`. */
  truncated: boolean;
  inputTokens: number;
  outputTokens: number;
}

function messageItem(answer: ResponsesAnswer, status: 'in_progress' | 'completed', text: string | null) {
  const content = text === null ? [] : [{ type: 'output_text', text, annotations: [], logprobs: [] }];
  return { id: `msg_${answer.id.slice(5)}`, type: 'message', status, role: 'assistant', content };
}

/** The response object: `status` `completed`, or `incomplete` when cut; `output` empty while in progress. */
export function responseObject(answer: ResponsesAnswer, state: 'in_progress' | 'done') {
  const text = answer.contentChunks.join('');
  const done = state === 'done';
  const status = !done ? 'in_progress' : answer.truncated ? 'incomplete' : 'completed';
  return {
    id: answer.id,
    object: 'response',
    created_at: answer.createdAt,
    status,
    error: null,
    incomplete_details: done && answer.truncated ? { reason: 'max_output_tokens' } : null,
    instructions: null,
    model: answer.model,
    output: done ? [messageItem(answer, 'completed', text)] : [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    metadata: {},
    usage: done
      ? {
          input_tokens: answer.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: answer.outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: answer.inputTokens + answer.outputTokens,
        }
      : null,
  };
}

/** Number of events before the first `response.output_text.delta`. */
const EVENTS_BEFORE_TEXT = 4;

/** The SSE lines of a streamed response, in order. */
export function responsesEvents(answer: ResponsesAnswer): string[] {
  const itemId = `msg_${answer.id.slice(5)}`;
  const text = answer.contentChunks.join('');
  const at = { item_id: itemId, output_index: 0, content_index: 0 };
  const events: Array<Record<string, unknown>> = [
    { type: 'response.created', response: responseObject(answer, 'in_progress') },
    { type: 'response.in_progress', response: responseObject(answer, 'in_progress') },
    { type: 'response.output_item.added', output_index: 0, item: messageItem(answer, 'in_progress', null) },
    { type: 'response.content_part.added', ...at, part: { type: 'output_text', text: '', annotations: [] } },
    ...answer.contentChunks.map((delta) => ({ type: 'response.output_text.delta', ...at, delta, logprobs: [] })),
    { type: 'response.output_text.done', ...at, text, logprobs: [] },
    { type: 'response.content_part.done', ...at, part: { type: 'output_text', text, annotations: [] } },
    { type: 'response.output_item.done', output_index: 0, item: messageItem(answer, 'completed', text) },
    { type: answer.truncated ? 'response.incomplete' : 'response.completed', response: responseObject(answer, 'done') },
  ];
  return events.map((event, sequence) => `event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number: sequence })}\n\n`);
}

/**
 * The SSE body of a streamed response. A `stall` fault stops after `afterChunks` text deltas and holds the body
 * open; a `cut` fault closes it there (no `response.completed`).
 */
export function createResponsesStream(
  answer: ResponsesAnswer,
  options: { chunkDelayMs: number; fault?: { kind: 'stall' | 'cut'; afterChunks: number } },
): ReadableStream<Uint8Array> {
  const stopAt = options.fault ? EVENTS_BEFORE_TEXT + Math.min(options.fault.afterChunks, answer.contentChunks.length) : Infinity;
  return createPacedEventStream(responsesEvents(answer), {
    chunkDelayMs: options.chunkDelayMs,
    stopAt,
    stall: options.fault?.kind === 'stall',
  });
}
