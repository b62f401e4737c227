import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DOCUMENTS,
  startInventoryStub,
  startModelStub,
  startRetrievalStub,
  type InventoryMode,
  type ModelMode,
  type RetrievalMode,
  type Stub,
} from './rag-stubs.ts';
import { SERVER_PATH, exitOf, readSse, startRagService, waitFor, type RagServiceProcess } from './rag-service-process.ts';

const CANNED = "Sorry, I can't look that up right now. Please try again in a few minutes or contact Northwind support.";
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

let model: Stub<ModelMode>;
let retrieval: Stub<RetrievalMode>;
let inventory: Stub<InventoryMode>;
const services: RagServiceProcess[] = [];

beforeAll(async () => {
  [model, retrieval, inventory] = await Promise.all([startModelStub(), startRetrievalStub(), startInventoryStub()]);
});
afterEach(() => {
  model.reset();
  retrieval.reset();
  inventory.reset();
});
afterAll(async () => {
  await Promise.all(services.map((service) => service.stop()));
  await Promise.all([model?.close(), retrieval?.close(), inventory?.close()]);
});

async function service(env: Record<string, string> = {}): Promise<RagServiceProcess> {
  const started = await startRagService({
    OPENAI_BASE_URL: `${model.url}/v1`,
    RETRIEVAL_URL: retrieval.url,
    INVENTORY_URL: inventory.url,
    ...env,
  });
  services.push(started);
  return started;
}

