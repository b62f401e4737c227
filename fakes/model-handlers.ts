/**
 * The `model` fake: an OpenAI-compatible chat, embeddings and models API answering deterministically.
 *
 * - `POST /v1/chat/completions`: extractive answer over the last user message (see `extractive-answerer.ts`),
 *   plain JSON or `stream: true` SSE; `max_tokens`/`max_completion_tokens` cut the answer (in words) with
 *   `finish_reason: "length"`. Modes: `http_error`, `error_body` (any request), `stream_stall`, `stream_cut`
 *   (streams only), `drop_facts`, `perturb_numbers`, `wrong_citations`, `truncate`, `refuse` (the answer's
 *   content, see `answer-faults.ts`). The log entry gets `cited_ids`: the ids the answer sent cites.
 * - `POST /v1/responses`: the same answer through the Responses API (plain JSON or SSE events, see
 *   `responses-api.ts`); the same modes.
 * - `POST /v1/embeddings`: hashed bag of words (`embedding_dim` floats), `encoding_format` `float` or `base64`.
 * - `GET /v1/models`, `GET /v1/models/:id`.
 * Token counts in `usage` are word counts. Over a port, chat completions (plain and streamed) skip msw (see `direct-route.ts`,
 * `createModelFake`) with the same answers.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { ANSWER_FAULT_KINDS, citedIds } from './answer-faults.ts';
import { type AnswerRequest, answerWords } from './answer-words.ts';
import { type ChatUsage, createChatStream, splitIntoWordGroups } from './chat-stream.ts';
import { parseChatRequest } from './chat-request.ts';
import type { DirectJson, DirectRequest, DirectRoute } from './direct-route.ts';
import { createResponsesStream, parseResponsesRequest, responseObject } from './responses-api.ts';
import { DEFAULT_EMBEDDING_DIM, embedText, vectorToBase64 } from './embeddings.ts';
import { type HandlerContext, pause, resolveHandlerContext } from './handler-context.ts';
import { type ModeKind, RESPONSE_MODES, STREAM_ONLY_MODES, type ModelFakeOptions, hashString } from '../contract/index.ts';
import type { AppliedMode } from './fake-runtime.ts';
import { replacedResponse } from './http-error-mode.ts';
import { invalidParamError, parseJsonObject, providerError, readJsonObject } from './provider-error.ts';
import { countTokens } from './text-analysis.ts';

export type ResolvedModelFakeOptions = Required<ModelFakeOptions>;

export const MODEL_FAKE_DEFAULTS: Readonly<ResolvedModelFakeOptions> = Object.freeze({
  latency_ms: 0,
  chunk_delay_ms: 5,
  words_per_chunk: 3,
  models: ['gpt-4o-mini', 'text-embedding-3-small'],
  embedding_dim: DEFAULT_EMBEDDING_DIM,
});

/** Mode kinds the answer endpoints (chat completions, responses) apply. */
const ANSWER_MODES: readonly ModeKind[] = [...RESPONSE_MODES, ...STREAM_ONLY_MODES, ...ANSWER_FAULT_KINDS];

/** The ids cited by the content the client gets: all chunks, or those sent before a stream fault. */
function sentCitations(contentChunks: string[], fault: { afterChunks: number } | undefined): string[] {
  return citedIds((fault ? contentChunks.slice(0, fault.afterChunks) : contentChunks).join(''));
}

/** The `stream_stall` / `stream_cut` fault a rolled mode asks for, if any. */
function streamFault(applied: AppliedMode | null) {
  const kind = applied?.mode.kind;
  if (applied === null || (kind !== 'stream_stall' && kind !== 'stream_cut')) return undefined;
  return {
    kind: kind === 'stream_stall' ? ('stall' as const) : ('cut' as const),
    afterChunks: (applied.mode as { after_chunks: number }).after_chunks,
  };
}

/** The model fake's msw handlers and the direct route that answers its chat completions over a port. */
export interface ModelFake {
  handlers: HttpHandler[];
  /**
   * For `serveHandlers({ direct })`: `POST /v1/chat/completions` (plain and `stream: true`), answered as the msw
   * handler answers it; empty when the handlers live under a `baseUrl` (they are not served on a port then).
   */
  direct: DirectRoute[];
}

/** Builds the model fake's msw handlers. */
export function modelHandlers(options: ModelFakeOptions = {}, context: HandlerContext = {}): HttpHandler[] {
  return createModelFake(options, context).handlers;
}

