import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFakes, control, fixtureConfig, promptOf, startFakes } from './fakes-fixture.ts';

const CONTEXT = [
  '[doc-001] Returns are accepted within 14 days of delivery. Items must be unused and come back with their original tags.',
  '[doc-002] Express shipping costs $4.99 and takes 2 business days.',
];
const QUESTION = 'Within how many days are returns of unused items with tags accepted, and what does express shipping cost?';
const messages = [{ role: 'user' as const, content: promptOf(CONTEXT, QUESTION) }];
const ANSWER =
  'Returns are accepted within 14 days of delivery. [doc-001] Items must be unused and come back with their original tags. [doc-001] ' +
  'Express shipping costs $4.99 and takes 2 business days. [doc-002]';

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The answer to `messages` through the SDK four ways: chat plain and streamed, Responses API plain and streamed. */
async function answerFourWays(client: OpenAI) {
  const plain = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
  let streamed = '';
  let streamFinish: string | null = null;
  for await (const chunk of stream) {
    streamed += chunk.choices[0]?.delta.content ?? '';
    streamFinish = chunk.choices[0]?.finish_reason ?? streamFinish;
  }
  const response = await client.responses.create({ model: 'gpt-4o-mini', input: messages });
  let responseStreamed = '';
  let finalStatus: string | undefined;
  for await (const event of await client.responses.create({ model: 'gpt-4o-mini', input: messages, stream: true })) {
    if (event.type === 'response.output_text.delta') responseStreamed += event.delta;
    if (event.type === 'response.completed' || event.type === 'response.incomplete') finalStatus = event.response.status;
  }
  return {
    plain: plain.choices[0].message.content,
    plainFinish: plain.choices[0].finish_reason,
    streamed,
    streamFinish,
    response: response.output_text,
    responseStatus: response.status,
    responseIncomplete: response.incomplete_details,
    responseStreamed,
    finalStatus,
  };
}

