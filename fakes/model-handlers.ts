/**
 * The `model` fake: an OpenAI-compatible chat, embeddings and models API answering deterministically.
 *
 * - `POST /v1/chat/completions`: extractive answer over the last user message (see `extractive-answerer.ts`),
 *   plain JSON or `stream: true` SSE; `max_tokens`/`max_completion_tokens` cut the answer (in words) with
 *   `finish_reason: "length"`. Modes: `http_error`, `error_body` (any request), `stream_stall`, `stream_cut`,
 *   `stream_drip`, `stream_length`, `stream_no_finish`, `stream_error` (streams only, see `sse-shaping.ts`),
 *   `body_size`, `drop_facts`, `perturb_numbers`, `wrong_citations`, `truncate`, `refuse` (the answer's content,
 *   see `answer-faults.ts`). The log entry gets `cited_ids`: the ids the answer sent cites.
 * - `POST /v1/responses`: the same answer through the Responses API (plain JSON or SSE events, see
 *   `responses-api.ts`); the same modes.
 * - `POST /v1/messages`: the Anthropic Messages API (`anthropic-handler.ts`); the same answers and modes.
 * - A request offering tools gets a tool call instead (`tool-calls.ts`), with the tool-call modes and the stream
 *   modes; `stream_error` ends any stream with an error event (`stream-error-event.ts`).
 * - `POST /v1/embeddings`: hashed bag of words (`embedding_dim` floats), `encoding_format` `float` or `base64`.
 * - `GET /v1/models`, `GET /v1/models/:id`.
 * Token counts in `usage` are word counts. Over a port, chat completions (plain and streamed) skip msw (see `direct-route.ts`,
 * `createModelFake`) with the same answers.
 */
import { http, HttpResponse, type HttpHandler, type RequestHandler } from 'msw';
import { ANSWER_FAULT_KINDS, citedIds } from './answer-faults.ts';
import { type AnswerRequest, answerWords } from './answer-words.ts';
import { type ChatUsage, createChatStream, splitIntoWordGroups } from './chat-stream.ts';
import { parseChatRequest } from './chat-request.ts';
import type { DirectJson, DirectRequest, DirectRoute } from './direct-route.ts';
import { parseResponsesRequest, responseObject } from './responses-api.ts';
import { DEFAULT_EMBEDDING_DIM, embedText, vectorToBase64 } from './embeddings.ts';
import { type HandlerContext, pause, resolveHandlerContext } from './handler-context.ts';
import {
  type FakeExtensionOptions,
  type ModeKind,
  RESPONSE_MODES,
  STREAM_ONLY_MODES,
  type ModelFakeOptions,
  hashString,
} from '../contract/index.ts';
import { comparableBody, isRawFixture, matchFixture, userResponsesHandler } from './fixtures.ts';
import { createModelQuotas } from './quota-limiter.ts';
import type { AppliedMode } from './fake-runtime.ts';
import { bodySizeOf, growStream, padText, streamLengthOf } from './answer-size.ts';
import { chatSseSequence, responsesSseSequence } from './answer-sse-sequences.ts';
import { type SseSequence, type StreamShape, contentEventsSent, createShapedStream, sendsFinish, streamShapeOf } from './sse-shaping.ts';
import { replacedResponse } from './http-error-mode.ts';
import { invalidParamError, parseJsonObject, providerError, readJsonObject } from './provider-error.ts';
import { countTokens } from './text-analysis.ts';
import { anthropicMessagesHandler } from './anthropic-handler.ts';
import { callId, chatToolCompletion, chatToolSequence, responsesToolObject, responsesToolSequence } from './tool-call-answers.ts';
import { TOOL_CALL_FAULT_KINDS, chooseTool, toolCallFor } from './tool-calls.ts';
import { type ToolOfferResult, chatToolOffer, responsesToolOffer } from './tool-offers.ts';

export type ResolvedModelFakeOptions = Required<Omit<ModelFakeOptions, 'quota'>>;

export const MODEL_FAKE_DEFAULTS: Readonly<ResolvedModelFakeOptions> = Object.freeze({
  latency_ms: 0,
  chunk_delay_ms: 5,
  words_per_chunk: 3,
  models: ['gpt-4o-mini', 'text-embedding-3-small'],
  embedding_dim: DEFAULT_EMBEDDING_DIM,
});

