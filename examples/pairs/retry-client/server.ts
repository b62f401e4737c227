/**
 * A ticket router: `POST /route {"ticket": "..."}` → `200 {"queue": "billing" | "shipping" | "other"}`, a
 * classification by chat completion through the official `openai` SDK with the SDK's retries off and a retry
 * loop of its own. The careful/careless pair of one classic bug: retries that ignore `retry-after`.
 *
 *   GET  /health → 200 {"ok": true}
 *   POST /route → 200 {"queue"}; 503 (with `retry-after`) when the model still rate-limits after the retry
 *        budget; 400 without a string `ticket`; 502 on another model failure.
 *
 * Environment:
 *   LLM_URL       (required) the model API's base URL, e.g. http://127.0.0.1:4000/v1
 *   RETRY_POLICY  honor   honor: on 429, wait what `retry-after-ms`, `retry-after` or the message's "try again in"
 *                         asks (1 s when none), at most 3 retries and
 *                         6 s of waiting in all (a longer wait answers 503 at once); ignore (careless): retry at
 *                         once, up to 10 times
 *   PORT          0       0 = any free port; HOST 127.0.0.1
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';

const baseURL = process.env.LLM_URL;
if (!baseURL) throw new Error('retry-client: set LLM_URL to the model API base URL (e.g. http://127.0.0.1:4000/v1)');
const policy = process.env.RETRY_POLICY ?? 'honor';
if (policy !== 'honor' && policy !== 'ignore') throw new Error(`retry-client: RETRY_POLICY must be honor or ignore, got '${policy}'`);
const MAX_RETRIES = policy === 'honor' ? 3 : 10;
const WAIT_BUDGET_MS = 6000;

const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0, timeout: 5000 });

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
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

/**
 * Milliseconds a 429 asks to wait: `retry-after-ms`, else `retry-after` (seconds or an HTTP date), else the
 * message's "try again in 1.5s" / "250ms" (some providers put the hint only there); 1 s when none is readable.
 */
function retryAfterMs(error: InstanceType<typeof OpenAI.APIError>): number {
  const ms = Number(error.headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = error.headers?.get('retry-after');
  if (value) {
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  const hint = /try again in (\d+(?:\.\d+)?)(ms|s)\b/i.exec(error.message);
  if (hint) return Number(hint[1]) * (hint[2].toLowerCase() === 'ms' ? 1 : 1000);
  return 1000;
}

async function route(req: IncomingMessage, res: ServerResponse) {
  const body = await readJson(req);
  if (typeof body?.ticket !== 'string') return send(res, 400, { error: 'body must be JSON with a string "ticket"' });
  let waitedMs = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Route the support ticket. Answer with one of: billing, shipping, other' },
          { role: 'user', content: body.ticket },
        ],
      });
      return send(res, 200, { queue: completion.choices[0]?.message.content?.trim() ?? '' });
    } catch (error) {
      if (!(error instanceof OpenAI.RateLimitError)) return send(res, 502, { error: `the model call failed: ${(error as Error).message}` });
      const waitMs = policy === 'honor' ? retryAfterMs(error) : 0;
      if (attempt >= MAX_RETRIES || waitedMs + waitMs > WAIT_BUDGET_MS) {
        return send(
          res,
          503,
          { error: `the model is rate-limiting (${attempt + 1} calls)` },
          { 'retry-after': String(Math.ceil(waitMs / 1000) || 1) },
        );
      }
      waitedMs += waitMs;
      if (waitMs > 0) await sleep(waitMs);
    }
  }
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, { ok: true });
  if (req.method === 'POST' && req.url === '/route') return void route(req, res);
  send(res, 404, { error: `no route ${req.method} ${req.url}` });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(`retry-client listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : '?'}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
