/**
 * The user-facing mode factories (`mode.httpError({ status: 503 })`, `mode.rateLimit()`, ...): camelCase options
 * in, a fault action holding the wire mode (snake_case, as the fakes' control API takes it) out. Plain data, so
 * it can be validated, printed and stored. Every factory also takes the targeting options ({@link ModeTargeting}):
 * `rate` (fraction of requests affected, 0..1, default 1), `paths` and `when`.
 */
import {
  type CitationSource,
  type CutClose,
  type FakeMode,
  MODE_DEFAULTS,
  type ModeFault,
  type ModeWhen,
  type RetryHint,
} from './modes.ts';
import { toolCallModeFactories } from './tool-call-mode-factories.ts';
import { reportingUnknownOptions } from './unknown-options.ts';
import { quotaMode } from './quota-mode-factory.ts';

/** The optional fields of a mode, in wire names, with the undefined ones left out. */
function defined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const modeFault = (mode: FakeMode): ModeFault => ({ kind: 'mode', mode });

/** Count-based selection (`when`), camelCase: exactly one of the fields. */
export interface WhenOptions {
  /** Only the nth matching request (1-based) since the mode was set. */
  nth?: number;
  /** The first n matching requests. */
  first?: number;
  /** Every nth matching request (the nth, 2nth, ...). */
  every?: number;
  /** The first attempt of each SUT request (by trace id, else body text) on each path; its retries pass. */
  oncePerRequest?: true;
}

/** Which requests a mode hits; every mode factory takes these. */
export interface ModeTargeting {
  /** Fraction of the selected requests affected, 0..1 (rolled per request with the seed). Default 1. */
  rate?: number;
  /** Request paths the mode applies to (`/v1/embeddings`; `/v1/*` is a prefix). Default every path of the fake. */
  paths?: string[];
  /** Count-based selection among matching requests, counted from when the fault starts. Default every request. */
  when?: WhenOptions;
}

/** `when` in wire names; fields it does not know are kept, so validation reports them. */
function whenOf(when: WhenOptions | undefined): ModeWhen | undefined {
  if (when === null || typeof when !== 'object' || Array.isArray(when)) return when;
  const { oncePerRequest, ...rest } = when;
  return { ...rest, ...defined({ once_per_request: oncePerRequest }) } as ModeWhen;
}

/** `rate`, `paths` and `when` of a mode, from the factory's options. */
const targeting = (o: ModeTargeting) => ({ rate: o.rate ?? MODE_DEFAULTS.rate, ...defined({ paths: o.paths, when: whenOf(o.when) }) });