/** Builds the model fake: its msw handlers and its direct route, sharing one state (modes, log, id sequence). */
export function createModelFake(options: ModelFakeOptions = {}, context: HandlerContext = {}): ModelFake {
  const o: ResolvedModelFakeOptions = { ...MODEL_FAKE_DEFAULTS, ...options };
  const { runtime, at } = resolveHandlerContext('model', context);
  let sequence = 0;

  /**
   * What both answering endpoints do first with the body read (a JSON object, or the 400 to send): roll the modes
   * (an http_error or error_body answers even a malformed request), parse it with `parse`, wait the base latency,
   * and build the answer.
   */
  async function prepareAnswer<R extends AnswerRequest>(
    request: DirectRequest,
    body: Record<string, unknown> | Response,
    parse: (body: Record<string, unknown>) => R | Response,
  ) {
    const stream = !(body instanceof Response) && body.stream === true;
    const applied = runtime.roll(request, { stream, accepts: ANSWER_MODES });
    const parsed = body instanceof Response ? body : parse(body);
    // What the harness matches the call to its SUT request by, and the wait asked for: logged for errors too.
    if (!(parsed instanceof Response)) runtime.record(request, { user_text: parsed.lastUser });
    const replaced = replacedResponse(applied);
    if (replaced) {
      if (applied?.mode.kind === 'http_error' && applied.mode.retry_after_s !== undefined)
        runtime.record(request, { retry_after_ms: Math.round(applied.mode.retry_after_s * 1000) });
      return replaced;
    }
    if (parsed instanceof Response) return parsed;
    if (o.latency_ms > 0) await pause(o.latency_ms, request.signal);
    return { parsed, applied, ...answerWords(parsed, applied) };
  }

  /** A chat completion: the plain answer as JSON to send, or the `Response` to send (errors, streams). */
  async function chatCompletion(request: DirectRequest, body: Record<string, unknown> | Response): Promise<DirectJson | Response> {
    const prepared = await prepareAnswer(request, body, parseChatRequest);
    if (prepared instanceof Response) return prepared;
    const { parsed: chatRequest, applied, words, content, truncated, cited } = prepared;
    const finishReason = truncated ? 'length' : 'stop';
    const promptTokens = countTokens(chatRequest.allText);
    const usage: ChatUsage = {
      prompt_tokens: promptTokens,
      completion_tokens: words.length,
      total_tokens: promptTokens + words.length,
    };
    sequence++;
    const id = `chatcmpl-${hashString(`${runtime.name}:${sequence}:${chatRequest.allText}`).toString(16).padStart(8, '0')}${sequence.toString(16)}`;
    const created = Math.floor(Date.now() / 1000);
    const headers = { 'x-request-id': `req_${id.slice(9)}`, 'openai-processing-ms': String(o.latency_ms) };

    if (!chatRequest.stream) {
      runtime.record(request, { cited_ids: cited, finish_reason: finishReason });
      return {
        kind: 'json',
        body: {
          id,
          object: 'chat.completion',
          created,
          model: chatRequest.model,
          system_fingerprint: 'fp_shakedown',
          choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: finishReason }],
          usage,
        },
        headers,
      };
    }
    const fault = streamFault(applied);
    const contentChunks = splitIntoWordGroups(content, o.words_per_chunk);
    // A cut or stalled stream never sends its finish_reason.
    runtime.record(request, { cited_ids: sentCitations(contentChunks, fault), ...(fault ? {} : { finish_reason: finishReason }) });
    const sseBody = createChatStream({
      id,
      created,
      model: chatRequest.model,
      contentChunks,
      finishReason,
      usage: chatRequest.includeUsage ? usage : null,
      chunkDelayMs: o.chunk_delay_ms,
      fault,
    });
    return new HttpResponse(sseBody, {
      headers: { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
    });
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
    const prepared = await prepareAnswer(request, await readJsonObject(request), parseResponsesRequest);
    if (prepared instanceof Response) return prepared;
    const { parsed, applied, words, content, truncated } = prepared;
    sequence++;
    const id = `resp_${hashString(`${runtime.name}:${sequence}:${parsed.allText}`).toString(16).padStart(8, '0')}${sequence.toString(16)}`;
    const answer = {
      id,
      createdAt: Math.floor(Date.now() / 1000),
      model: parsed.model,
      contentChunks: splitIntoWordGroups(content, o.words_per_chunk),
      truncated,
      inputTokens: countTokens(parsed.allText),
      outputTokens: words.length,
    };
    const headers = { 'x-request-id': `req_${id.slice(5)}`, 'openai-processing-ms': String(o.latency_ms) };
    const fault = parsed.stream ? streamFault(applied) : undefined;
    runtime.record(request, {
      cited_ids: sentCitations(answer.contentChunks, fault),
      ...(fault ? {} : { finish_reason: truncated ? 'length' : 'stop' }),
    });
    if (!parsed.stream) return HttpResponse.json(responseObject(answer, 'done'), { headers });
    const sseBody = createResponsesStream(answer, { chunkDelayMs: o.chunk_delay_ms, fault });
    return new HttpResponse(sseBody, {
      headers: { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
    });
  });

  const embeddings = http.post(at('/v1/embeddings'), async ({ request }) => {
    const body = await readJsonObject(request);
    const replaced = replacedResponse(runtime.roll(request, { stream: false, accepts: RESPONSE_MODES }));
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
    await pause(o.latency_ms, request.signal);
    const tokens = texts.reduce((sum, t) => sum + countTokens(t), 0);
    return HttpResponse.json({
      object: 'list',
      data: texts.map((text, index) => {
        const vector = embedText(text, o.embedding_dim);
        return { object: 'embedding', index, embedding: format === 'base64' ? vectorToBase64(vector) : vector };
      }),
      model: body.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
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

  // Under a baseUrl the handlers match absolute URLs only (msw setupServer); a port serves relative paths.
  return { handlers: [chat, responses, embeddings, list, one], direct: chatDirect.path.startsWith('/') ? [chatDirect] : [] };
}
