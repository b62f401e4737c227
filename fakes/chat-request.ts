/**
 * Validation of a `POST /v1/chat/completions` body into the few fields the model fake uses.
 */
import { invalidParamError, providerError } from './provider-error.ts';

export interface ChatRequest {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  /** `max_completion_tokens` or `max_tokens` (words here), or null. */
  maxTokens: number | null;
  /** Text of the last user message (text parts joined by newlines). */
  lastUser: string;
  /** Text of system and developer messages, joined by newlines. */
  system: string;
  /** Text of every message, for the prompt token count. */
  allText: string;
  /** `response_format` as sent (`{ type: 'json_schema', json_schema: { schema } }`), or undefined. */
  responseFormat?: unknown;
}

function contentText(content: unknown): string | null {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const parts: string[] = [];
  for (const part of content) {
    if (part === null || typeof part !== 'object') return null;
    const { type, text } = part as Record<string, unknown>;
    if (type === 'text' && typeof text === 'string') parts.push(text);
  }
  return parts.join('\n');
}

/** Parses a chat request body, or returns the provider-shaped 400 for the first problem found. */
export function parseChatRequest(body: Record<string, unknown>): ChatRequest | Response {
  if (typeof body.model !== 'string' || body.model.length === 0) {
    return providerError({
      status: 400,
      message: 'you must provide a model parameter',
      param: 'model',
      code: 'missing_required_parameter',
    });
  }
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return providerError({
      status: 400,
      message: "Missing required parameter: 'messages'.",
      param: 'messages',
      code: 'missing_required_parameter',
    });
  }
  let lastUser = '';
  const system: string[] = [];
  const all: string[] = [];
  for (const [i, message] of messages.entries()) {
    if (message === null || typeof message !== 'object' || typeof (message as Record<string, unknown>).role !== 'string') {
      return invalidParamError(`messages.[${i}]`, `Invalid value for 'messages[${i}]': expected an object with a string 'role'.`);
    }
    const { role, content } = message as Record<string, unknown>;
    const text = contentText(content);
    if (text === null) {
      return invalidParamError(
        `messages.[${i}].content`,
        `Invalid type for 'messages[${i}].content': expected a string or an array of content parts.`,
      );
    }
    all.push(text);
    if (role === 'user') lastUser = text;
    if (role === 'system' || role === 'developer') system.push(text);
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    return invalidParamError('stream', "Invalid type for 'stream': expected a boolean.");
  }
  const max = body.max_completion_tokens ?? body.max_tokens;
  if (max !== undefined && max !== null && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    return invalidParamError('max_tokens', "Invalid 'max_tokens': expected an integer >= 1.");
  }
  const streamOptions = body.stream_options;
  const includeUsage =
    streamOptions !== null && typeof streamOptions === 'object' && (streamOptions as Record<string, unknown>).include_usage === true;
  return {
    model: body.model,
    stream: body.stream === true,
    includeUsage,
    maxTokens: typeof max === 'number' ? max : null,
    lastUser,
    system: system.join('\n'),
    allText: all.join('\n'),
    ...(body.response_format === undefined || body.response_format === null ? {} : { responseFormat: body.response_format }),
  };
}
