/**
 * A summarizer: `POST /summarize {"text": "..."}` → `200 {"summary": "..."}`, one chat completion through the
 * official `openai` SDK. The careful/careless pair of one classic bug: no timeout on the model call.
 *
 *   GET  /health → 200 {"ok": true}
 *   POST /summarize → 200 {"summary"}; 400 without a string `text`; 504 when the model did not answer within
 *        LLM_TIMEOUT_MS; 502 on any other model failure.
 *
 * Environment:
 *   LLM_URL         (required) the model API's base URL, e.g. http://127.0.0.1:4000/v1
 *   LLM_TIMEOUT_MS  2000   budget of one model call; 0 = none (careless: the SDK's 10 min default, so a hung
 *                          model hangs every request)
 *   PORT            0      0 = any free port; HOST 127.0.0.1
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import OpenAI from 'openai';

const baseURL = process.env.LLM_URL;
if (!baseURL) throw new Error('summarizer: set LLM_URL to the model API base URL (e.g. http://127.0.0.1:4000/v1)');
const timeoutMs = Number(process.env.LLM_TIMEOUT_MS ?? '2000');
if (!Number.isInteger(timeoutMs) || timeoutMs < 0)
  throw new Error(`summarizer: LLM_TIMEOUT_MS must be an integer >= 0, got '${process.env.LLM_TIMEOUT_MS}'`);

const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0, ...(timeoutMs > 0 ? { timeout: timeoutMs } : {}) });

function send(res: ServerResponse, status: number, body: unknown) {
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

async function summarize(req: IncomingMessage, res: ServerResponse) {
  const body = await readJson(req);
  if (typeof body?.text !== 'string') return send(res, 400, { error: 'body must be JSON with a string "text"' });
  try {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You write faithful, short summaries.' },
        { role: 'user', content: `Summarize the following text in 2 sentences:\n${body.text}` },
      ],
    });
    send(res, 200, { summary: completion.choices[0]?.message.content ?? '' });
  } catch (error) {
    if (error instanceof OpenAI.APIConnectionTimeoutError)
      return send(res, 504, { error: `the model did not answer within ${timeoutMs} ms` });
    send(res, 502, { error: `the model call failed: ${(error as Error).message}` });
  }
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, { ok: true });
  if (req.method === 'POST' && req.url === '/summarize') return void summarize(req, res);
  send(res, 404, { error: `no route ${req.method} ${req.url}` });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(`summarizer listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : '?'}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
