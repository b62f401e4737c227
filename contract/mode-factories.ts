/**
 * The user-facing mode factories (`mode.httpError({ status: 503 })`, `mode.rateLimit()`, ...): camelCase options
 * in, a fault action holding the wire mode (snake_case, as the fakes' control API takes it) out. Plain data, so
 * it can be validated, printed and stored. `rate` is the fraction of requests affected, 0..1 (default 1).
 */
import { type CitationSource, type FakeMode, MODE_DEFAULTS } from './modes.ts';
import { reportingUnknownOptions } from './unknown-options.ts';
import { quotaMode } from './quota-mode-factory.ts';

/** A fault action that switches a mode of the fake behind the proxy. */
export interface ModeFault {
  kind: 'mode';
  mode: FakeMode;
}

/** The optional fields of a mode, in wire names, with the undefined ones left out. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const modeFault = (mode: FakeMode): ModeFault => ({ kind: 'mode', mode });
const rateOf = (o: { rate?: number }): number => o.rate ?? MODE_DEFAULTS.rate;

/** Behaviour-mode factories, one per line of README's fault catalogue. */
export const mode = reportingUnknownOptions('mode', {
  /** The fake answers `status` with a provider-shaped error body (`{"error":{message,type,param,code}}`). */
  httpError: (o: { status: number; rate?: number; code?: string; message?: string; retryAfter?: number }): ModeFault =>
    modeFault({
      kind: 'http_error',
      rate: rateOf(o),
      status: o.status,
      ...defined({ retry_after_s: o.retryAfter, code: o.code, message: o.message }),
    }),
  /** 429 `rate_limit_exceeded` with `retry-after: retryAfter` seconds (default 1) on a share of requests. */
  rateLimit: (o: { rate?: number; retryAfter?: number } = {}): ModeFault =>
    modeFault({
      kind: 'http_error',
      rate: rateOf(o),
      status: MODE_DEFAULTS.rate_limit.status,
      retry_after_s: o.retryAfter ?? MODE_DEFAULTS.rate_limit.retry_after_s,
      code: MODE_DEFAULTS.rate_limit.code,
    }),
  /** A streamed completion sends `afterChunks` chunks, then holds the connection open with no bytes. */
  streamStall: (o: { afterChunks: number; rate?: number }): ModeFault =>
    modeFault({ kind: 'stream_stall', rate: rateOf(o), after_chunks: o.afterChunks }),
  /** A streamed completion ends after `afterChunks` chunks without `finish_reason` or `[DONE]`. */
  streamCut: (o: { afterChunks: number; rate?: number }): ModeFault =>
    modeFault({ kind: 'stream_cut', rate: rateOf(o), after_chunks: o.afterChunks }),
  /** Retrieval answers with the superseded version of each document (inventory: its stale price and stock). */
  stale: (o: { rate?: number } = {}): ModeFault => modeFault({ kind: 'stale', rate: rateOf(o) }),
  /** The model's answer loses `count` of its sentences (default 1, chosen by the seed); at least one stays. */
  dropFacts: (o: { rate?: number; count?: number } = {}): ModeFault =>
    modeFault({ kind: 'drop_facts', rate: rateOf(o), ...defined({ count: o.count }) }),
  /** Every number of the model's answer outside its citations changes by a seeded step (`14` → `15`, `4.99` → `5.49`). */
  perturbNumbers: (o: { rate?: number } = {}): ModeFault => modeFault({ kind: 'perturb_numbers', rate: rateOf(o) }),
  /** The model cites other ids: from the prompt's context (`context`), invented ones (`invented`), or either (`any`, default). */
  wrongCitations: (o: { rate?: number; source?: CitationSource } = {}): ModeFault =>
    modeFault({ kind: 'wrong_citations', rate: rateOf(o), ...defined({ source: o.source }) }),
  /** The model's answer is cut to `keepRatio` of its words (default 0.5) with `finish_reason: "length"`. */
  truncate: (o: { rate?: number; keepRatio?: number } = {}): ModeFault =>
    modeFault({ kind: 'truncate', rate: rateOf(o), ...defined({ keep_ratio: o.keepRatio }) }),
  /** The model answers a refusal (default "I'm sorry, but I can't help with that.") with `finish_reason: "stop"`. */
  refuse: (o: { rate?: number; message?: string } = {}): ModeFault =>
    modeFault({ kind: 'refuse', rate: rateOf(o), ...defined({ message: o.message }) }),
  /** Retrieval returns no results. */
  empty: (o: { rate?: number } = {}): ModeFault => modeFault({ kind: 'empty', rate: rateOf(o) }),
  /** Retrieval returns k documents that do not match the query (seeded), scored like the real top k. */
  irrelevant: (o: { rate?: number } = {}): ModeFault => modeFault({ kind: 'irrelevant', rate: rateOf(o) }),
  /** Retrieval returns only the first `keep` ranked results (default 1). */
  partial: (o: { rate?: number; keep?: number } = {}): ModeFault =>
    modeFault({ kind: 'partial', rate: rateOf(o), ...defined({ keep: o.keep }) }),
  /** The API renames product field `field` (default `price`) to `to` (default `unit_price`). */
  schemaDrift: (o: { rate?: number; field?: string; to?: string } = {}): ModeFault =>
    // `field` is checked by the schema (it names a product field); a wrong one is reported, not typed away here.
    modeFault({ kind: 'schema_drift', rate: rateOf(o), ...defined({ field: o.field as 'price' | undefined, to: o.to }) }),
  /** The API serves the dataset's stale price and stock. */
  staleValues: (o: { rate?: number } = {}): ModeFault => modeFault({ kind: 'stale_values', rate: rateOf(o) }),
  /** The fake answers 200 with a provider-shaped error body `{"error":{message,type,param,code}}` instead of its answer. */
  errorBody: (o: { rate?: number; message?: string; type?: string; code?: string } = {}): ModeFault =>
    modeFault({ kind: 'error_body', rate: rateOf(o), ...defined({ message: o.message, type: o.type, code: o.code }) }),
  /** Model: per-key quotas of `rpm` requests and `tpm` tokens per `windowMs` (default a minute), counted from the fault's start. */
  quota: quotaMode,
});