describe('content modes of the fakes', () => {
  let fakes: RunningFakes;
  let client: OpenAI;
  beforeAll(async () => {
    fakes = await startFakes(fixtureConfig());
    client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 0 });
  });
  afterEach(async () => {
    for (const name of ['model', 'retrieval', 'api']) await control(fakes, 'DELETE', `/fakes/${name}/modes`);
  });
  afterAll(() => fakes?.close());

  const lastLog = async (name: string, count: number) =>
    (await control(fakes, 'GET', `/fakes/${name}/log?since=0`)).body.entries.slice(-count);

  it.each([
    [
      'drop_facts',
      {},
      'Returns are accepted within 14 days of delivery. [doc-001] Items must be unused and come back with their original tags. [doc-001]',
      ['doc-001', 'doc-001'],
    ],
    [
      'perturb_numbers',
      {},
      'Returns are accepted within 16 days of delivery. [doc-001] Items must be unused and come back with their original tags. [doc-001] Express shipping costs $3.99 and takes 1 business days. [doc-002]',
      ['doc-001', 'doc-001', 'doc-002'],
    ],
    [
      'wrong_citations',
      { source: 'invented' },
      'Returns are accepted within 14 days of delivery. [doc-997] Items must be unused and come back with their original tags. [doc-950] Express shipping costs $4.99 and takes 2 business days. [doc-930]',
      ['doc-997', 'doc-950', 'doc-930'],
    ],
    ['refuse', {}, "I'm sorry, but I can't help with that.", []],
  ])(
    '%s changes the answer the same way in chat (plain, SSE) and the Responses API (plain, SSE), and logs the cited ids',
    async (kind, options, expected, cited) => {
      expect((await control(fakes, 'PUT', '/fakes/model/modes/m', { kind, rate: 1, ...options })).status).toBe(204);
      const got = await answerFourWays(client);
      expect(got).toEqual({
        plain: expected,
        plainFinish: 'stop',
        streamed: expected,
        streamFinish: 'stop',
        response: expected,
        responseStatus: 'completed',
        responseIncomplete: null,
        responseStreamed: expected,
        finalStatus: 'completed',
      });
      const entries = await lastLog('model', 4);
      expect(entries.map((e: { mode: string; cited_ids: string[] }) => [e.mode, e.cited_ids])).toEqual(Array(4).fill(['m', cited]));
    },
  );

  it('truncate cuts the answer with finish_reason "length" (Responses API: incomplete, max_output_tokens)', async () => {
    await control(fakes, 'PUT', '/fakes/model/modes/cut', { kind: 'truncate', rate: 1 });
    const cut = 'Returns are accepted within 14 days of delivery. [doc-001] Items must be unused and come';
    expect(await answerFourWays(client)).toEqual({
      plain: cut,
      plainFinish: 'length',
      streamed: cut,
      streamFinish: 'length',
      response: cut,
      responseStatus: 'incomplete',
      responseIncomplete: { reason: 'max_output_tokens' },
      responseStreamed: cut,
      finalStatus: 'incomplete',
    });
    expect((await lastLog('model', 1))[0].cited_ids).toEqual(['doc-001']);
  });

  it('keeps the answer and its cited ids whole with no mode, and logs only the ids of chunks sent before a stream cut', async () => {
    const plain = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(plain.choices[0].message.content).toBe(ANSWER);
    expect((await lastLog('model', 1))[0]).toMatchObject({ mode: null, cited_ids: ['doc-001', 'doc-001', 'doc-002'] });
    await control(fakes, 'PUT', '/fakes/model/modes/c', { kind: 'stream_cut', rate: 1, after_chunks: 2 });
    const response = await post(`${fakes.fakes.model.url}/v1/chat/completions`, { model: 'gpt-4o-mini', messages, stream: true });
    await response.text();
    expect((await lastLog('model', 1))[0]).toMatchObject({ mode: 'c', cited_ids: [] });
  });

  it('sends well-formed SSE under a content fault: every data line is JSON up to [DONE]', async () => {
    await control(fakes, 'PUT', '/fakes/model/modes/p', { kind: 'perturb_numbers', rate: 1 });
    const response = await post(`${fakes.fakes.model.url}/v1/chat/completions`, { model: 'gpt-4o-mini', messages, stream: true });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    for (const event of events.slice(0, -1))
      expect(JSON.parse(event.replace(/^data: /, ''))).toMatchObject({ object: 'chat.completion.chunk' });
  });

  it('error_body answers 200 with a provider-shaped error body on every fake; the SDK gets no choices and an empty stream', async () => {
    const error = {
      message: 'The server had an error while processing your request. Sorry about that!',
      type: 'server_error',
      param: null,
      code: null,
    };
    for (const name of ['model', 'retrieval', 'api'])
      await control(fakes, 'PUT', `/fakes/${name}/modes/eb`, { kind: 'error_body', rate: 1 });
    const completion = (await client.chat.completions.create({ model: 'gpt-4o-mini', messages })) as unknown as Record<string, unknown>;
    expect(completion).toEqual({ error });
    const chunks: unknown[] = [];
    for await (const chunk of await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true })) chunks.push(chunk);
    expect(chunks).toEqual([]);
    const search = await post(`${fakes.fakes.retrieval.url}/search`, { query: 'returns', k: 2 });
    expect([search.status, search.headers.get('content-type'), await search.json()]).toEqual([200, 'application/json', { error }]);
    await control(fakes, 'PUT', '/fakes/api/modes/eb', {
      kind: 'error_body',
      rate: 1,
      message: 'Upstream quota exhausted.',
      code: 'quota',
    });
    const product = await fetch(`${fakes.fakes.api.url}/v1/products/SKU-1001`);
    expect([product.status, await product.json()]).toEqual([
      200,
      { error: { message: 'Upstream quota exhausted.', type: 'server_error', param: null, code: 'quota' } },
    ]);
    expect((await control(fakes, 'GET', '/fakes/api/stats')).body.by_mode.eb).toBe(1);
  });

  it('retrieval empty, partial and irrelevant change the results, and the log records the ids returned', async () => {
    const query = { query: 'returns shipping warranty days', k: 3 };
    const ids = async () =>
      ((await (await post(`${fakes.fakes.retrieval.url}/search`, query)).json()) as { results: Array<{ id: string }> }).results.map(
        (r) => r.id,
      );
    const real = await ids();
    expect(real).toHaveLength(3);
    await control(fakes, 'PUT', '/fakes/retrieval/modes/r', { kind: 'empty', rate: 1 });
    expect(await ids()).toEqual([]);
    await control(fakes, 'PUT', '/fakes/retrieval/modes/r', { kind: 'partial', rate: 1 });
    expect(await ids()).toEqual(real.slice(0, 1));
    await control(fakes, 'PUT', '/fakes/retrieval/modes/r', { kind: 'partial', rate: 1, keep: 2 });
    expect(await ids()).toEqual(real.slice(0, 2));
    const entries = await lastLog('retrieval', 4);
    expect(entries.map((e: { mode: string | null; returned_ids: string[] }) => [e.mode, e.returned_ids])).toEqual([
      [null, real],
      ['r', []],
      ['r', real.slice(0, 1)],
      ['r', real.slice(0, 2)],
    ]);

    await control(fakes, 'DELETE', '/fakes/retrieval/modes/r');
    const warranty = { query: 'tent warranty defects', k: 2 };
    const matching = ((await (await post(`${fakes.fakes.retrieval.url}/search`, { ...warranty, k: 10 })).json()) as any).results;
    await control(fakes, 'PUT', '/fakes/retrieval/modes/r', { kind: 'irrelevant', rate: 1 });
    const off = ((await (await post(`${fakes.fakes.retrieval.url}/search`, warranty)).json()) as any).results;
    expect(off.map((r: { id: string }) => r.id).sort()).toEqual(['doc-001', 'doc-002']);
    expect(matching.map((r: { id: string }) => r.id)).toEqual(['doc-003']);
    expect(off[0]).toMatchObject({ version: 2, score: matching[0].score });
    expect(off[1].score).toBeLessThan(off[0].score);
  });

  it('inventory schema_drift renames a field in place; stale_values and its alias stale serve the stale price and stock', async () => {
    await control(fakes, 'PUT', '/fakes/api/modes/d', { kind: 'schema_drift', rate: 1 });
    const drifted = await (await fetch(`${fakes.fakes.api.url}/v1/products/SKU-1001`)).json();
    expect(Object.keys(drifted as object)).toEqual(['sku', 'name', 'unit_price', 'currency', 'stock', 'updated_at']);
    expect(drifted).toMatchObject({ unit_price: 129 });
    await control(fakes, 'PUT', '/fakes/api/modes/d', { kind: 'schema_drift', rate: 1, field: 'stock', to: 'qty' });
    const list = (await (await fetch(`${fakes.fakes.api.url}/v1/products?q=tent`)).json()) as { products: Array<Record<string, unknown>> };
    expect(list.products.every((p) => 'qty' in p && !('stock' in p) && 'price' in p)).toBe(true);
    await control(fakes, 'DELETE', '/fakes/api/modes/d');
    for (const kind of ['stale_values', 'stale']) {
      await control(fakes, 'PUT', '/fakes/api/modes/s', { kind, rate: 1 });
      expect(await (await fetch(`${fakes.fakes.api.url}/v1/products/SKU-1001`)).json()).toMatchObject({ price: 119, stock: 0 });
    }
  });

  it('rejects invalid options of the new modes with every problem, and modes on the wrong fake', async () => {
    const bad = await control(fakes, 'PUT', '/fakes/api/modes/d', { kind: 'schema_drift', rate: 1, field: 'colour', to: 'price' });
    expect(bad).toEqual({
      status: 400,
      body: {
        error: {
          message:
            "Invalid mode 'd' for fake 'api': field must be one of sku, name, price, currency, stock, updated_at; to must not be a product field (sku, name, price, currency, stock, updated_at).",
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_mode',
        },
      },
    });
    const truncate = await control(fakes, 'PUT', '/fakes/model/modes/t', { kind: 'truncate', rate: 1, keep_ratio: 1 });
    expect(truncate.body.error.message).toBe(
      "Invalid mode 't' for fake 'model': keep_ratio must be a number greater than 0 and less than 1.",
    );
    const wrongFake = await control(fakes, 'PUT', '/fakes/model/modes/e', { kind: 'empty', rate: 1 });
    expect(wrongFake.body.error).toMatchObject({
      code: 'mode_not_applicable',
      message: "Invalid mode 'e' for fake 'model': mode kind \"empty\" does not apply to a model fake; it applies to: retrieval.",
    });
  });
});

