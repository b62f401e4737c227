/**
 * The config of a fakes process (JSON in env `SHAKEDOWN_FAKES_CONFIG` for `fakes/serve.ts`; the same object for
 * `startFakes()`): run seed and the fakes to start, by name, with each kind's options. The fakes check it
 * (`validateFakesConfig`); the harness builds it from a scenario's dependencies.
 */

import type { CustomFakeOptions, Fixture, QuotaOptions } from './fake-extensions.ts';

/** Options every fake takes (contract/fake-extensions.ts). */
export interface FakeExtensionOptions {
  /** Responses for matching requests, tried before the fake's own answers. */
  fixtures?: Fixture[];
  /** Module whose default export is an array of msw handlers, tried before the fake's own (after fixtures). */
  handlers?: string;
}

/** Options of the model fake. */
export interface ModelFakeOptions {
  /** Processing time before any response byte, milliseconds; default 0. */
  latency_ms?: number;
  /** Delay between SSE events, milliseconds; default 5. */
  chunk_delay_ms?: number;
  /** Words per SSE content chunk; default 3. */
  words_per_chunk?: number;
  /** Model ids listed by `GET /v1/models` (any model id is accepted); default `["gpt-4o-mini", "text-embedding-3-small"]`. */
  models?: string[];
  /** Embedding vector length; default 64. */
  embedding_dim?: number;
  /** Per-key requests and tokens per window, with `x-ratelimit-*` headers and 429s as OpenAI sends them. */
  quota?: QuotaOptions;
}

/** Options of the retrieval fake. */
export interface RetrievalFakeOptions {
  /** Path of a corpus file; default the shipped `fakes/dataset/corpus.json`. */
  corpus?: string;
  /** Processing time per search, milliseconds; default 0. */
  latency_ms?: number;
  /** Results when `k` is absent; default 4. */
  default_k?: number;
  /** Largest `k` served (larger values are clamped); default 20. */
  max_k?: number;
}

/** Options of the inventory fake. */
export interface InventoryFakeOptions {
  /** Path of an inventory file; default the shipped `fakes/dataset/inventory.json`. */
  inventory?: string;
  /** Processing time per request, milliseconds; default 0. */
  latency_ms?: number;
}

/** One fake to start: its kind, that kind's options and its port (default 0: any free port). */
export type FakeSpec =
  | { kind: 'model'; options?: ModelFakeOptions & FakeExtensionOptions; port?: number }
  | { kind: 'retrieval'; options?: RetrievalFakeOptions & FakeExtensionOptions; port?: number }
  | { kind: 'inventory'; options?: InventoryFakeOptions & FakeExtensionOptions; port?: number }
  | { kind: 'custom'; options: CustomFakeOptions; port?: number };

export interface FakesConfig {
  /** Run seed for mode rolls; default 0. */
  seed?: number;
  /** Fakes by name (`model`, `retrieval`, `api`, ...); names match `[A-Za-z0-9_-]{1,64}`. */
  fakes: Record<string, FakeSpec>;
  /** Request body limit of every fake, bytes; default 1 MiB. */
  max_body_bytes?: number;
  /** Time for a request body to arrive in full before 408, ms; default 10,000. */
  body_timeout_ms?: number;
  /** IP address every fake and the control server listen on; default `127.0.0.1`. */
  host?: string;
  /** Port of the control server; default 0 (any free port). */
  control_port?: number;
}

/** Where the fakes listen when the config does not say. */
export const DEFAULT_FAKES_HOST = '127.0.0.1';
