/**
 * The model client: the official openai SDK, plain and streaming, with an overall deadline (MODEL_TIMEOUT_MS,
 * retries included), SDK retries (MODEL_MAX_RETRIES; the SDK honours retry-after / retry-after-ms; with
 * MODEL_RETRY_AFTER=ignore a careless loop retries at once instead), a stall detector between stream chunks
 * (STREAM_IDLE_TIMEOUT_MS) and every failure typed as DependencyError.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ModelRetryAfterPolicy } from './config.ts';
import type { CallContext } from './downstream.ts';
import { DependencyError, RequestAbortedError, describeError } from './errors.ts';

export const SYSTEM_PROMPT =
  'Answer the question using only the context lines. After each sentence, cite the id of the line it came ' +
  'from in square brackets, for example [doc-001]. If the context does not hold the answer, say so.';

/** Largest delay setTimeout accepts; stands for "no timeout" (MODEL_TIMEOUT_MS=0). */
const NO_TIMEOUT_MS = 2_147_483_647;

export interface ModelOptions {
  baseURL: string | undefined;
  apiKey: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  /** `honor`: the SDK's retries (retry-after, else backoff); `ignore`: retryImmediately (the careless twin). */
  retryAfter: ModelRetryAfterPolicy;
  streamIdleTimeoutMs: number;
}

export interface StreamResult {
  text: string;
  finishReason: string;
}

export interface ModelClient {
  /** One chat completion; resolves to the answer text. */
  complete(userMessage: string, ctx: CallContext): Promise<string>;
  /** A streamed chat completion; `onDelta` is called for each non-empty content delta, in order. */
  stream(userMessage: string, ctx: CallContext, onDelta: (delta: string) => void): Promise<StreamResult>;
}

/** An AbortController that fires after `ms` (never when ms is 0), remembering that it did. */
function createTimer(ms: number) {
  const controller = new AbortController();
  let handle: ReturnType<typeof setTimeout> | undefined;
  const timer = {
    fired: false,
    signal: controller.signal,
    start() {
      timer.clear();
      if (ms > 0) {
        handle = setTimeout(() => {
          timer.fired = true;
          controller.abort();
        }, ms);
      }
    },
    clear() {
      if (handle !== undefined) clearTimeout(handle);
      handle = undefined;
    },
  };
  return timer;
}

/**
 * The careless twin's retry loop (MODEL_RETRY_AFTER=ignore): a fetch that sends the same request again at once,
 * up to `retries` times, while the model answers 429 or 5xx, with no regard for `retry-after` and no backoff. The
 * SDK, given maxRetries 0, then sees only the last answer.
 */
export function retryImmediately(retries: number, fetchImpl: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      const response = await fetchImpl(input, init);
      if (attempt >= retries || (response.status !== 429 && response.status < 500)) return response;
      await response.body?.cancel();
    }
  };
}

export function createModelClient(options: ModelOptions): ModelClient {
  const careless = options.retryAfter === 'ignore';
  const client = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey,
    maxRetries: careless ? 0 : options.maxRetries,
    ...(careless ? { fetch: retryImmediately(options.maxRetries) } : {}),
    timeout: options.timeoutMs > 0 ? options.timeoutMs : NO_TIMEOUT_MS,
  });
  const messages = (userMessage: string) => [
    { role: 'system' as const, content: SYSTEM_PROMPT },
    { role: 'user' as const, content: userMessage },
  ];

  /** Maps whatever the SDK threw to RequestAbortedError or DependencyError. */
  const classify = (error: unknown, ctx: CallContext, deadlineFired: boolean): Error => {
    if (ctx.signal.aborted) return new RequestAbortedError();
    if (error instanceof DependencyError) return error;
    if (deadlineFired || error instanceof APIConnectionTimeoutError) {
      return new DependencyError('model', 'timeout', `model did not answer within ${options.timeoutMs} ms`);
    }
    if (error instanceof APIConnectionError) {
      return new DependencyError('model', 'unavailable', `model is unreachable: ${describeError(error)}`, { cause: error });
    }
    if (error instanceof APIError) {
      const status = error.status;
      const failure =
        status === undefined || status === 408 || status === 409 || status === 429 || status >= 500
          ? 'unavailable' // undefined: an error event inside a stream
          : 'bad_response';
      return new DependencyError('model', failure, `model answered an error: ${describeError(error)}`, { cause: error });
    }
    return new DependencyError('model', 'bad_response', `model answer could not be read: ${describeError(error)}`, {
      cause: error,
    });
  };

  return {
    async complete(userMessage, ctx) {
      const deadline = createTimer(options.timeoutMs);
      deadline.start();
      try {
        const completion = await client.chat.completions.create(
          { model: options.model, messages: messages(userMessage), temperature: 0 },
          { signal: AbortSignal.any([ctx.signal, deadline.signal]), headers: ctx.headers },
        );
        const content = completion.choices?.[0]?.message?.content;
        if (typeof content !== 'string') {
          throw new DependencyError('model', 'bad_response', 'model answered without choices[0].message.content');
        }
        return content;
      } catch (error) {
        throw classify(error, ctx, deadline.fired);
      } finally {
        deadline.clear();
      }
    },

    async stream(userMessage, ctx, onDelta) {
      // MODEL_TIMEOUT_MS bounds the wait for the first chunk; STREAM_IDLE_TIMEOUT_MS every gap after the
      // response headers (keep-alive comments do not count as progress: the SDK skips them).
      const deadline = createTimer(options.timeoutMs);
      const idle = createTimer(options.streamIdleTimeoutMs);
      deadline.start();
      let text = '';
      let finishReason: string | null = null;
      try {
        const stream = await client.chat.completions.create(
          { model: options.model, messages: messages(userMessage), temperature: 0, stream: true },
          { signal: AbortSignal.any([ctx.signal, deadline.signal, idle.signal]), headers: ctx.headers },
        );
        idle.start();
        // The SDK ends the iteration quietly when the signal aborts; the timers' flags tell why it ended.
        for await (const chunk of stream) {
          deadline.clear();
          idle.start();
          const choice = chunk.choices?.[0];
          const delta = choice?.delta?.content;
          if (typeof delta === 'string' && delta.length > 0) {
            text += delta;
            onDelta(delta);
          }
          if (choice?.finish_reason) finishReason = choice.finish_reason;
        }
      } catch (error) {
        if (idle.fired && !ctx.signal.aborted) {
          throw new DependencyError('model', 'timeout', `model stream stalled: no chunk for ${options.streamIdleTimeoutMs} ms`);
        }
        throw classify(error, ctx, deadline.fired);
      } finally {
        deadline.clear();
        idle.clear();
      }
      if (ctx.signal.aborted) throw new RequestAbortedError();
      if (idle.fired) {
        throw new DependencyError('model', 'timeout', `model stream stalled: no chunk for ${options.streamIdleTimeoutMs} ms`);
      }
      if (deadline.fired) {
        throw new DependencyError('model', 'timeout', `model did not start streaming within ${options.timeoutMs} ms`);
      }
      if (finishReason === null) {
        throw new DependencyError('model', 'bad_response', 'model stream ended without a finish_reason');
      }
      return { text, finishReason };
    },
  };
}
