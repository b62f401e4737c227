/**
 * The `inventory` fake (the `api` dependency): live product facts the SUT quotes.
 *
 * - `GET /v1/products?q=text[&limit=n]` → `{"products": [...]}`: products whose name or sku matches words of `q`
 *   (minisearch, prefix, fuzzy 0.2, best first; all products when `q` is empty; `limit` default 10, max 50).
 * - `GET /v1/products/:sku` → one product, or 404 `{"error": {..., "code": "product_not_found"}}`.
 * Products: `{sku, name, price, currency, stock, updated_at}`. Modes (besides `http_error` and `error_body`):
 * - `stale_values` (and its alias `stale`): the dataset's stale price and stock;
 * - `schema_drift`: field `field` (default `price`) of every product renamed to `to` (default `unit_price`), in place.
 */
import MiniSearch from 'minisearch';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { type Product, loadInventory } from './dataset-loader.ts';
import { type HandlerContext, pause, resolveHandlerContext } from './handler-context.ts';
import { type FakeMode, MODE_DEFAULTS, type InventoryFakeOptions } from '../contract/index.ts';
import { replacedResponse } from './http-error-mode.ts';
import { invalidParamError, providerError } from './provider-error.ts';

/** A product as served, under the applied content mode (if any). */
function publicProduct(p: Product, mode: FakeMode | undefined): Record<string, unknown> {
  const stale = mode?.kind === 'stale' || mode?.kind === 'stale_values';
  const values = stale && p.stale ? p.stale : p;
  const product = { sku: p.sku, name: p.name, price: values.price, currency: p.currency, stock: values.stock, updated_at: p.updated_at };
  if (mode?.kind !== 'schema_drift') return product;
  const field = mode.field ?? MODE_DEFAULTS.schema_drift.field;
  const to = mode.to ?? MODE_DEFAULTS.schema_drift.to;
  return Object.fromEntries(Object.entries(product).map(([key, value]) => [key === field ? to : key, value]));
}

/** Builds the inventory fake's msw handlers; reads the inventory file once, now (throws `DatasetError`). */
export function inventoryHandlers(options: InventoryFakeOptions = {}, context: HandlerContext = {}): HttpHandler[] {
  const { runtime, at } = resolveHandlerContext('inventory', context);
  const latencyMs = options.latency_ms ?? 0;
  const products = loadInventory(options.inventory);
  const bySku = new Map(products.map((p) => [p.sku.toUpperCase(), p]));
  const index = new MiniSearch<{ id: string; name: string; sku: string }>({
    fields: ['name', 'sku'],
    searchOptions: { boost: { name: 2 }, prefix: true, fuzzy: 0.2, combineWith: 'OR' },
  });
  index.addAll(products.map((p) => ({ id: p.sku.toUpperCase(), name: p.name, sku: p.sku })));

  return [
    http.get(at('/v1/products'), async ({ request }) => {
      const applied = runtime.roll(request, { stream: false });
      const replaced = replacedResponse(applied);
      if (replaced) return replaced;
      const params = new URL(request.url).searchParams;
      const q = (params.get('q') ?? '').trim();
      const limitText = params.get('limit');
      const limit = limitText === null ? 10 : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1) return invalidParamError('limit', "Invalid 'limit': expected an integer >= 1.");
      await pause(latencyMs, request.signal);
      const found = q === '' ? products : index.search(q).map((hit) => bySku.get(String(hit.id)) as Product);
      return HttpResponse.json({ products: found.slice(0, Math.min(limit, 50)).map((p) => publicProduct(p, applied?.mode)) });
    }),
    http.get(at('/v1/products/:sku'), async ({ request, params }) => {
      const applied = runtime.roll(request, { stream: false });
      const replaced = replacedResponse(applied);
      if (replaced) return replaced;
      const sku = String(params.sku);
      const product = bySku.get(sku.toUpperCase());
      await pause(latencyMs, request.signal);
      if (!product) {
        return providerError({ status: 404, message: `No product with sku '${sku}'.`, param: 'sku', code: 'product_not_found' });
      }
      return HttpResponse.json(publicProduct(product, applied?.mode));
    }),
  ];
}
