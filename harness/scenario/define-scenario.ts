import type { FakeSpec, RequestSource, ScenarioOptions, ScoreSpec } from './types.ts';

/**
 * Declares a scenario. An identity function: it exists so editors check the object's types (like vitest's
 * `defineConfig`). Validation happens when the harness loads the file.
 */
export function defineScenario<const T extends ScenarioOptions>(scenario: T): T {
  return scenario;
}

/** Built-in fakes, each one dependency of the SUT served on its own port behind a Toxiproxy proxy. */
export const fakes = {
  /** OpenAI-compatible chat completions (plain and streaming), embeddings and models, with extractive answers. */
  model: (options: { latency_ms?: number; chunk_delay_ms?: number } = {}): FakeSpec => ({ kind: 'model', options }),
  /** `POST /search {query, k}` over the shipped versioned corpus (minisearch ranking). */
  retrieval: (options: { corpus?: string } = {}): FakeSpec => ({ kind: 'retrieval', options }),
  /** An inventory REST API (`GET /v1/products?q=`, `GET /v1/products/:sku`) for live price and stock. */
  inventory: (options: Record<string, never> = {}): FakeSpec => ({ kind: 'inventory', options }),
};

/** Request sources built from the shipped dataset (fakes/dataset). */
export const dataset = {
  /**
   * `POST path` with `{ [field]: question }` for each dataset question, in an order shuffled by the run seed,
   * cycling. Each sample carries its question id, so it is scored against that question's ground truth.
   */
  ask: (path: string, options: { field?: string; categories?: string[]; stream?: boolean } = {}): RequestSource => ({
    kind: 'dataset-questions',
    method: 'POST',
    path,
    field: options.field ?? 'question',
    ...(options.categories ? { categories: options.categories } : {}),
    ...(options.stream ? { stream: true } : {}),
  }),
};

/** A fixed request repeated: `requests.static({ method: 'GET', path: '/health' })`. */
export const requests = {
  static: (o: { method?: string; path: string; body?: unknown; headers?: Record<string, string> }): RequestSource => ({
    kind: 'static',
    method: o.method ?? 'GET',
    path: o.path,
    ...(o.body === undefined ? {} : { body: o.body }),
    ...(o.headers ? { headers: o.headers } : {}),
  }),
};

/**
 * Scores RAG answers against the dataset's ground truth: fact recall (current facts present), freshness
 * (stale-only facts present → `stale`), empty answers, fallbacks. Reads the answer and citations from the
 * response's JSON fields.
 */
export function ragAnswer(options: { answer?: string; citations?: string; okRecall?: number } = {}): ScoreSpec {
  return { kind: 'rag-answer', answer: options.answer ?? 'answer', citations: options.citations ?? 'citations', okRecall: options.okRecall ?? 1 };
}
