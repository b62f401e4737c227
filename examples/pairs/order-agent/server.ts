/**
 * An order agent: `POST /ask {"question": "..."}` → `200 {"answer": "..."}`, a two-step tool loop through the
 * official `openai` SDK: the model is offered a `get_product` tool, the agent calls the product API with the
 * arguments the model chose, then asks the model again with the tool's result. The careful/careless pair of one
 * classic agent bug: no timeout on the tool call (the model calls have one; the tool is "just an internal API").
 *
 *   GET  /health → 200 {"ok": true}
 *   POST /ask → 200 {"answer"}; 400 without a string `question`; 504 when the tool did not answer within
 *        TOOL_TIMEOUT_MS (or the model within 5 s); 502 on any other model or tool failure.
 *
 * Environment:
 *   LLM_URL          (required) the model API's base URL, e.g. http://127.0.0.1:4000/v1
 *   PRODUCTS_URL     (required) the product API's base URL: GET <PRODUCTS_URL>/v1/products/:sku
 *   TOOL_TIMEOUT_MS  1500   budget of one tool call; 0 = none (careless: a hung product API hangs every request)
 *   PORT             0      0 = any free port; HOST 127.0.0.1
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import OpenAI from 'openai';

const baseURL = process.env.LLM_URL;
const productsUrl = process.env.PRODUCTS_URL;
if (!baseURL || !productsUrl) throw new Error('order-agent: set LLM_URL (the model API base URL) and PRODUCTS_URL (the product API)');
const toolTimeoutMs = Number(process.env.TOOL_TIMEOUT_MS ?? '1500');
if (!Number.isInteger(toolTimeoutMs) || toolTimeoutMs < 0)
  throw new Error(`order-agent: TOOL_TIMEOUT_MS must be an integer >= 0, got '${process.env.TOOL_TIMEOUT_MS}'`);

const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0, timeout: 5000 });
const tools: OpenAI.Chat.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_product',
      description: 'Look up a product price and stock by its SKU',
      parameters: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] },
    },
  },
];

class ToolTimeout extends Error {}

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

/** The product API's answer for one SKU, as the text the model reads. */
async function getProduct(sku: string): Promise<string> {
  const signal = toolTimeoutMs > 0 ? AbortSignal.timeout(toolTimeoutMs) : undefined;
  try {
    const response = await fetch(`${productsUrl}/v1/products/${encodeURIComponent(sku)}`, { signal });
    return await response.text();
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new ToolTimeout(`the product API did not answer within ${toolTimeoutMs} ms`);
    throw error;
  }
}

async function ask(req: IncomingMessage, res: ServerResponse) {
  const body = await readJson(req);
  if (typeof body?.question !== 'string') return send(res, 400, { error: 'body must be JSON with a string "question"' });
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
    { role: 'system', content: 'You answer questions about orders. Use the tools to look products up.' },
    { role: 'user', content: body.question },
  ];
  try {
    const plan = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
    const call = plan.choices[0]?.message.tool_calls?.[0];
    if (call?.type === 'function') {
      const { sku } = JSON.parse(call.function.arguments) as { sku: string };
      messages.push(plan.choices[0].message, { role: 'tool', tool_call_id: call.id, content: await getProduct(sku) });
    }
    const answer = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    send(res, 200, { answer: answer.choices[0]?.message.content ?? '' });
  } catch (error) {
    if (error instanceof ToolTimeout || error instanceof OpenAI.APIConnectionTimeoutError)
      return send(res, 504, { error: (error as Error).message });
    send(res, 502, { error: `the agent failed: ${(error as Error).message}` });
  }
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, { ok: true });
  if (req.method === 'POST' && req.url === '/ask') return void ask(req, res);
  send(res, 404, { error: `no route ${req.method} ${req.url}` });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(`order-agent listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : '?'}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
