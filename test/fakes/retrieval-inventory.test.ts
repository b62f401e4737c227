import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningFakes, control, fixtureConfig, startFakes } from './fakes-fixture.ts';

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('retrieval and inventory fakes', () => {
  let fakes: RunningFakes;
  beforeAll(async () => {
    fakes = await startFakes(fixtureConfig());
  });
  afterEach(async () => {
    await control(fakes, 'DELETE', '/fakes/retrieval/modes');
    await control(fakes, 'DELETE', '/fakes/api/modes');
  });
  afterAll(() => fakes?.close());

  it('ranks the current version of each document with minisearch, best match first, k results', async () => {
    const response = await post(`${fakes.fakes.retrieval.url}/search`, { query: 'how long is the tent warranty', k: 2 });
    const { results } = (await response.json()) as any;
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ id: 'doc-003', version: 2, updated_at: '2025-02-01', title: 'Warranty' });
    expect(results[0].text).toContain('5-year warranty');
    expect(results[0].score).toBeGreaterThan(results[1].score);
  });

  it('answers a repeated search with the same bytes as the first time (the ranking is kept per query)', async () => {
    const bodies: string[] = [];
    for (const k of [3, 3, 2, 3])
      bodies.push(await (await post(`${fakes.fakes.retrieval.url}/search`, { query: 'tent warranty returns', k })).text());
    expect(bodies[1]).toBe(bodies[0]);
    expect(bodies[3]).toBe(bodies[0]);
    expect(JSON.parse(bodies[2]).results).toEqual(JSON.parse(bodies[0]).results.slice(0, 2));
  });

  it('returns version 1 texts for the same ranking while the stale mode is on', async () => {
    const query = { query: 'returns shipping warranty days', k: 3 };
    const current = ((await (await post(`${fakes.fakes.retrieval.url}/search`, query)).json()) as any).results;
    expect((await control(fakes, 'PUT', '/fakes/retrieval/modes/old', { kind: 'stale', rate: 1 })).status).toBe(204);
    const stale = ((await (await post(`${fakes.fakes.retrieval.url}/search`, query)).json()) as any).results;
    expect(stale.map((r: { id: string }) => r.id)).toEqual(current.map((r: { id: string }) => r.id));
    expect(stale.every((r: { version: number; updated_at: string }) => r.version === 1 && r.updated_at === '2024-01-10')).toBe(true);
    expect(stale.find((r: { id: string }) => r.id === 'doc-001').text).toContain('within 30 days');
  });

  it('uses k = 4 by default and clamps k to 20', async () => {
    const all = (await (await post(`${fakes.fakes.retrieval.url}/search`, { query: 'days', k: 500 })).json()) as any;
    expect(all.results.length).toBeLessThanOrEqual(20);
    const bad = await post(`${fakes.fakes.retrieval.url}/search`, { query: 'days', k: 0 });
    expect(bad.status).toBe(400);
    expect((await bad.json()) as any).toEqual({
      error: { message: "Invalid 'k': expected an integer >= 1.", type: 'invalid_request_error', param: 'k', code: 'invalid_value' },
    });
  });

  it('finds products by name words and by sku, and 404s an unknown sku in the error shape', async () => {
    const found = (await (await fetch(`${fakes.fakes.api.url}/v1/products?q=tent`)).json()) as any;
    expect(found.products.map((p: { sku: string }) => p.sku).sort()).toEqual(['SKU-1002', 'SKU-1003']);
    const one = (await (await fetch(`${fakes.fakes.api.url}/v1/products/SKU-1001`)).json()) as any;
    expect(one).toEqual({
      sku: 'SKU-1001',
      name: 'Trail Runner 2',
      price: 129,
      currency: 'USD',
      stock: 42,
      updated_at: '2025-03-01T09:00:00Z',
    });
    const missing = await fetch(`${fakes.fakes.api.url}/v1/products/SKU-0000`);
    expect(missing.status).toBe(404);
    expect((await missing.json()) as any).toEqual({
      error: { message: "No product with sku 'SKU-0000'.", type: 'invalid_request_error', param: 'sku', code: 'product_not_found' },
    });
  });

  it('serves the stale price and stock while the inventory stale mode is on', async () => {
    await control(fakes, 'PUT', '/fakes/api/modes/old', { kind: 'stale', rate: 1, paths: ['/v1/products/*'] });
    const one = (await (await fetch(`${fakes.fakes.api.url}/v1/products/SKU-1001`)).json()) as any;
    expect(one).toMatchObject({ price: 119, stock: 0 });
    const listed = (await (await fetch(`${fakes.fakes.api.url}/v1/products?q=runner`)).json()) as any;
    expect(listed.products[0]).toMatchObject({ sku: 'SKU-1001', price: 129, stock: 42 });
  });
});
