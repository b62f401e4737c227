/**
 * rag-service: Shakedown's reference system under test, a small RAG HTTP service (node:http, no framework).
 *
 *   GET  /health → 200 {"ok": true}
 *   POST /ask {"question": string, "stream"?: boolean}
 *        → 200 {"answer", "citations": [ids], "sources": [ids], "fallback": boolean, "cached": boolean}
 *        → stream: true: SSE `data: {"delta": "..."}` ... then `data: {"done": true, "citations", "sources",
 *          "fallback", "cached"}`; a failure after the first delta ends the stream with `data: {"error": {...}}`
 *        → errors: {"error": {"message", "dependency": "model" | "retrieval" | "inventory" | null}} with
 *          400/413 (bad request), 502 (dependency answered something unusable), 503 (dependency unreachable,
 *          429 or 5xx after retries), 504 (dependency timed out or its stream stalled)
 *
 * Flow: retrieval `POST $RETRIEVAL_URL/search {query, k: 4}` and, when the question asks for live data,
 * inventory `GET $INVENTORY_URL/v1/products?q=<question>`, in parallel; then the model (openai SDK) with the
 * user message `[doc-001] text` lines, `[SKU-1001] name price 129.00 USD, stock 42` lines, `Question: ...`.
 * `traceparent`, `tracestate` and `x-shakedown-sample-id` are forwarded to every downstream call; a client that
 * disconnects aborts its downstream calls.
 *
 * Environment (defaults make a careful service):
 *
 *   OPENAI_BASE_URL         model base URL, e.g. http://127.0.0.1:4010/v1 (SDK default when unset)
 *   OPENAI_API_KEY          default "shakedown"
 *   OPENAI_MODEL            model name sent, default "gpt-4o-mini"
 *   RETRIEVAL_URL           required, retrieval base URL
 *   INVENTORY_URL           required, inventory API base URL
 *   MODEL_TIMEOUT_MS        5000  overall budget of one model call, SDK retries included (streaming: until the
 *                                 first chunk); 0 = no timeout
 *   MODEL_MAX_RETRIES       2     SDK retries on connection errors, 408, 409, 429, 5xx (honours retry-after and
 *                                 retry-after-ms up to 60 s, else exponential backoff from 0.5 s)
 *   MODEL_RETRY_AFTER       honor honor: the SDK's retries above | ignore: retry 429 and 5xx at once, with no
 *                                 wait and no backoff, MODEL_MAX_RETRIES times (the careless twin)
 *   RETRIEVAL_TIMEOUT_MS    2000  per attempt; 0 = no timeout
 *   RETRIEVAL_RETRIES       1     retries on timeouts, connection errors, 429, 5xx (backoff 100 ms, 200 ms, ...)
 *   INVENTORY_TIMEOUT_MS    1000  one attempt, no retry; 0 = no timeout
 *   INVENTORY_LOOKUP        auto  auto: only when the question names a SKU or asks about price, cost, stock or
 *                                 availability (see LIVE_DATA_PATTERN) | always | never
 *   FALLBACK_MODE           error error: answer 502/503/504 {error} when a dependency fails |
 *                                 canned: 200 with a fixed text and fallback: true |
 *                                 silent: the same text with fallback: false (a careless twin) |
 *                                 empty: 200 with answer "" and fallback: false, the error swallowed (a careless twin)
 *   CACHE_TTL_MS            0     answers cached by normalized question for this long; 0 = no cache
 *   STREAM_IDLE_TIMEOUT_MS  3000  longest gap between model stream chunks before the stream counts as stalled
 *                                 (keep-alive comments are not progress); 0 = never detect a stall
 *   PORT                    0     0 = any free port; the bound port is printed
 *   HOST                    127.0.0.1
 *
 * Prints `rag-service listening on http://127.0.0.1:PORT` once listening; SIGTERM / SIGINT close the server
 * (in-flight requests get SHUTDOWN_GRACE_MS, then their downstream calls are aborted).
 */
import { createServer } from 'node:http';
import { ConfigError, readConfig } from './config.ts';
import { createRequestHandler } from './http-handler.ts';
import { createModelClient } from './model.ts';
import { createRagPipeline } from './rag-pipeline.ts';

/** How long in-flight requests may finish after SIGTERM / SIGINT. */
export const SHUTDOWN_GRACE_MS = 2000;

function main(): void {
  let config;
  try {
    config = readConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }

  const model = createModelClient({
    baseURL: config.openaiBaseUrl,
    apiKey: config.openaiApiKey,
    model: config.model,
    timeoutMs: config.modelTimeoutMs,
    maxRetries: config.modelMaxRetries,
    retryAfter: config.modelRetryAfter,
    streamIdleTimeoutMs: config.streamIdleTimeoutMs,
  });
  const shutdown = new AbortController();
  const handler = createRequestHandler(createRagPipeline(config, model), {
    fallbackMode: config.fallbackMode,
    shutdownSignal: shutdown.signal,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const server = createServer(handler);

  server.on('error', (error) => {
    process.stderr.write(`rag-service: cannot listen on ${config.host}:${config.port}: ${error.message}\n`);
    process.exitCode = 1;
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    process.stdout.write(`rag-service listening on http://${host}:${port}\n`);
  });

  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) {
      // A second signal: stop waiting for in-flight requests.
      shutdown.abort();
      server.closeAllConnections();
      return;
    }
    closing = true;
    process.stderr.write(`rag-service: ${signal} received, closing\n`);
    server.close(() => process.stderr.write('rag-service: closed\n'));
    server.closeIdleConnections();
    setTimeout(() => {
      shutdown.abort();
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
