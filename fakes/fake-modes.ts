/**
 * Behaviour modes: plain data switched on a running fake through the control API.
 *
 * Every mode has `rate` in [0, 1] (fraction of matching requests, rolled per request with a PRNG seeded by
 * run seed + fake name + mode id) and optional `paths` (request paths it applies to; an entry ending in `*`
 * is a prefix; default: every path of the fake).
 */

/** The kinds of fake a harness can start. */
export const FAKE_KINDS = ['model', 'retrieval', 'inventory'] as const;
export type FakeKind = (typeof FAKE_KINDS)[number];

interface ModeBase {
  /** Fraction of matching requests the mode applies to, in [0, 1]. */
  rate: number;
  /** Request paths the mode applies to (`/v1/chat/completions`, `/v1/*`); default all. */
  paths?: string[];
}

/** Answer with `status` and a provider-shaped body; 429 adds `retry-after(-ms)` and `x-ratelimit-*` when `retry_after_s` is set. */
export interface HttpErrorMode extends ModeBase {
  kind: 'http_error';
  /** HTTP status, 400-599. */
  status: number;
  /** Seconds the client should wait (429/503), sent as `retry-after` (rounded up) and `retry-after-ms`. */
  retry_after_s?: number;
  /** Provider error code, e.g. `rate_limit_exceeded`, `insufficient_quota`; default from the status. */
  code?: string;
  /** Error message; default from the status and code. */
  message?: string;
}

/** Streams only: send `after_chunks` content chunks, then hold the connection open sending nothing. */
export interface StreamStallMode extends ModeBase {
  kind: 'stream_stall';
  after_chunks: number;
}

/** Streams only: send `after_chunks` content chunks, then end the response without `finish_reason` or `[DONE]`. */
export interface StreamCutMode extends ModeBase {
  kind: 'stream_cut';
  after_chunks: number;
}

/** Retrieval returns version 1 of the documents it ranks; on inventory, an alias of `stale_values`. */
export interface StaleMode extends ModeBase {
  kind: 'stale';
}

/** Model: removes `count` of the answer's sentences (chosen by the seed), always keeping at least one. */
export interface DropFactsMode extends ModeBase {
  kind: 'drop_facts';
  /** Sentences to remove, integer >= 1; default 1. An answer of one sentence is left whole. */
  count?: number;
}

/** Model: changes every number of the answer outside its citations (`14` → `15`, `$4.99` → `$5.49`), by the seed. */
export interface PerturbNumbersMode extends ModeBase {
  kind: 'perturb_numbers';
}

/** Where `wrong_citations` takes the ids it cites instead. */
export const CITATION_SOURCES = ['any', 'context', 'invented'] as const;
export type CitationSource = (typeof CITATION_SOURCES)[number];

/** Model: replaces each cited id with another id of the prompt's context or a plausible one that does not exist. */
export interface WrongCitationsMode extends ModeBase {
  kind: 'wrong_citations';
  /** `context` (another context id; invented when there is none), `invented` (`doc-001` → `doc-9xx`), or `any` (either, by the seed); default `any`. */
  source?: CitationSource;
}

/** Model: cuts the answer to `keep_ratio` of its words and ends it with `finish_reason: "length"`. */
export interface TruncateMode extends ModeBase {
  kind: 'truncate';
  /** Share of the answer's words kept, in (0, 1); default 0.5 (at least one word kept, at least one cut). */
  keep_ratio?: number;
}

/** Model: answers a refusal instead of the answer, `finish_reason: "stop"`, citing nothing. */
export interface RefuseMode extends ModeBase {
  kind: 'refuse';
  /** The refusal text; default "I'm sorry, but I can't help with that." */
  message?: string;
}

/** Retrieval: `{"results": []}`. */
export interface EmptyMode extends ModeBase {
  kind: 'empty';
}

/** Retrieval: `k` current documents that do not match the query (picked by the seed), with the scores the real top-k had. */
export interface IrrelevantMode extends ModeBase {
  kind: 'irrelevant';
}

/** Retrieval: only the first `keep` of the ranked results. */
export interface PartialMode extends ModeBase {
  kind: 'partial';
  /** Results kept, integer >= 0; default 1. */
  keep?: number;
}

/** Fields of an inventory product, in wire order. */
export const PRODUCT_FIELDS = ['sku', 'name', 'price', 'currency', 'stock', 'updated_at'] as const;

/** Inventory: renames field `field` of every product to `to`, keeping its place. */
export interface SchemaDriftMode extends ModeBase {
  kind: 'schema_drift';
  /** A product field (`sku`, `name`, `price`, `currency`, `stock`, `updated_at`); default `price`. */
  field?: string;
  /** Its new name, `[A-Za-z_][A-Za-z0-9_]{0,63}`, not another product field; default `unit_price`. */
  to?: string;
}

/** Inventory: serves the dataset's stale price and stock (the documented name of inventory's `stale`). */
export interface StaleValuesMode extends ModeBase {
  kind: 'stale_values';
}

