/**
 * A support-ticket triage service, the non-RAG example: `POST /triage {"ticket_id": "T-1001"}` →
 * `200 {"ticket_id", "label", "summary", "routed_to_human"}`. It reads the ticket from a ticket store (a dependency
 * of its own, played by a `custom` fake from tickets-api.ts) and asks the model (OpenAI-compatible, official
 * `openai` SDK) for a label and a summary.
 *
 *   GET  /health → 200 {"ok": true}
 *   POST /triage → 200 the triage (careful: `label: "needs_human"`, `routed_to_human: true` when a dependency
 *        failed); 502 {"error"} when a dependency failed (careless); 400 without a string `ticket_id`.
 *
 * Environment:
 *   LLM_URL          (required) the model API's base URL, e.g. http://127.0.0.1:4000/v1
 *   TICKETS_URL      (required) the ticket store's base URL
 *   OPENAI_API_KEY   sk-triage  sent as the bearer token (the model's quotas are per key)
 *   TRIAGE_POLICY    careful    careful | careless (triage.ts says what each does)
 *   MAX_WAIT_MS      1000       longest model retry-after the careful policy waits
 *   PORT             0          0 = any free port; HOST 127.0.0.1
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import OpenAI from 'openai';
import { DependencyError, triage, type TriagePolicy } from './triage.ts';

const baseURL = process.env.LLM_URL;
const ticketsUrl = process.env.TICKETS_URL;
if (!baseURL || !ticketsUrl) throw new Error('ticket-triage: set LLM_URL (the model API, e.g. http://127.0.0.1:4000/v1) and TICKETS_URL');
const policy = (process.env.TRIAGE_POLICY ?? 'careful') as TriagePolicy;
if (policy !== 'careful' && policy !== 'careless')
  throw new Error(`ticket-triage: TRIAGE_POLICY must be careful or careless, got '${String(policy)}'`);
const maxWaitMs = Number(process.env.MAX_WAIT_MS ?? '1000');
if (!Number.isInteger(maxWaitMs) || maxWaitMs < 0)
  throw new Error(`ticket-triage: MAX_WAIT_MS must be an integer >= 0, got '${process.env.MAX_WAIT_MS}'`);

// careful retries by itself (triage.ts); careless keeps the SDK's defaults (2 retries, its own backoff).
const model = new OpenAI({
  baseURL,
  apiKey: process.env.OPENAI_API_KEY ?? 'sk-triage',
  timeout: 2000,
  ...(policy === 'careful' ? { maxRetries: 0 } : {}),
});

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

async function handleTriage(req: IncomingMessage, res: ServerResponse) {
  const body = await readJson(req);
  if (typeof body?.ticket_id !== 'string') return send(res, 400, { error: 'body must be JSON with a string "ticket_id"' });
  try {
    send(res, 200, await triage(body.ticket_id, { policy, ticketsUrl: ticketsUrl!, model, maxWaitMs }));
  } catch (error) {
    send(res, error instanceof DependencyError ? error.status : 500, { error: (error as Error).message });
  }
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, { ok: true });
  if (req.method === 'POST' && req.url === '/triage') return void handleTriage(req, res);
  send(res, 404, { error: `no route ${req.method} ${req.url}` });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(`ticket-triage listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : '?'}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
