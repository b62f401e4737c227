/**
 * A ticket classifier: `POST /classify {"ticket": "..."}` → `200 {"label": "billing" | "shipping" | "other",
 * "fallback": boolean}`, one chat completion through the official `openai` SDK with a JSON schema response format.
 * The careful/careless pair of one classic bug: a fallback to a default label that does not say it is one.
 *
 *   GET  /health → 200 {"ok": true}
 *   POST /classify → 200 {"label", "fallback": false} from the model; when the model call fails, 200
 *        {"label": "other", "fallback": true, "reason"} (careful) or 200 {"label": "other", "fallback": false}
 *        (careless); 400 without a string `ticket`.
 *
 * Environment:
 *   LLM_URL        (required) the model API's base URL, e.g. http://127.0.0.1:4000/v1
 *   FALLBACK_MODE  labelled  labelled: the default label is marked `fallback: true`; silent (careless): it is not
 *   PORT           0         0 = any free port; HOST 127.0.0.1
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import OpenAI from 'openai';

const baseURL = process.env.LLM_URL;
if (!baseURL) throw new Error('classifier: set LLM_URL to the model API base URL (e.g. http://127.0.0.1:4000/v1)');
const fallbackMode = process.env.FALLBACK_MODE ?? 'labelled';
if (fallbackMode !== 'labelled' && fallbackMode !== 'silent')
  throw new Error(`classifier: FALLBACK_MODE must be labelled or silent, got '${fallbackMode}'`);
const LABELS = ['billing', 'shipping', 'other'] as const;
const DEFAULT_LABEL = 'other';

const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0, timeout: 2000 });

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

/** The model's label for a ticket; throws when the call fails or the answer is not one of LABELS. */
async function modelLabel(ticket: string): Promise<string> {
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: `Classify the support ticket as one of: ${LABELS.join(', ')}` },
      { role: 'user', content: ticket },
    ],
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: 'ticket_label',
        strict: true,
        schema: {
          type: 'object',
          required: ['label'],
          properties: { label: { type: 'string', enum: [...LABELS] } },
          additionalProperties: false,
        },
      },
    },
  });
  const label = (JSON.parse(completion.choices[0]?.message.content ?? '{}') as { label?: unknown }).label;
  if (typeof label !== 'string' || !(LABELS as readonly string[]).includes(label))
    throw new Error(`the model answered no known label (${String(label)})`);
  return label;
}

async function classify(req: IncomingMessage, res: ServerResponse) {
  const body = await readJson(req);
  if (typeof body?.ticket !== 'string') return send(res, 400, { error: 'body must be JSON with a string "ticket"' });
  try {
    send(res, 200, { label: await modelLabel(body.ticket), fallback: false });
  } catch (error) {
    if (fallbackMode === 'silent') return send(res, 200, { label: DEFAULT_LABEL, fallback: false });
    send(res, 200, { label: DEFAULT_LABEL, fallback: true, reason: `the model call failed: ${(error as Error).message}` });
  }
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, { ok: true });
  if (req.method === 'POST' && req.url === '/classify') return void classify(req, res);
  send(res, 404, { error: `no route ${req.method} ${req.url}` });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(`classifier listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : '?'}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
