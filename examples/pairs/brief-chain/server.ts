/**
 * A LangChain.js chain: `POST /brief {"text": "..."}` → `200 {"brief": "..."}`, a prompt template piped into
 * `ChatOpenAI` (`@langchain/openai`). The careful/careless pair of one classic bug: an answer the model cut at its
 * token budget (`finish_reason: "length"`) passed on as complete.
 *
 *   GET  /health → 200 {"ok": true}
 *   POST /brief → 200 {"brief"}; 503 when the model's answer was cut (careful); 400 without a string `text`;
 *        502 on a failed model call.
 *
 * Environment:
 *   LLM_URL           (required) the model API's base URL, e.g. http://127.0.0.1:4000/v1
 *   ACCEPT_TRUNCATED  no   no: an answer with finish_reason "length" is refused with 503 (retrying with a larger
 *                          budget would not help a model that cuts every answer); yes (careless): passed on
 *   LLM_MAX_TOKENS    200  the answer's token budget
 *   PORT              0    0 = any free port; HOST 127.0.0.1
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { ChatOpenAI } from '@langchain/openai';

const baseURL = process.env.LLM_URL;
if (!baseURL) throw new Error('brief-chain: set LLM_URL to the model API base URL (e.g. http://127.0.0.1:4000/v1)');
const acceptTruncated = process.env.ACCEPT_TRUNCATED ?? 'no';
if (acceptTruncated !== 'yes' && acceptTruncated !== 'no')
  throw new Error(`brief-chain: ACCEPT_TRUNCATED must be yes or no, got '${acceptTruncated}'`);

const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'You write short briefs for busy readers.'],
  ['user', 'Write a brief of the following report in 3 sentences:\n{text}'],
]);
const model = new ChatOpenAI({
  model: 'gpt-4o-mini',
  apiKey: 'unused',
  configuration: { baseURL },
  maxTokens: Number(process.env.LLM_MAX_TOKENS ?? '200'),
  maxRetries: 0,
  timeout: 5000,
});
const chain = prompt.pipe(model);

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

async function brief(req: IncomingMessage, res: ServerResponse) {
  const body = await readJson(req);
  if (typeof body?.text !== 'string') return send(res, 400, { error: 'body must be JSON with a string "text"' });
  try {
    const message = await chain.invoke({ text: body.text });
    const finishReason = message.response_metadata?.finish_reason;
    if (finishReason === 'length' && acceptTruncated === 'no') {
      return send(res, 503, { error: 'the model cut its answer at the token budget (finish_reason "length")' });
    }
    send(res, 200, { brief: message.text });
  } catch (error) {
    send(res, 502, { error: `the model call failed: ${(error as Error).message}` });
  }
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return send(res, 200, { ok: true });
  if (req.method === 'POST' && req.url === '/brief') return void brief(req, res);
  send(res, 404, { error: `no route ${req.method} ${req.url}` });
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  console.log(`brief-chain listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : '?'}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
