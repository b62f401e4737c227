/**
 * Retrieval and inventory clients over global fetch: per-attempt timeouts, bounded retries for retrieval,
 * trace headers forwarded, the client's disconnect aborting the call, every failure typed as DependencyError.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DependencyError, RequestAbortedError, describeError, type DependencyName } from './errors.ts';

/** What every downstream call carries from the incoming request. */
export interface CallContext {
  /** Aborted when the client disconnects or the server shuts down. */
  signal: AbortSignal;
  /** Headers forwarded to every dependency (`traceparent`, `x-shakedown-sample-id`, when present). */
  headers: Record<string, string>;
}

export interface RetrievedDocument {
  id: string;
  text: string;
  version?: number;
  updated_at?: string;
}

export interface Product {
  sku: string;
  name: string;
  price: number;
  currency: string;
  stock: number;
}

/** At most this many products from the inventory search go into the prompt. */
export const MAX_PRODUCTS = 3;

/** One HTTP call that answers JSON, bounded by `timeoutMs` (0 = unbounded). */
async function callJson(
  dependency: DependencyName,
  url: string,
  init: { method: 'GET' | 'POST'; body?: unknown },
  timeoutMs: number,
  ctx: CallContext,
): Promise<unknown> {
  if (ctx.signal.aborted) throw new RequestAbortedError();
  const timeout = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
  const signal = timeout ? AbortSignal.any([ctx.signal, timeout]) : ctx.signal;
  const headers: Record<string, string> = { accept: 'application/json', ...ctx.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';

  let status: number;
  let text: string;
  try {
    const response = await fetch(url, {
      method: init.method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal,
    });
    status = response.status;
    text = await response.text(); // the body read is bounded by the same signal
  } catch (error) {
    if (ctx.signal.aborted) throw new RequestAbortedError();
    if (timeout?.aborted) {
      throw new DependencyError(dependency, 'timeout', `${dependency} did not answer within ${timeoutMs} ms`);
    }
    throw new DependencyError(dependency, 'unavailable', `${dependency} is unreachable: ${describeError(error)}`, {
      cause: error,
    });
  }
  if (status === 429 || status >= 500) {
    throw new DependencyError(dependency, 'unavailable', `${dependency} answered HTTP ${status}: ${text.slice(0, 200)}`);
  }
  if (status < 200 || status >= 300) {
    throw new DependencyError(dependency, 'bad_response', `${dependency} answered HTTP ${status}: ${text.slice(0, 200)}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new DependencyError(dependency, 'bad_response', `${dependency} answered invalid JSON: ${text.slice(0, 200)}`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `POST ${retrievalUrl}/search {query, k}` → the documents, retried `retries` times on timeouts, connection
 * errors, 429 and 5xx (backoff 100 ms, 200 ms, ... with jitter; each attempt gets the full timeout).
 */
export async function searchDocuments(
  options: { retrievalUrl: string; timeoutMs: number; retries: number; k: number },
  query: string,
  ctx: CallContext,
): Promise<RetrievedDocument[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      const body = await callJson(
        'retrieval',
        `${options.retrievalUrl}/search`,
        { method: 'POST', body: { query, k: options.k } },
        options.timeoutMs,
        ctx,
      );
      return parseDocuments(body);
    } catch (error) {
      const retryable = error instanceof DependencyError && error.failure !== 'bad_response';
      if (!retryable || attempt >= options.retries) throw error;
      const delayMs = 100 * 2 ** attempt * (0.75 + Math.random() * 0.25);
      try {
        await sleep(delayMs, undefined, { signal: ctx.signal });
      } catch {
        throw new RequestAbortedError();
      }
    }
  }
}

function parseDocuments(body: unknown): RetrievedDocument[] {
  const results = isRecord(body) ? body.results : undefined;
  if (!Array.isArray(results)) {
    throw new DependencyError('retrieval', 'bad_response', 'retrieval answered without a "results" array');
  }
  return results.map((result, index) => {
    if (!isRecord(result) || typeof result.id !== 'string' || typeof result.text !== 'string') {
      throw new DependencyError('retrieval', 'bad_response', `retrieval result ${index} lacks a string "id" or "text"`);
    }
    return {
      id: result.id,
      text: result.text,
      version: typeof result.version === 'number' ? result.version : undefined,
      updated_at: typeof result.updated_at === 'string' ? result.updated_at : undefined,
    };
  });
}

/**
 * `GET ${inventoryUrl}/v1/products?q=<question>` → at most MAX_PRODUCTS products, no retry (live data is only
 * worth having fast). A product without a numeric price or stock (schema drift) is a bad response, never
 * printed as "price undefined".
 */
export async function searchProducts(
  options: { inventoryUrl: string; timeoutMs: number },
  query: string,
  ctx: CallContext,
): Promise<Product[]> {
  const url = `${options.inventoryUrl}/v1/products?q=${encodeURIComponent(query)}`;
  const body = await callJson('inventory', url, { method: 'GET' }, options.timeoutMs, ctx);
  const products = isRecord(body) ? body.products : undefined;
  if (!Array.isArray(products)) {
    throw new DependencyError('inventory', 'bad_response', 'inventory answered without a "products" array');
  }
  return products.slice(0, MAX_PRODUCTS).map((product, index) => {
    if (
      !isRecord(product) ||
      typeof product.sku !== 'string' ||
      typeof product.name !== 'string' ||
      typeof product.price !== 'number' ||
      !Number.isFinite(product.price) ||
      typeof product.currency !== 'string' ||
      typeof product.stock !== 'number' ||
      !Number.isFinite(product.stock)
    ) {
      throw new DependencyError(
        'inventory',
        'bad_response',
        `inventory product ${index} lacks sku, name, price, currency or stock of the expected types`,
      );
    }
    return {
      sku: product.sku,
      name: product.name,
      price: product.price,
      currency: product.currency,
      stock: product.stock,
    };
  });
}