/** Mode kinds the answer endpoints (chat completions, responses) apply. */
const ANSWER_MODES: readonly ModeKind[] = [...RESPONSE_MODES, ...STREAM_ONLY_MODES, ...ANSWER_FAULT_KINDS, 'body_size'];
/** Mode kinds an answer that is a tool call applies (see `tool-calls.ts`). */
const TOOL_CALL_ANSWER_MODES: readonly ModeKind[] = [...RESPONSE_MODES, ...STREAM_ONLY_MODES, ...TOOL_CALL_FAULT_KINDS];

/** The ids cited by the content the client gets: the chunks a shaped stream sends whole. */
function sentCitations(contentChunks: string[], sequence: SseSequence, shape: StreamShape | undefined): string[] {
  return citedIds(contentChunks.slice(0, contentEventsSent(sequence, shape)).join(''));
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

/** The model fake's msw handlers and the direct route that answers its chat completions over a port. */
export interface ModelFake {
  handlers: HttpHandler[];
  /**
   * For `serveHandlers({ direct })`: `POST /v1/chat/completions` (plain and `stream: true`), answered as the msw
   * handler answers it; empty when the handlers live under a `baseUrl` (they are not served on a port then).
   */
  direct: DirectRoute[];
}

/**
 * Builds the model fake's msw handlers, fixtures included. (`handlers`, a module path, is for the fakes process;
 * under msw's `setupServer`, list your own handlers before these instead.)
 */
export function modelHandlers(
  options: ModelFakeOptions & Pick<FakeExtensionOptions, 'fixtures'> = {},
  context: HandlerContext = {},
): HttpHandler[] {
  return createModelFake(options, context).handlers;
}

/** Builds the model fake: its msw handlers and its direct route, sharing one state (modes, log, id sequence). */
export function createModelFake(
  options: ModelFakeOptions & FakeExtensionOptions = {},
  context: HandlerContext = {},
  userHandlers: readonly RequestHandler[] = [],
): ModelFake {
  const { quota, fixtures, handlers: _handlers, ...own } = options;
  const o: ResolvedModelFakeOptions = { ...MODEL_FAKE_DEFAULTS, ...own };
  const resolved = resolveHandlerContext('model', context);
  const { runtime, at } = resolved;
  const quotas = createModelQuotas(quota, runtime);
  // Fixtures that give an answer's text are answered inside the answer endpoints; those sent as given, and the
  // user's handlers (imported by start-fakes.ts), in one handler in front of the fake's own.
  const contentFixtures = (fixtures ?? []).filter((f) => !isRawFixture(f));
  const rawFixtures = (fixtures ?? []).filter(isRawFixture);
  const front =
    rawFixtures.length > 0 || userHandlers.length > 0 ? [userResponsesHandler(rawFixtures, userHandlers, runtime, false, at('/*'))] : [];
  let sequence = 0;

  /**
   * What both answering endpoints do first with the body read (a JSON object, or the 400 to send): roll the modes
   * (an http_error or error_body answers even a malformed request), parse it with `parse`, wait the base latency,
   * and build the answer: a tool call when `readTools` finds tools the model calls (see `tool-calls.ts`), else text.
   */
  async function prepareAnswer<R extends AnswerRequest>(
    request: DirectRequest,
    body: Record<string, unknown> | Response,
    parse: (body: Record<string, unknown>) => R | Response,
    readTools: (body: Record<string, unknown>) => ToolOfferResult,
  ) {
    const stream = !(body instanceof Response) && body.stream === true;
    const offered = body instanceof Response ? null : readTools(body);
    const tool = offered !== null && 'offer' in offered ? chooseTool(offered.offer) : null;
    const applied = runtime.roll(request, {
      stream,
      accepts: tool ? TOOL_CALL_ANSWER_MODES : ANSWER_MODES,
      body: body instanceof Response ? undefined : () => JSON.stringify(body),
    });
    const parsed = body instanceof Response ? body : parse(body);
    // What the harness matches the call to its SUT request by, and the wait asked for: logged for errors too.
    if (!(parsed instanceof Response)) runtime.record(request, { user_text: parsed.lastUser, prompt_chars: parsed.allText.length });
    const replaced = replacedResponse(applied);
    if (replaced) {
      if (applied?.mode.kind === 'http_error' && applied.mode.retry_after_s !== undefined)
        runtime.record(request, { retry_after_ms: Math.round(applied.mode.retry_after_s * 1000) });
      return replaced;
    }
    if (parsed instanceof Response) return parsed;
    if (body instanceof Response) return body;
    if (offered !== null && 'param' in offered) return invalidParamError(offered.param, offered.message);
    const admission = quotas.admit(request, typeof body.model === 'string' ? body.model : 'gpt-4o-mini', countTokens(parsed.allText));
    if (admission instanceof Response) return admission;
    if (o.latency_ms > 0) await pause(o.latency_ms, request.signal);
    const toolCall =
      tool && offered && 'offer' in offered ? { call: toolCallFor(offered.offer, tool, applied), legacy: offered.legacy } : null;
    const fixture =
      contentFixtures.length > 0
        ? matchFixture(contentFixtures, {
            method: request.method,
            path: new URL(request.url).pathname,
            body: comparableBody(JSON.stringify(body)),
            lastUser: parsed.lastUser,
            model: typeof body.model === 'string' ? body.model : undefined,
          })
        : undefined;
    const fixedAnswer = fixture && 'content' in fixture.response ? fixture.response.content : undefined;
    const answer = answerWords(fixedAnswer === undefined ? parsed : { ...parsed, fixedAnswer }, applied);
    admission.charge(toolCall ? countTokens(toolCall.call.arguments) : answer.words.length);
    return { parsed, applied, toolCall, quotaHeaders: admission.headers(), ...answer };
  }

  /** A chat completion: the plain answer as JSON to send, or the `Response` to send (errors, streams). */
  async function chatCompletion(request: DirectRequest, body: Record<string, unknown> | Response): Promise<DirectJson | Response> {
    const prepared = await prepareAnswer(request, body, parseChatRequest, chatToolOffer);
    if (prepared instanceof Response) return prepared;
    const { parsed: chatRequest, applied, words, content, truncated, cited, toolCall, quotaHeaders } = prepared;
    const finishReason: 'length' | 'stop' = truncated ? 'length' : 'stop';
    const promptTokens = countTokens(chatRequest.allText);
    const completionTokens = toolCall ? countTokens(toolCall.call.arguments) : words.length;
    const usage: ChatUsage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    };
    sequence++;
    const id = `chatcmpl-${hashString(`${runtime.name}:${sequence}:${chatRequest.allText}`).toString(16).padStart(8, '0')}${sequence.toString(16)}`;
    const created = Math.floor(Date.now() / 1000);
    const headers = { 'x-request-id': `req_${id.slice(9)}`, 'openai-processing-ms': String(o.latency_ms), ...quotaHeaders };

    if (toolCall) {
      const { call, legacy } = toolCall;
      // A tool call cut short (arguments truncated) finishes with `length`: the evidence the truncated outcome reads.
      if (!chatRequest.stream || sendsFinish(streamShapeOf(applied)))
        runtime.record(request, { finish_reason: call.truncated ? 'length' : legacy ? 'function_call' : 'tool_calls' });
      const answer = {
        id,
        created,
        model: chatRequest.model,
        call,
        callId: callId('call_', call, sequence),
        legacy,
        usage,
        includeUsage: chatRequest.includeUsage,
      };
      if (!chatRequest.stream) return { kind: 'json', body: chatToolCompletion(answer), headers };
      const sseBody = createShapedStream(chatToolSequence(answer), streamShapeOf(applied), o.chunk_delay_ms);
      return new HttpResponse(sseBody, { headers: { ...headers, ...SSE_HEADERS } });
    }
    if (!chatRequest.stream) {
      runtime.record(request, { cited_ids: cited, finish_reason: finishReason });
      const message = { role: 'assistant', content, refusal: null };
      const body = {
        id,
        object: 'chat.completion',
        created,
        model: chatRequest.model,
        system_fingerprint: 'fp_shakedown',
        choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
        usage,
      };
      const bytes = bodySizeOf(applied);
      if (bytes !== undefined) message.content = padText(content, bytes - Buffer.byteLength(JSON.stringify(body)));
      return { kind: 'json', body, headers };
    }
    const length = streamLengthOf(applied, splitIntoWordGroups(content, o.words_per_chunk));
    const shape = streamShapeOf(applied);
    const streamFields = {
      id,
      created,
      model: chatRequest.model,
      finishReason: length.cut ? ('length' as const) : finishReason,
      usage: chatRequest.includeUsage ? usage : null,
    };
    const bytes = bodySizeOf(applied);
    if (shape === undefined && applied?.mode.kind !== 'stream_length' && bytes === undefined) {
      // The plain stream (the hot path): no shaping.
      runtime.record(request, { cited_ids: cited, finish_reason: streamFields.finishReason });
      const sseBody = createChatStream({ ...streamFields, contentChunks: length.chunks, chunkDelayMs: o.chunk_delay_ms });
      return new HttpResponse(sseBody, { headers: { ...headers, ...SSE_HEADERS } });
    }
    const build = (contentChunks: string[]) => chatSseSequence({ ...streamFields, contentChunks });
    const grown = bytes === undefined ? { sequence: build(length.chunks), chunks: length.chunks } : growStream(length.chunks, bytes, build);
    runtime.record(request, {
      cited_ids: sentCitations(grown.chunks, grown.sequence, shape),
      ...(sendsFinish(shape) ? { finish_reason: streamFields.finishReason } : {}),
    });
    return new HttpResponse(createShapedStream(grown.sequence, shape, o.chunk_delay_ms), { headers: { ...headers, ...SSE_HEADERS } });
  }

  const chat = http.post(at('/v1/chat/completions'), async ({ request }) => {
    const answer = await chatCompletion(request, await readJsonObject(request));
    return answer instanceof Response ? answer : HttpResponse.json(answer.body, { headers: answer.headers });
  });

  const chatDirect: DirectRoute = {
    method: 'POST',
    path: at('/v1/chat/completions'),
    claim(text) {
      const body = parseJsonObject(text);
      // Streams too (issue 14): a short stream (chunk_delay_ms 0) costs what a plain answer does, and msw's
      // request clone and handler run were a large share of it. The SSE body is the same Response either way.
      return (request) => chatCompletion(request, body);
    },
  };

  const responses = http.post(at('/v1/responses'), async ({ request }) => {
    const prepared = await prepareAnswer(request, await readJsonObject(request), parseResponsesRequest, responsesToolOffer);
    if (prepared instanceof Response) return prepared;
    const { parsed, applied, words, content, truncated, toolCall, quotaHeaders } = prepared;
    sequence++;
    const id = `resp_${hashString(`${runtime.name}:${sequence}:${parsed.allText}`).toString(16).padStart(8, '0')}${sequence.toString(16)}`;
    const length = streamLengthOf(applied, splitIntoWordGroups(content, o.words_per_chunk));
    const answer = {
      id,
      createdAt: Math.floor(Date.now() / 1000),
      model: parsed.model,
      contentChunks: length.chunks,
      truncated: truncated || length.cut,
      inputTokens: countTokens(parsed.allText),
      outputTokens: words.length,
    };
    const headers = { 'x-request-id': `req_${id.slice(5)}`, 'openai-processing-ms': String(o.latency_ms), ...quotaHeaders };
    if (toolCall) {
      const { call } = toolCall;
      const toolAnswer = { ...answer, contentChunks: [], truncated: call.truncated, outputTokens: countTokens(call.arguments) };
      const fcId = callId('call_', call, sequence);
      if (!parsed.stream || sendsFinish(streamShapeOf(applied)))
        runtime.record(request, { finish_reason: call.truncated ? 'length' : 'tool_calls' });
      if (!parsed.stream) return HttpResponse.json(responsesToolObject(toolAnswer, call, fcId, 'done'), { headers });
      const toolEvents = responsesToolSequence(toolAnswer, call, fcId);
      return new HttpResponse(createShapedStream(toolEvents, streamShapeOf(applied), o.chunk_delay_ms), {
        headers: { ...headers, ...SSE_HEADERS },
      });
    }
    const bytes = bodySizeOf(applied);
    if (!parsed.stream) {
      runtime.record(request, { cited_ids: citedIds(content), finish_reason: answer.truncated ? 'length' : 'stop' });
      let body = responseObject(answer, 'done');
      if (bytes !== undefined) {
        const padded = padText(content, bytes - Buffer.byteLength(JSON.stringify(body)));
        body = responseObject({ ...answer, contentChunks: [padded] }, 'done');
      }
      return HttpResponse.json(body, { headers });
    }
    const shape = streamShapeOf(applied);
    const build = (contentChunks: string[]) => responsesSseSequence({ ...answer, contentChunks });
    const grown =
      bytes === undefined
        ? { sequence: build(answer.contentChunks), chunks: answer.contentChunks }
        : growStream(answer.contentChunks, bytes, build);
    runtime.record(request, {
      cited_ids: sentCitations(grown.chunks, grown.sequence, shape),
      ...(sendsFinish(shape) ? { finish_reason: answer.truncated ? 'length' : 'stop' } : {}),
    });
    return new HttpResponse(createShapedStream(grown.sequence, shape, o.chunk_delay_ms), { headers: { ...headers, ...SSE_HEADERS } });
  });

  const embeddings = http.post(at('/v1/embeddings'), async ({ request }) => {
    const body = await readJsonObject(request);
    // The body lets `when: { oncePerRequest }` tell one SUT request's retries from another's (no trace id forwarded).
    const replaced = replacedResponse(
      runtime.roll(request, {
        stream: false,
        accepts: RESPONSE_MODES,
        body: body instanceof Response ? undefined : () => JSON.stringify(body),
      }),
    );
    if (replaced) return replaced;
    if (body instanceof Response) return body;
    const input = body.input;
    const inputs = typeof input === 'string' ? [input] : Array.isArray(input) ? input : null;
    if (inputs === null || inputs.length === 0) {
      return invalidParamError('input', "Invalid 'input': expected a string or a non-empty array of strings.");
    }
    const texts: string[] = [];
    for (const item of inputs) {
      if (typeof item === 'string') texts.push(item);
      else if (Array.isArray(item) && item.every((t) => Number.isInteger(t))) texts.push(item.join(' '));
      else return invalidParamError('input', "Invalid 'input': expected strings or arrays of token ids.");
    }
    if (typeof body.model !== 'string' || body.model.length === 0) {
      return providerError({
        status: 400,
        message: 'you must provide a model parameter',
        param: 'model',
        code: 'missing_required_parameter',
      });
    }
    const format = body.encoding_format ?? 'float';
    if (format !== 'float' && format !== 'base64') {
      return invalidParamError('encoding_format', "Invalid 'encoding_format': expected 'float' or 'base64'.");
    }
    const tokens = texts.reduce((sum, t) => sum + countTokens(t), 0);
    const admission = quotas.admit(request, body.model, tokens);
    if (admission instanceof Response) return admission;
    await pause(o.latency_ms, request.signal);
    return HttpResponse.json(
      {
        object: 'list',
        data: texts.map((text, index) => {
          const vector = embedText(text, o.embedding_dim);
          return { object: 'embedding', index, embedding: format === 'base64' ? vectorToBase64(vector) : vector };
        }),
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      },
      { headers: admission.headers() },
    );
  });

  const modelObject = (id: string) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'shakedown' });
  const list = http.get(at('/v1/models'), ({ request }) => {
    const replaced = replacedResponse(runtime.roll(request, { stream: false, accepts: RESPONSE_MODES }));
    if (replaced) return replaced;
    return HttpResponse.json({ object: 'list', data: o.models.map(modelObject) });
  });
  const one = http.get(at('/v1/models/:id'), ({ request, params }) => {
    const replaced = replacedResponse(runtime.roll(request, { stream: false, accepts: RESPONSE_MODES }));
    if (replaced) return replaced;
    const id = String(params.id);
    if (!o.models.includes(id)) {
      return providerError({ status: 404, message: `The model '${id}' does not exist`, param: 'model', code: 'model_not_found' });
    }
    return HttpResponse.json(modelObject(id));
  });

  // Under a baseUrl the handlers match absolute URLs only (msw setupServer); a port serves relative paths. The direct
  // route skips msw, so it would skip the front handler too: with one, chat completions go through msw.
  const messages = anthropicMessagesHandler(o, resolved, quotas);
  return {
    handlers: [...front, chat, responses, messages, embeddings, list, one],
    direct: chatDirect.path.startsWith('/') && front.length === 0 ? [chatDirect] : [],
  };
}