/** Any fake: status 200 with a provider-shaped error body `{"error":{message,type,param,code}}` instead of the answer. */
export interface ErrorBodyMode extends ModeBase {
  kind: 'error_body';
  /** Default "The server had an error while processing your request. Sorry about that!". */
  message?: string;
  /** Default `server_error`. */
  type?: string;
  /** Default null. */
  code?: string;
}

export type FakeMode =
  | HttpErrorMode
  | StreamStallMode
  | StreamCutMode
  | StaleMode
  | DropFactsMode
  | PerturbNumbersMode
  | WrongCitationsMode
  | TruncateMode
  | RefuseMode
  | EmptyMode
  | IrrelevantMode
  | PartialMode
  | SchemaDriftMode
  | StaleValuesMode
  | ErrorBodyMode;
export type ModeKind = FakeMode['kind'];

/** Which fake kinds accept each mode kind. */
export const MODE_APPLIES_TO: Readonly<Record<ModeKind, readonly FakeKind[]>> = Object.freeze({
  http_error: ['model', 'retrieval', 'inventory'],
  error_body: ['model', 'retrieval', 'inventory'],
  stream_stall: ['model'],
  stream_cut: ['model'],
  drop_facts: ['model'],
  perturb_numbers: ['model'],
  wrong_citations: ['model'],
  truncate: ['model'],
  refuse: ['model'],
  stale: ['retrieval', 'inventory'],
  empty: ['retrieval'],
  irrelevant: ['retrieval'],
  partial: ['retrieval'],
  schema_drift: ['inventory'],
  stale_values: ['inventory'],
});

/** Mode kinds that only ever apply to streaming requests. */
export const STREAM_ONLY_MODES: readonly ModeKind[] = ['stream_stall', 'stream_cut'];

/** Mode kinds that replace the whole response, on every path of a fake; the others change one endpoint's answer. */
export const RESPONSE_MODES: readonly ModeKind[] = ['http_error', 'error_body'];

/** Defaults of the modes' optional options. */
export const MODE_DEFAULTS = Object.freeze({
  drop_facts: Object.freeze({ count: 1 }),
  wrong_citations: Object.freeze({ source: 'any' as CitationSource }),
  truncate: Object.freeze({ keep_ratio: 0.5 }),
  refuse: Object.freeze({ message: "I'm sorry, but I can't help with that." }),
  partial: Object.freeze({ keep: 1 }),
  schema_drift: Object.freeze({ field: 'price', to: 'unit_price' }),
  error_body: Object.freeze({ message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error' }),
});

/** True when `path` is selected by the mode's `paths` (exact match, or prefix for entries ending in `*`). */
export function modeMatchesPath(mode: FakeMode, path: string): boolean {
  if (!mode.paths) return true;
  return mode.paths.some((p) => (p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : path === p));
}

/** Builds modes as plain data, e.g. `mode.httpError({ rate: 1, status: 429, retry_after_s: 2 })`. */
export const mode = Object.freeze({
  httpError: (m: Omit<HttpErrorMode, 'kind'>): HttpErrorMode => ({ kind: 'http_error', ...m }),
  streamStall: (m: Omit<StreamStallMode, 'kind'>): StreamStallMode => ({ kind: 'stream_stall', ...m }),
  streamCut: (m: Omit<StreamCutMode, 'kind'>): StreamCutMode => ({ kind: 'stream_cut', ...m }),
  stale: (m: Omit<StaleMode, 'kind'>): StaleMode => ({ kind: 'stale', ...m }),
  dropFacts: (m: Omit<DropFactsMode, 'kind'>): DropFactsMode => ({ kind: 'drop_facts', ...m }),
  perturbNumbers: (m: Omit<PerturbNumbersMode, 'kind'>): PerturbNumbersMode => ({ kind: 'perturb_numbers', ...m }),
  wrongCitations: (m: Omit<WrongCitationsMode, 'kind'>): WrongCitationsMode => ({ kind: 'wrong_citations', ...m }),
  truncate: (m: Omit<TruncateMode, 'kind'>): TruncateMode => ({ kind: 'truncate', ...m }),
  refuse: (m: Omit<RefuseMode, 'kind'>): RefuseMode => ({ kind: 'refuse', ...m }),
  empty: (m: Omit<EmptyMode, 'kind'>): EmptyMode => ({ kind: 'empty', ...m }),
  irrelevant: (m: Omit<IrrelevantMode, 'kind'>): IrrelevantMode => ({ kind: 'irrelevant', ...m }),
  partial: (m: Omit<PartialMode, 'kind'>): PartialMode => ({ kind: 'partial', ...m }),
  schemaDrift: (m: Omit<SchemaDriftMode, 'kind'>): SchemaDriftMode => ({ kind: 'schema_drift', ...m }),
  staleValues: (m: Omit<StaleValuesMode, 'kind'>): StaleValuesMode => ({ kind: 'stale_values', ...m }),
  errorBody: (m: Omit<ErrorBodyMode, 'kind'>): ErrorBodyMode => ({ kind: 'error_body', ...m }),
});
