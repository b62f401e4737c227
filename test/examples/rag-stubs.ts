/**
 * Tiny stand-ins for the three dependencies of examples/rag-service, following the wire contracts of
 * docs/architecture.md (model: OpenAI chat completions, plain and SSE; retrieval: POST /search; inventory:
 * GET /v1/products?q=). Each records what it received and switches behaviour through a plain `mode` field.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
  /** Set when the caller closed the connection before the stub answered. */
  abortedAt: number | null;
  receivedAt: number;
}

export interface Stub<Mode extends string> {
  url: string;
  mode: Mode;
  requests: RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
}

export const DOCUMENTS = [
  {
    id: 'doc-001',
    version: 2,
    updated_at: '2025-03-01',
    title: 'Return policy for new gear',
    text: 'Northwind Outfitters accepts returns of new, unused gear within 45 days of delivery. Items must come back with their original tags.',
    score: 3.2,
  },
  {
    id: 'doc-003',
    version: 2,
    updated_at: '2025-03-01',
    title: 'Refund processing times',
    text: 'Once your return reaches our warehouse, we inspect it within 2 business days. Refunds go back to the original payment method.',
    score: 1.1,
  },
];

export const PRODUCT = {
  sku: 'SKU-1001',
  name: 'Trail Runner 2',
  price: 129,
  currency: 'USD',
  stock: 42,
  updated_at: '2025-03-01T09:00:00Z',
};

async function startStub<Mode extends string>(
  initialMode: Mode,
  handle: (stub: Stub<Mode>, req: IncomingMessage, res: ServerResponse, record: RecordedRequest) => void,
): Promise<Stub<Mode>> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
      abortedAt: null,
      receivedAt: performance.now(),
    };
    res.on('close', () => {
      if (!res.writableFinished) record.abortedAt = performance.now();
    });
    stub.requests.push(record);
    handle(stub, req, res, record);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stub: Stub<Mode> = {
    url: `http://127.0.0.1:${port}`,
    mode: initialMode,
    requests: [],
    reset() {
      stub.mode = initialMode;
      stub.requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return stub;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

export type RetrievalMode = 'ok' | 'error' | 'error-once' | 'hang';

/** `POST /search {query, k}` → `{results: [...]}` (DOCUMENTS, at most k). */
export const startRetrievalStub = () =>
  startStub<RetrievalMode>('ok', (stub, req, res, record) => {
    if (req.method !== 'POST' || record.path !== '/search') return json(res, 404, { error: { message: 'not found' } });
    if (stub.mode === 'hang') return;
    if (stub.mode === 'error' || (stub.mode === 'error-once' && stub.requests.length === 1)) {
      return json(res, 503, { error: { message: 'retrieval is down' } });
    }
    json(res, 200, { results: DOCUMENTS.slice(0, record.body.k) });
  });

export type InventoryMode = 'ok' | 'error' | 'drift';

/** `GET /v1/products?q=text` → `{products: [PRODUCT]}`; `drift` renames price to `unit_price`. */
export const startInventoryStub = () =>
  startStub<InventoryMode>('ok', (stub, req, res, record) => {
    if (req.method !== 'GET' || !record.path.startsWith('/v1/products?q=')) {
      return json(res, 404, { error: { message: 'not found' } });
    }
    if (stub.mode === 'error') return json(res, 500, { error: { message: 'inventory is down' } });
    if (stub.mode === 'drift') {
      const { price, ...rest } = PRODUCT;
      return json(res, 200, { products: [{ ...rest, unit_price: price }] });
    }
    json(res, 200, { products: [PRODUCT] });
  });

export type ModelMode = 'ok' | 'hang' | 'rate-limit-once' | 'rate-limit' | 'stall-after-first-chunk' | 'cut';

/**
 * The stub's answer: the first sentence of each of the first two context lines followed by its id, then a
 * reference to an id the context never held (`[doc-999]`), which the service must not cite.
 */
export function stubAnswer(userMessage: string): string {
  const lines = userMessage.split('\n').filter((line) => /^\[[^\]]+\] /.test(line));
  const sentences = lines.slice(0, 2).map((line) => {
    const [, id, text] = /^\[([^\]]+)\] (.*)$/.exec(line)!;
    const first = text.split(/(?<=\.) /)[0].replace(/\.$/, '');
    return `${first}. [${id}]`;
  });
  return `${sentences.join(' ')} See also [doc-999].`;
}

const completion = (content: string) => ({
  id: 'chatcmpl-stub',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'stub',
  choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
  usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
});

const chunk = (delta: Record<string, string>, finishReason: string | null) =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-stub',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'stub',
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  })}\n\n`;

/** OpenAI-compatible `POST /v1/chat/completions`, plain and `stream: true`. */
export const startModelStub = () =>
  startStub<ModelMode>('ok', (stub, req, res, record) => {
    if (req.method !== 'POST' || record.path !== '/v1/chat/completions') {
      return json(res, 404, { error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } });
    }
    if (stub.mode === 'hang') return;
    if ((stub.mode === 'rate-limit-once' && stub.requests.length === 1) || stub.mode === 'rate-limit') {
      return json(
        res,
        429,
        { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
        { 'retry-after': '1' },
      );
    }
    const messages: { role: string; content: string }[] = record.body.messages;
    const answer = stubAnswer(messages[messages.length - 1].content);
    if (!record.body.stream) return json(res, 200, completion(answer));

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(chunk({ role: 'assistant', content: '' }, null));
    const words = answer.split(/(?<= )/);
    if (stub.mode === 'stall-after-first-chunk') {
      res.write(chunk({ content: words[0] }, null));
      return; // holds the connection open, sends nothing more
    }
    if (stub.mode === 'cut') {
      res.write(chunk({ content: words[0] }, null));
      res.end(); // no finish_reason, no [DONE]
      return;
    }
    for (const word of words) res.write(chunk({ content: word }, null));
    res.write(chunk({}, 'stop'));
    res.end('data: [DONE]\n\n');
  });
