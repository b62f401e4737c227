/**
 * The model fake's `POST /v1/messages`: the Anthropic Messages API answering as the OpenAI endpoints do (the same
 * extractive answer, content faults and tool calls), with Anthropic's wire shapes (`anthropic-messages.ts`) and
 * errors (`anthropic-errors.ts`). `x-api-key` (or `authorization`) and `anthropic-version` are accepted, not
 * checked.
 *
 * Modes: `http_error` and `error_body` (Anthropic-shaped; 529 is `overloaded_error`), `stream_stall`,
 * `stream_cut`, `stream_error` (`event: error`, default `overloaded_error`), the content modes on a text answer, and
 * the tool-call modes on a `tool_use` answer. Stream faults count `content_block_delta` events as chunks.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import {
  type ModeKind,
  type ModelFakeOptions,
  RESPONSE_MODES,
  STREAM_ONLY_MODES,
  TOOL_CALL_MODE_DEFAULTS,
  hashString,
} from '../contract/index.ts';
import { ANSWER_FAULT_KINDS, citedIds } from './answer-faults.ts';
import { answerWords } from './answer-words.ts';
import { anthropicError, anthropicReplacedResponse, anthropicRequestId } from './anthropic-errors.ts';
import { type AnthropicAnswer, anthropicMessage, anthropicSequence, parseAnthropicRequest } from './anthropic-messages.ts';
import { splitIntoWordGroups } from './chat-stream.ts';
import type { ResolvedHandlerContext } from './handler-context.ts';
import { pause } from './handler-context.ts';
import { contentEventsSent, createShapedStream, sendsFinish, streamShapeOf, type StreamShape } from './sse-shaping.ts';
import { callId } from './tool-call-answers.ts';
import { TOOL_CALL_FAULT_KINDS, argumentDeltas, chooseTool, toolCallFor } from './tool-calls.ts';
import { anthropicToolOffer } from './tool-offers.ts';
import { countTokens } from './text-analysis.ts';
import type { ModelQuotas } from './quota-limiter.ts';

const TEXT_MODES: readonly ModeKind[] = [...RESPONSE_MODES, ...STREAM_ONLY_MODES, ...ANSWER_FAULT_KINDS];
const TOOL_MODES: readonly ModeKind[] = [...RESPONSE_MODES, ...STREAM_ONLY_MODES, ...TOOL_CALL_FAULT_KINDS];

async function readBody(request: Request): Promise<Record<string, unknown> | Response> {
  let value: unknown;
  try {
    value = JSON.parse(await request.text());
  } catch (error) {
    return anthropicError(400, { message: `There was an error parsing the body of your request: ${(error as Error).message}` });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return anthropicError(400, { message: 'The request body must be a JSON object.' });
  }
  return value as Record<string, unknown>;
}

/** Builds the `POST /v1/messages` handler of a model fake with its resolved options and context. */
export function anthropicMessagesHandler(
  o: Required<Omit<ModelFakeOptions, 'quota'>>,
  { runtime, at }: ResolvedHandlerContext,
  quotas: ModelQuotas,
): HttpHandler {
  let count = 0;
  return http.post(at('/v1/messages'), async ({ request }) => {
    const body = await readBody(request);
    const stream = !(body instanceof Response) && body.stream === true;
    const offered = body instanceof Response ? null : anthropicToolOffer(body);
    const tool = offered !== null && 'offer' in offered ? chooseTool(offered.offer) : null;
    const applied = runtime.roll(request, { stream, accepts: tool ? TOOL_MODES : TEXT_MODES });
    const replaced = anthropicReplacedResponse(applied);
    if (replaced) return replaced;
    if (body instanceof Response) return body;
    const parsed = parseAnthropicRequest(body);
    if ('problem' in parsed) return anthropicError(400, { message: parsed.problem });
    // What the harness matches the call to its SUT request by (calls per request without a trace header).
    runtime.record(request, { user_text: parsed.lastUser, prompt_chars: parsed.allText.length });
    if (offered !== null && 'param' in offered) return anthropicError(400, { message: offered.message });
    const admission = quotas.admit(request, parsed.model, countTokens(parsed.allText), 'anthropic');
    if (admission instanceof Response) return admission;
    if (o.latency_ms > 0) await pause(o.latency_ms, request.signal);

    count++;
    const id = `msg_01${hashString(`${runtime.name}:${count}:${parsed.allText}`).toString(16).padStart(8, '0')}${count.toString(16).padStart(14, '0')}`;
    const inputTokens = countTokens(parsed.allText);
    let answer: AnthropicAnswer;
    let cited: string[] = [];
    if (tool && offered && 'offer' in offered) {
      const call = toolCallFor(offered.offer, tool, applied);
      answer = {
        id,
        model: parsed.model,
        block: {
          type: 'tool_use',
          id: callId('toolu_01', call, count),
          name: call.name,
          input: call.input,
          pieces: ['', ...argumentDeltas(call.arguments)],
        },
        stopReason: call.truncated ? 'max_tokens' : 'tool_use',
        inputTokens,
        outputTokens: countTokens(call.arguments),
      };
    } else {
      const { words, content, truncated } = answerWords(parsed, applied);
      const pieces = splitIntoWordGroups(content, o.words_per_chunk);
      answer = {
        id,
        model: parsed.model,
        block: { type: 'text', pieces },
        stopReason: truncated ? 'max_tokens' : 'end_turn',
        inputTokens,
        outputTokens: words.length,
      };
    }
    admission.charge(answer.outputTokens);
    const headers = { 'request-id': anthropicRequestId(), ...admission.headers() };
    const events = anthropicSequence(answer);
    const shape = stream ? anthropicShape(streamShapeOf(applied)) : undefined;
    // The stop reason as the log's finish_reason (OpenAI's words: max_tokens is `length`), unless the stream is
    // bent so that it never arrives.
    const finish = answer.stopReason === 'max_tokens' ? 'length' : answer.stopReason === 'tool_use' ? 'tool_calls' : 'stop';
    const finished = shape === undefined || sendsFinish(shape) ? { finish_reason: finish } : {};
    if (answer.block.type === 'text') {
      cited = citedIds(answer.block.pieces.slice(0, contentEventsSent(events, shape)).join(''));
      runtime.record(request, { cited_ids: cited, ...finished });
    } else runtime.record(request, finished);
    if (!parsed.stream) return HttpResponse.json(anthropicMessage(answer, 'done'), { headers });
    const sseBody = createShapedStream(events, shape, o.chunk_delay_ms);
    return new HttpResponse(sseBody, {
      headers: { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
    });
  });
}

/** A `stream_error` on the Messages API defaults to Anthropic's `overloaded_error` (the OpenAI default elsewhere). */
function anthropicShape(shape: StreamShape | undefined): StreamShape | undefined {
  if (shape?.kind !== 'stream_error') return shape;
  const d = TOOL_CALL_MODE_DEFAULTS.stream_error.anthropic;
  return { ...shape, message: shape.message ?? d.message, type: shape.type ?? d.type };
}