describe('seeded content modes', () => {
  /** Runs `searches` searches under an `empty` mode at rate 0.5, then an `irrelevant` and a `drop_facts` choice; returns what was hit and chosen. */
  async function runWithSeed(seed: number, searches = 200) {
    const fakes = await startFakes(fixtureConfig({ seed }));
    try {
      await control(fakes, 'PUT', '/fakes/retrieval/modes/half', { kind: 'empty', rate: 0.5 });
      let hits = '';
      for (let i = 0; i < searches; i++) {
        const { results } = (await (await post(`${fakes.fakes.retrieval.url}/search`, { query: 'returns days', k: 2 })).json()) as {
          results: unknown[];
        };
        hits += results.length === 0 ? '1' : '0';
      }
      const stats = (await control(fakes, 'GET', '/fakes/retrieval/stats')).body;
      await control(fakes, 'PUT', '/fakes/retrieval/modes/half', { kind: 'irrelevant', rate: 1 });
      const chosen = ((await (await post(`${fakes.fakes.retrieval.url}/search`, { query: 'zzz', k: 2 })).json()) as any).results.map(
        (r: { id: string }) => r.id,
      );
      await control(fakes, 'PUT', '/fakes/model/modes/drop', { kind: 'drop_facts', rate: 1 });
      const client = new OpenAI({ baseURL: `${fakes.fakes.model.url}/v1`, apiKey: 'k', maxRetries: 0 });
      const dropped = (await client.chat.completions.create({ model: 'gpt-4o-mini', messages })).choices[0].message.content;
      return { hits, byMode: stats.by_mode.half as number, chosen, dropped };
    } finally {
      await fakes.close();
    }
  }

  it('hits about half of 200 requests at rate 0.5, counts them in by_mode, and repeats every choice for the same seed', async () => {
    const a = await runWithSeed(11);
    const count = [...a.hits].filter((c) => c === '1').length;
    expect(count).toBeGreaterThan(70);
    expect(count).toBeLessThan(130);
    expect(a.byMode).toBe(count);
    expect(await runWithSeed(11)).toEqual(a);
    const other = await runWithSeed(12, 40);
    expect(other.hits).not.toBe(a.hits.slice(0, 40));
  });
});