const ask = (url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
  fetch(`${url}/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal,
  });

const userMessageOf = (stub: Stub<ModelMode>, index = 0): string => {
  const messages = stub.requests[index].body.messages;
  return messages[messages.length - 1].content;
};

describe('rag-service with default resilience (FALLBACK_MODE=error)', () => {
  let rag: RagServiceProcess;
  beforeAll(async () => {
    rag = await service({ MODEL_TIMEOUT_MS: '1500', STREAM_IDLE_TIMEOUT_MS: '400', RETRIEVAL_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    // No crash and no unhandled rejection across every fault below.
    expect(rag.child.exitCode).toBeNull();
    expect(rag.stderr()).not.toMatch(/unhandled|uncaught/i);
    expect(await rag.stop()).toBe(0);
  });

  it('answers health checks', async () => {
    const response = await fetch(`${rag.url}/health`);
    expect(response.status).toBe(200);
    expect((await response.json()) as any).toEqual({ ok: true });
  });

  it('answers from the retrieved context and cites only ids the context held', async () => {
    const response = await ask(rag.url, { question: 'How many days do I have to return unused gear?' });
    expect(response.status).toBe(200);
    expect((await response.json()) as any).toEqual({
      answer:
        'Northwind Outfitters accepts returns of new, unused gear within 45 days of delivery. [doc-001] ' +
        'Once your return reaches our warehouse, we inspect it within 2 business days. [doc-003] See also [doc-999].',
      citations: ['doc-001', 'doc-003'],
      sources: ['doc-001', 'doc-003'],
      fallback: false,
      cached: false,
    });
    expect(retrieval.requests.map((r) => r.body)).toEqual([{ query: 'How many days do I have to return unused gear?', k: 4 }]);
    // No price or stock words: the heuristic skips inventory.
    expect(inventory.requests).toHaveLength(0);
    expect(userMessageOf(model)).toBe(
      [`[doc-001] ${DOCUMENTS[0].text}`, `[doc-003] ${DOCUMENTS[1].text}`, 'Question: How many days do I have to return unused gear?'].join(
        '\n',
      ),
    );
  });

  it('adds a live inventory line when the question asks for a price', async () => {
    const question = 'What is the price of the Trail Runner 2 right now?';
    const response = await ask(rag.url, { question });
    expect(response.status).toBe(200);
    const body: any = await response.json();
    expect(inventory.requests.map((r) => r.path)).toEqual([`/v1/products?q=${encodeURIComponent(question)}`]);
    expect(userMessageOf(model).split('\n')).toEqual([
      `[doc-001] ${DOCUMENTS[0].text}`,
      `[doc-003] ${DOCUMENTS[1].text}`,
      '[SKU-1001] Trail Runner 2 price 129.00 USD, stock 42',
      `Question: ${question}`,
    ]);
    expect(body.sources).toEqual(['doc-001', 'doc-003', 'SKU-1001']);
  });

  it('forwards traceparent and x-shakedown-sample-id to retrieval, inventory and the model', async () => {
    const headers = { traceparent: TRACEPARENT, 'x-shakedown-sample-id': 'sample-17' };
    const response = await ask(rag.url, { question: 'Is the Trail Runner 2 in stock?' }, headers);
    expect(response.status).toBe(200);
    await response.json();
    for (const stub of [retrieval, inventory, model]) {
      expect(stub.requests).toHaveLength(1);
      expect(stub.requests[0].headers.traceparent).toBe(TRACEPARENT);
      expect(stub.requests[0].headers['x-shakedown-sample-id']).toBe('sample-17');
    }
  });

  it('answers 503 naming retrieval when retrieval fails, after one retry', async () => {
    retrieval.mode = 'error';
    const response = await ask(rag.url, { question: 'How do refunds work?' });
    expect(response.status).toBe(503);
    expect((await response.json()) as any).toEqual({
      error: { message: 'retrieval answered HTTP 503: {"error":{"message":"retrieval is down"}}', dependency: 'retrieval' },
    });
    expect(retrieval.requests).toHaveLength(2); // RETRIEVAL_RETRIES=1
    expect(model.requests).toHaveLength(0);
  });

  it('recovers from one retrieval failure through its retry', async () => {
    retrieval.mode = 'error-once';
    const response = await ask(rag.url, { question: 'How do refunds work?' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).citations).toEqual(['doc-001', 'doc-003']);
    expect(retrieval.requests).toHaveLength(2);
  });

  it('answers 504 when retrieval hangs past RETRIEVAL_TIMEOUT_MS on both attempts', async () => {
    retrieval.mode = 'hang';
    const started = performance.now();
    const response = await ask(rag.url, { question: 'How do refunds work?' });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(504);
    expect((await response.json()) as any).toEqual({
      error: { message: 'retrieval did not answer within 300 ms', dependency: 'retrieval' },
    });
    expect(elapsed).toBeGreaterThanOrEqual(600);
    expect(elapsed).toBeLessThan(1500);
  });

  it('answers 502 naming inventory when the inventory schema drifts, never printing an undefined price', async () => {
    inventory.mode = 'drift';
    const response = await ask(rag.url, { question: 'How much does the Trail Runner 2 cost?' });
    expect(response.status).toBe(502);
    expect(((await response.json()) as any).error.dependency).toBe('inventory');
    expect(model.requests).toHaveLength(0);
  });

  it('answers 504 within about MODEL_TIMEOUT_MS when the model hangs, retries included', async () => {
    model.mode = 'hang';
    const started = performance.now();
    const response = await ask(rag.url, { question: 'How do refunds work?' });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(504);
    expect((await response.json()) as any).toEqual({
      error: { message: 'model did not answer within 1500 ms', dependency: 'model' },
    });
    expect(elapsed).toBeGreaterThanOrEqual(1400);
    expect(elapsed).toBeLessThan(2500);
    // The hanging request was aborted, not left open.
    expect(await waitFor(() => model.requests.every((r) => r.abortedAt !== null), 1000)).toBe(true);
  });

  it('retries a 429 after the retry-after delay and answers', async () => {
    model.mode = 'rate-limit-once';
    const started = performance.now();
    const response = await ask(rag.url, { question: 'How do refunds work?' });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).citations).toEqual(['doc-001', 'doc-003']);
    expect(model.requests).toHaveLength(2);
    const gap = model.requests[1].receivedAt - model.requests[0].receivedAt;
    expect(gap).toBeGreaterThanOrEqual(950); // retry-after: 1
    expect(elapsed).toBeLessThan(1500);
  });

  it('streams the answer as SSE deltas, then a done event with the citations', async () => {
    const headers = { traceparent: TRACEPARENT, 'x-shakedown-sample-id': 'sample-18' };
    const response = await ask(rag.url, { question: 'How do refunds work?', stream: true }, headers);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readSse(response);
    const deltas = events.filter((e) => 'delta' in e);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((e) => e.delta).join('')).toBe(
      'Northwind Outfitters accepts returns of new, unused gear within 45 days of delivery. [doc-001] ' +
        'Once your return reaches our warehouse, we inspect it within 2 business days. [doc-003] See also [doc-999].',
    );
    expect(events.at(-1)).toEqual({
      done: true,
      citations: ['doc-001', 'doc-003'],
      sources: ['doc-001', 'doc-003'],
      fallback: false,
      cached: false,
    });
    expect(model.requests[0].body.stream).toBe(true);
    expect(model.requests[0].headers.traceparent).toBe(TRACEPARENT);
    expect(model.requests[0].headers['x-shakedown-sample-id']).toBe('sample-18');
  });

  it('ends a stalled stream with an error event after STREAM_IDLE_TIMEOUT_MS', async () => {
    model.mode = 'stall-after-first-chunk';
    const started = performance.now();
    const response = await ask(rag.url, { question: 'How do refunds work?', stream: true });
    const events = await readSse(response);
    const elapsed = performance.now() - started;
    expect(events).toEqual([
      { delta: 'Northwind ' },
      { error: { message: 'model stream stalled: no chunk for 400 ms', dependency: 'model' } },
    ]);
    expect(elapsed).toBeLessThan(1200);
    expect(await waitFor(() => model.requests[0].abortedAt !== null, 1000)).toBe(true);
  });

  it('reports a stream cut without finish_reason as an error event', async () => {
    model.mode = 'cut';
    const events = await readSse(await ask(rag.url, { question: 'How do refunds work?', stream: true }));
    expect(events).toEqual([
      { delta: 'Northwind ' },
      { error: { message: 'model stream ended without a finish_reason', dependency: 'model' } },
    ]);
  });

  it('answers a failure before the first streamed token with a plain JSON error', async () => {
    retrieval.mode = 'error';
    const response = await ask(rag.url, { question: 'How do refunds work?', stream: true });
    expect(response.status).toBe(503);
    expect(((await response.json()) as any).error.dependency).toBe('retrieval');
  });

  it('aborts the model call when the client disconnects', async () => {
    model.mode = 'hang';
    const client = new AbortController();
    const pending = ask(rag.url, { question: 'How do refunds work?' }, {}, client.signal).catch((error: Error) => error);
    expect(await waitFor(() => model.requests.length === 1, 2000)).toBe(true);
    const abortedAt = performance.now();
    client.abort();
    expect(await pending).toBeInstanceOf(Error);
    expect(await waitFor(() => model.requests[0].abortedAt !== null, 1000)).toBe(true);
    expect(model.requests[0].abortedAt! - abortedAt).toBeLessThan(500); // well before MODEL_TIMEOUT_MS
    expect(model.requests).toHaveLength(1); // and not retried
  });

  it('rejects a request without a question with 400', async () => {
    const response = await ask(rag.url, { query: 'x' });
    expect(response.status).toBe(400);
    expect((await response.json()) as any).toEqual({ error: { message: 'question must be a non-empty string', dependency: null } });
  });
});

describe('rag-service with FALLBACK_MODE=canned and a cache', () => {
  let rag: RagServiceProcess;
  beforeAll(async () => {
    rag = await service({ FALLBACK_MODE: 'canned', CACHE_TTL_MS: '60000' });
  });

  it('answers the canned text with fallback: true when retrieval fails', async () => {
    retrieval.mode = 'error';
    const response = await ask(rag.url, { question: 'How do refunds work?' });
    expect(response.status).toBe(200);
    expect((await response.json()) as any).toEqual({ answer: CANNED, citations: [], sources: [], fallback: true, cached: false });
  });

  it('streams the canned text with fallback: true when inventory fails before the first token', async () => {
    inventory.mode = 'error';
    const response = await ask(rag.url, { question: 'Is the Trail Runner 2 in stock?', stream: true });
    expect(await readSse(response)).toEqual([{ delta: CANNED }, { done: true, citations: [], sources: [], fallback: true, cached: false }]);
  });

  it('serves a repeated question from the cache without calling the dependencies', async () => {
    const first: any = await (await ask(rag.url, { question: 'How long does a refund take?' })).json();
    expect(first.cached).toBe(false);
    const second = await (await ask(rag.url, { question: '  how long does a REFUND take? ' })).json();
    expect(second).toEqual({ ...first, cached: true });
    expect(model.requests).toHaveLength(1);
    expect(retrieval.requests).toHaveLength(1);
  });
});

describe('rag-service with FALLBACK_MODE=silent (the careless twin)', () => {
  let rag: RagServiceProcess;
  beforeAll(async () => {
    rag = await service({ FALLBACK_MODE: 'silent', STREAM_IDLE_TIMEOUT_MS: '300' });
  });

  it('ends a stalled stream as if it were complete', async () => {
    model.mode = 'stall-after-first-chunk';
    const events = await readSse(await ask(rag.url, { question: 'How do refunds work?', stream: true }));
    expect(events).toEqual([
      { delta: 'Northwind ' },
      { done: true, citations: [], sources: ['doc-001', 'doc-003'], fallback: false, cached: false },
    ]);
  });

  it('answers the canned text with fallback: false when retrieval fails', async () => {
    retrieval.mode = 'error';
    const response = await ask(rag.url, { question: 'How do refunds work?' });
    expect(response.status).toBe(200);
    expect((await response.json()) as any).toEqual({ answer: CANNED, citations: [], sources: [], fallback: false, cached: false });
  });
});

describe('rag-service with FALLBACK_MODE=empty (the careless twin that swallows errors)', () => {
  let rag: RagServiceProcess;
  beforeAll(async () => {
    rag = await service({ FALLBACK_MODE: 'empty' });
  });

  it('answers 200 with an empty answer and fallback: false when retrieval fails', async () => {
    retrieval.mode = 'error';
    const response = await ask(rag.url, { question: 'How do refunds work?' });
    expect(response.status).toBe(200);
    expect((await response.json()) as any).toEqual({ answer: '', citations: [], sources: [], fallback: false, cached: false });
  });

  it('streams a done event and no delta when retrieval fails before the first token', async () => {
    retrieval.mode = 'error';
    const events = await readSse(await ask(rag.url, { question: 'How do refunds work?', stream: true }));
    expect(events).toEqual([{ done: true, citations: [], sources: [], fallback: false, cached: false }]);
  });
});

describe('rag-service with MODEL_RETRY_AFTER=ignore (the careless twin that hammers a rate-limited model)', () => {
  let rag: RagServiceProcess;
  beforeAll(async () => {
    rag = await service({ MODEL_RETRY_AFTER: 'ignore', MODEL_MAX_RETRIES: '3' });
  });

  it('sends the call again at once on 429, MODEL_MAX_RETRIES times, then answers 503', async () => {
    model.mode = 'rate-limit'; // every call: 429 with retry-after: 1
    const started = performance.now();
    const response = await ask(rag.url, { question: 'How do refunds work?' });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(503);
    expect(((await response.json()) as any).error.dependency).toBe('model');
    expect(model.requests).toHaveLength(4);
    expect(model.requests[3].receivedAt - model.requests[0].receivedAt).toBeLessThan(500); // retry-after asked for 1 s each
    expect(elapsed).toBeLessThan(900);
  });

  it('answers normally when the model does', async () => {
    const response = await ask(rag.url, { question: 'How do refunds work?' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).citations).toEqual(['doc-001', 'doc-003']);
    expect(model.requests).toHaveLength(1);
  });
});

describe('rag-service process', () => {
  it('exits with code 0 on SIGTERM', async () => {
    const rag = await service();
    expect(await rag.stop()).toBe(0);
    expect(rag.stderr()).toContain('rag-service: SIGTERM received, closing');
  });

  it('on SIGTERM lets an in-flight request run for the grace period, then aborts it and exits 0', async () => {
    const rag = await service({ MODEL_TIMEOUT_MS: '0' });
    model.mode = 'hang';
    const pending = ask(rag.url, { question: 'How do refunds work?' }).then(
      (response) => response.status,
      (error: Error) => error,
    );
    expect(await waitFor(() => model.requests.length === 1, 2000)).toBe(true);
    const started = performance.now();
    expect(await rag.stop()).toBe(0);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1900); // SHUTDOWN_GRACE_MS
    expect(elapsed).toBeLessThan(3500);
    expect(await pending).toBeInstanceOf(Error); // the connection closed without an answer
    expect(model.requests[0].abortedAt).not.toBeNull();
  });

  it('refuses an invalid knob with every problem listed and exit code 2', async () => {
    const child = spawn(process.execPath, [SERVER_PATH], {
      env: { PATH: process.env.PATH ?? '', FALLBACK_MODE: 'loud', MODEL_TIMEOUT_MS: '-1', INVENTORY_URL: 'x' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
    expect(await exitOf(child)).toBe(2);
    expect(stderr).toBe(
      [
        'Invalid rag-service configuration:',
        "  RETRIEVAL_URL must be set to the dependency's base URL (for example http://127.0.0.1:4010)",
        '  INVENTORY_URL must be an absolute URL, got "x"',
        '  MODEL_TIMEOUT_MS must be an integer from 0 to 2147483647, got "-1"',
        '  FALLBACK_MODE must be one of error | canned | silent | empty, got "loud"',
        '',
      ].join('\n'),
    );
  });
});
