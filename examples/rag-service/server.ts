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
import module from 'node:module';

// Node's on-disk compile cache (os.tmpdir()/node-compile-cache): from the second start on, the openai SDK and
// this service are not compiled again (CPU from start to listening: median 611 → 476 ms, 5 starts each,
// alternated, 2-core machine). Enabled before the service's modules are imported, hence the dynamic import.
// https://nodejs.org/api/module.html#moduleenablecompilecachedirectory
module.enableCompileCache?.();
const { main } = await import('./service.ts');
main();
