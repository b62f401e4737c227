/**
 * A streaming chat relay: `POST /chat {"message": "..."}` → `text/event-stream` to its client, relaying a
 * streamed chat completion read through the official `openai` SDK. The careful/careless pair of one classic bug:
 * a model stream that ends early passed on as complete.
 *
 *   GET  /health → 200 {"ok": true}
 *   POST /chat → 200 SSE: `data: {"delta": "..."}` per model chunk, then `data: {"done": true}`; when the model
 *        stream fails or ends without a `finish_reason`, the careful relay sends `event: error` with
 *        `data: {"error": "..."}` instead of `done`; 400 without a string `message`.
 *
 * Environment:
 *   LLM_URL              (required) the model API's base URL, e.g. http://127.0.0.1:4000/v1
 *   CHECK_STREAM_END     on   on: a stream without finish_reason (cut) or that failed is an error event;
 *                             off (careless): whatever arrived is closed with `done: true`
 *   LLM_TIMEOUT_MS       5000 budget of one model call until its stream starts (SDK timeout)
 *   STREAM_IDLE_MS       2000 longest wait for the model stream's next chunk, then the stream is abandoned as stalled
 *                             (an error event, or with CHECK_STREAM_END=off `done`); SSE comments (`: ping`) are
 *                             not chunks, so keep-alives do not reset it; 0 (careless): wait as long as it takes
 *   PORT                 0    0 = any free port; HOST 127.0.0.1
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import OpenAI from 'openai';

const baseURL = process.env.LLM_URL;
if (!baseURL) throw new Error('stream-relay: set LLM_URL to the model API base URL (e.g. http://127.0.0.1:4000/v1)');
const checkEnd = process.env.CHECK_STREAM_END ?? 'on';
if (checkEnd !== 'on' && checkEnd !== 'off') throw new Error(`stream-relay: CHECK_STREAM_END must be on or off, got '${checkEnd}'`);
const idleMs = Number(process.env.STREAM_IDLE_MS ?? '2000');
if (!Number.isInteger(idleMs) || idleMs < 0)
  throw new Error(`stream-relay: STREAM_IDLE_MS must be an integer >= 0, got '${process.env.STREAM_IDLE_MS}'`);
const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0, timeout: Number(process.env.LLM_TIMEOUT_MS ?? '5000') });

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null; // not JSON: the caller answers 400
  }
}

async function chat(req: IncomingMessage, res: ServerResponse) {
  const body = await readJson(req);
  if (typeof body?.message !== 'string') return sendJson(res, 400, { error: 'body must be JSON with a string "message"' });
  const event = (data: unknown, name?: string) => res.write(`${name ? `event: ${name}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
  let finishReason: string | null = null;
  let failure: string | null = null;
  let stalled = false;
  try {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [
        { role: 'system', content: 'You answer in a few plain sentences.' },
        { role: 'user', content: body.message },
      ],
    });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    // The idle timer restarts on every chunk the SDK yields (SSE comments never reach here).
    let idle: NodeJS.Timeout | undefined;
    const watch = () => {
      clearTimeout(idle);
      if (idleMs > 0)
        idle = setTimeout(() => {
          stalled = true;
          stream.controller.abort();
        }, idleMs);
    };
    watch();
    try {
      for await (const chunk of stream) {
        watch();
        const choice = chunk.choices[0];
        if (choice?.delta.content) event({ delta: choice.delta.content });
        if (choice?.finish_reason) finishReason = choice.finish_reason;
      }
    } finally {
      clearTimeout(idle);
    }
  } catch (error) {
    failure = `the model stream failed: ${(error as Error).message}`;
  }
  if (stalled) failure = `the model stream stalled: no chunk for ${idleMs} ms`;
  if (!res.headersSent) return sendJson(res, 502, { error: failure });
  if (checkEnd === 'on' && failure === null && finishReason === null)
    failure = 'the model stream ended without a finish_reason (cut short)';
  if (checkEnd === 'on' && failure !== null) event({ error: failure }, 'error');
  else event({ done: true });
  res.end();
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return sendJson(res, 200, { ok: true });
  if (req.method === 'POST' && req.url === '/chat') return void chat(req, res);
  sendJson(res, 404, { error: `no route ${req.method} ${req.url}` });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(`stream-relay listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : '?'}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