/** Behaviour-mode factories, one per line of README's fault catalogue. */
export const mode = reportingUnknownOptions('mode', {
  /**
   * The fake answers `status` with the provider's error body for it (`{"error":{message,type,param,code}}`; 529:
   * Anthropic's `overloaded_error`). `retryAfter` (seconds, fractions allowed) goes where `retryHint` says:
   * `headers` (`retry-after` and `retry-after-ms`, default), `retry-after`, `retry-after-ms`, or `body` (message only).
   */
  httpError: (
    o: ModeTargeting & { status: number; code?: string; message?: string; retryAfter?: number; retryHint?: RetryHint },
  ): ModeFault =>
    modeFault({
      kind: 'http_error',
      ...targeting(o),
      status: o.status,
      ...defined({ retry_after_s: o.retryAfter, code: o.code, message: o.message, retry_hint: o.retryHint }),
    }),
  /** 429 `rate_limit_exceeded` with a wait of `retryAfter` seconds (default 1), where `retryHint` says (default both headers). */
  rateLimit: (o: ModeTargeting & { retryAfter?: number; retryHint?: RetryHint } = {}): ModeFault =>
    modeFault({
      kind: 'http_error',
      ...targeting(o),
      status: MODE_DEFAULTS.rate_limit.status,
      retry_after_s: o.retryAfter ?? MODE_DEFAULTS.rate_limit.retry_after_s,
      code: MODE_DEFAULTS.rate_limit.code,
      ...defined({ retry_hint: o.retryHint }),
    }),
  /**
   * A stream sends `afterChunks` content chunks, then no data: until the client goes away, or for `resumeAfterMs`
   * and then the rest; with `keepaliveMs`, an SSE comment `: ping` that often while it stalls.
   */
  streamStall: (o: ModeTargeting & { afterChunks: number; resumeAfterMs?: number; keepaliveMs?: number }): ModeFault =>
    modeFault({
      kind: 'stream_stall',
      ...targeting(o),
      after_chunks: o.afterChunks,
      ...defined({ resume_after_ms: o.resumeAfterMs, keepalive_ms: o.keepaliveMs }),
    }),
  /**
   * A stream ends after `afterChunks` content chunks (or `afterBytes` bytes of the body) without `finish_reason`
   * or `[DONE]`: the body ends cleanly (`close: 'clean'`, default) or the connection is reset (`'reset'`).
   */
  streamCut: (o: ModeTargeting & { afterChunks?: number; afterBytes?: number; close?: CutClose }): ModeFault =>
    modeFault({
      kind: 'stream_cut',
      ...targeting(o),
      ...defined({ after_chunks: o.afterChunks, after_bytes: o.afterBytes, close: o.close }),
    }),
  /** A stream sends its events `chunkDelayMs` apart (a slow drip) instead of the fake's own pace. */
  streamDrip: (o: ModeTargeting & { chunkDelayMs: number }): ModeFault =>
    modeFault({ kind: 'stream_drip', ...targeting(o), chunk_delay_ms: o.chunkDelayMs }),
  /** A stream carries exactly `chunks` content chunks (cut with `finish_reason: "length"`, or the answer repeated). */
  streamLength: (o: ModeTargeting & { chunks: number }): ModeFault =>
    modeFault({ kind: 'stream_length', ...targeting(o), chunks: o.chunks }),
  /** A stream ends with `[DONE]` but no chunk with `finish_reason` (Responses API: no `response.completed`). */
  streamNoFinish: (o: ModeTargeting = {}): ModeFault => modeFault({ kind: 'stream_no_finish', ...targeting(o) }),
  /** A stream sends an error event after `afterChunks` content chunks, then ends. */
  streamError: (o: ModeTargeting & { afterChunks: number; message?: string; type?: string; code?: string }): ModeFault =>
    modeFault({
      kind: 'stream_error',
      ...targeting(o),
      after_chunks: o.afterChunks,
      ...defined({ message: o.message, type: o.type, code: o.code }),
    }),
  /** The model's answer is repeated until the response body is at least `bytes` bytes (plain or streamed). */
  bodySize: (o: ModeTargeting & { bytes: number }): ModeFault => modeFault({ kind: 'body_size', ...targeting(o), bytes: o.bytes }),
  /** Retrieval answers with the superseded version of each document (inventory: its stale price and stock). */
  stale: (o: ModeTargeting = {}): ModeFault => modeFault({ kind: 'stale', ...targeting(o) }),
  /** The model's answer loses `count` of its sentences (default 1, chosen by the seed); at least one stays. */
  dropFacts: (o: ModeTargeting & { count?: number } = {}): ModeFault =>
    modeFault({ kind: 'drop_facts', ...targeting(o), ...defined({ count: o.count }) }),
  /** Every number of the model's answer outside its citations changes by a seeded step (`14` → `15`, `4.99` → `5.49`). */
  perturbNumbers: (o: ModeTargeting = {}): ModeFault => modeFault({ kind: 'perturb_numbers', ...targeting(o) }),
  /** The model cites other ids: from the prompt's context (`context`), invented ones (`invented`), or either (`any`, default). */
  wrongCitations: (o: ModeTargeting & { source?: CitationSource } = {}): ModeFault =>
    modeFault({ kind: 'wrong_citations', ...targeting(o), ...defined({ source: o.source }) }),
  /** The model's answer is cut to `keepRatio` of its words (default 0.5) with `finish_reason: "length"`. */
  truncate: (o: ModeTargeting & { keepRatio?: number } = {}): ModeFault =>
    modeFault({ kind: 'truncate', ...targeting(o), ...defined({ keep_ratio: o.keepRatio }) }),
  /** The model answers a refusal (default "I'm sorry, but I can't help with that.") with `finish_reason: "stop"`. */
  refuse: (o: ModeTargeting & { message?: string } = {}): ModeFault =>
    modeFault({ kind: 'refuse', ...targeting(o), ...defined({ message: o.message }) }),
  /** Retrieval returns no results. */
  empty: (o: ModeTargeting = {}): ModeFault => modeFault({ kind: 'empty', ...targeting(o) }),
  /** Retrieval returns k documents that do not match the query (seeded), scored like the real top k. */
  irrelevant: (o: ModeTargeting = {}): ModeFault => modeFault({ kind: 'irrelevant', ...targeting(o) }),
  /** Retrieval returns only the first `keep` ranked results (default 1). */
  partial: (o: ModeTargeting & { keep?: number } = {}): ModeFault =>
    modeFault({ kind: 'partial', ...targeting(o), ...defined({ keep: o.keep }) }),
  /** The API renames product field `field` (default `price`) to `to` (default `unit_price`). */
  schemaDrift: (o: ModeTargeting & { field?: string; to?: string } = {}): ModeFault =>
    // `field` is checked by the schema (it names a product field); a wrong one is reported, not typed away here.
    modeFault({ kind: 'schema_drift', ...targeting(o), ...defined({ field: o.field as 'price' | undefined, to: o.to }) }),
  /** The API serves the dataset's stale price and stock. */
  staleValues: (o: ModeTargeting = {}): ModeFault => modeFault({ kind: 'stale_values', ...targeting(o) }),
  /** The fake answers 200 with a provider-shaped error body `{"error":{message,type,param,code}}` instead of its answer. */
  errorBody: (o: ModeTargeting & { message?: string; type?: string; code?: string } = {}): ModeFault =>
    modeFault({ kind: 'error_body', ...targeting(o), ...defined({ message: o.message, type: o.type, code: o.code }) }),
  ...toolCallModeFactories(targeting, defined),
  /** Model: per-key quotas of `rpm` requests and `tpm` tokens per `windowMs` (default a minute), counted from the fault's start. */
  quota: quotaMode,
});
