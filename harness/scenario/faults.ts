/**
 * Fault factories: plain data out, so a timeline can be validated, printed and stored.
 *
 * Network faults are real Toxiproxy toxics (names and attributes as the Toxiproxy 2.12 README lists them:
 * https://github.com/Shopify/toxiproxy#toxics), plus `down` (the proxy's `enabled: false`). Behaviour faults
 * switch a mode of the fake behind the proxy through the fakes' control API.
 */

export const TOXIC_TYPES = ['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data'] as const;
export type ToxicType = (typeof TOXIC_TYPES)[number];
export type ToxicStream = 'upstream' | 'downstream';

/** A Toxiproxy toxic. `stream` defaults to `downstream` (responses flowing back to the SUT); `toxicity` (0..1, default 1) is rolled once per connection by Toxiproxy, not per request. */
export interface ToxicFault {
  kind: 'toxic';
  type: ToxicType;
  stream: ToxicStream;
  toxicity: number;
  attributes: Record<string, number>;
}

/** The proxy refuses connections (`enabled: false`): the dependency is down. */
export interface DownFault {
  kind: 'down';
}

/** A behaviour mode of a fake, as the fakes' control API takes it (docs/architecture.md, "Modes"). */
export type FakeMode =
  | { kind: 'http_error'; rate: number; status: number; retry_after_s?: number; code?: string; message?: string }
  | { kind: 'stream_stall'; rate: number; after_chunks: number }
  | { kind: 'stream_cut'; rate: number; after_chunks: number }
  | { kind: 'stale'; rate: number }
  | { kind: 'drop_facts'; rate: number; count?: number }
  | { kind: 'perturb_numbers'; rate: number }
  | { kind: 'wrong_citations'; rate: number; source?: 'any' | 'context' | 'invented' }
  | { kind: 'truncate'; rate: number; keep_ratio?: number }
  | { kind: 'refuse'; rate: number; message?: string }
  | { kind: 'empty'; rate: number }
  | { kind: 'irrelevant'; rate: number }
  | { kind: 'partial'; rate: number; keep?: number }
  | { kind: 'schema_drift'; rate: number; field?: string; to?: string }
  | { kind: 'stale_values'; rate: number }
  | { kind: 'error_body'; rate: number; message?: string; type?: string; code?: string };

export interface ModeFault {
  kind: 'mode';
  mode: FakeMode;
}

export type FaultAction = ToxicFault | DownFault | ModeFault;

interface ToxicCommon {
  /** `upstream` (SUT → dependency) or `downstream` (dependency → SUT). Default `downstream`. */
  stream?: ToxicStream;
  /** Share of connections the toxic applies to, 0..1, rolled per connection. Default 1. */
  toxicity?: number;
}

function makeToxic(type: ToxicType, attributes: Record<string, number>, common: ToxicCommon): ToxicFault {
  return { kind: 'toxic', type, stream: common.stream ?? 'downstream', toxicity: common.toxicity ?? 1, attributes };
}

/**
 * Wraps option factories so an option they never read (a typo: `jiter`, `rat`, `retry_after`) is kept on the
 * fault object, where validation reports it as `faults[i].fault.jiter is not a known field` instead of the
 * fault silently running with its default. Which options a factory read is observed, not listed per factory.
 */
function reportingUnknownOptions<T extends Record<string, (...args: never[]) => object>>(group: string, factories: T): T {
  const wrapped: Record<string, (options?: object) => object> = {};
  for (const [name, build] of Object.entries(factories)) {
    wrapped[name] = (options?: object) => {
      // `toxic.latency(1000)`: validation could only say that an internal field is missing, so say it here (the
      // scenario loader reports the file and line).
      if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
        throw new TypeError(
          `${group}.${name}() takes an options object such as { ... } (see the fault catalogue in README.md), got ${JSON.stringify(options) ?? String(options)}`,
        );
      }
      if (options === undefined) return (build as (o?: object) => object)(options);
      const read = new Set<PropertyKey>();
      const tracked = new Proxy(options, {
        get: (target, key, receiver) => {
          read.add(key);
          return Reflect.get(target, key, receiver);
        },
      });
      const fault = (build as (o: object) => object)(tracked);
      const unknown = Object.entries(options).filter(([key]) => !read.has(key));
      return unknown.length ? { ...fault, ...Object.fromEntries(unknown) } : fault;
    };
  }
  return wrapped as unknown as T;
}

/** Toxic factories, one per Toxiproxy toxic type. Units follow Toxiproxy: ms, KB/s, bytes, µs. */
export const toxic = reportingUnknownOptions('toxic', {
  /** Adds `latency` ms (± `jitter` ms, default 0) to data passing through. */
  latency: (o: { latency: number; jitter?: number } & ToxicCommon): ToxicFault =>
    makeToxic('latency', { latency: o.latency, jitter: o.jitter ?? 0 }, o),
  /** Limits throughput to `rate` KB/s. */
  bandwidth: (o: { rate: number } & ToxicCommon): ToxicFault => makeToxic('bandwidth', { rate: o.rate }, o),
  /** Delays the TCP close by `delay` ms. */
  slowClose: (o: { delay: number } & ToxicCommon): ToxicFault => makeToxic('slow_close', { delay: o.delay }, o),
  /** Stops all data and closes the connection after `timeout` ms; 0 holds it open forever. */
  timeout: (o: { timeout: number } & ToxicCommon): ToxicFault => makeToxic('timeout', { timeout: o.timeout }, o),
  /** Resets the connection (TCP RST) after `timeout` ms (default 0: at once). */
  resetPeer: (o: { timeout?: number } & ToxicCommon = {}): ToxicFault => makeToxic('reset_peer', { timeout: o.timeout ?? 0 }, o),
  /** Slices data into packets of `averageSize` ± `sizeVariation` bytes with `delay` µs between them. */
  slicer: (o: { averageSize: number; sizeVariation?: number; delay?: number } & ToxicCommon): ToxicFault =>
    makeToxic('slicer', { average_size: o.averageSize, size_variation: o.sizeVariation ?? 0, delay: o.delay ?? 0 }, o),
  /** Closes the connection after `bytes` bytes have passed. */
  limitData: (o: { bytes: number } & ToxicCommon): ToxicFault => makeToxic('limit_data', { bytes: o.bytes }, o),
  /** The proxy is disabled: connections are refused for the fault window. */
  down: (): DownFault => ({ kind: 'down' }),
});

/** Behaviour-mode factories. `rate` is the fraction of requests affected, 0..1 (default 1), seeded by the run seed. */
export const mode = reportingUnknownOptions('mode', {
  /** The fake answers `status` with a provider-shaped error body (`{"error":{message,type,param,code}}`). */
  httpError: (o: { status: number; rate?: number; code?: string; message?: string; retryAfter?: number }): ModeFault => ({
    kind: 'mode',
    mode: {
      kind: 'http_error',
      rate: o.rate ?? 1,
      status: o.status,
      ...(o.retryAfter === undefined ? {} : { retry_after_s: o.retryAfter }),
      ...(o.code === undefined ? {} : { code: o.code }),
      ...(o.message === undefined ? {} : { message: o.message }),
    },
  }),
  /** 429 `rate_limit_exceeded` with `retry-after: retryAfter` seconds (default 1) on a share of requests. */
  rateLimit: (o: { rate?: number; retryAfter?: number } = {}): ModeFault => ({
    kind: 'mode',
    mode: { kind: 'http_error', rate: o.rate ?? 1, status: 429, retry_after_s: o.retryAfter ?? 1, code: 'rate_limit_exceeded' },
  }),
  /** A streamed completion sends `afterChunks` chunks, then holds the connection open with no bytes. */
  streamStall: (o: { afterChunks: number; rate?: number }): ModeFault => ({
    kind: 'mode',
    mode: { kind: 'stream_stall', rate: o.rate ?? 1, after_chunks: o.afterChunks },
  }),
  /** A streamed completion ends after `afterChunks` chunks without `finish_reason` or `[DONE]`. */
  streamCut: (o: { afterChunks: number; rate?: number }): ModeFault => ({
    kind: 'mode',
    mode: { kind: 'stream_cut', rate: o.rate ?? 1, after_chunks: o.afterChunks },
  }),
  /** Retrieval answers with the superseded version of each document. */
  stale: (o: { rate?: number } = {}): ModeFault => ({ kind: 'mode', mode: { kind: 'stale', rate: o.rate ?? 1 } }),
  /** The model's answer loses `count` of its sentences (default 1, chosen by the seed); at least one stays. */
  dropFacts: (o: { rate?: number; count?: number } = {}): ModeFault => ({
    kind: 'mode',
    mode: { kind: 'drop_facts', rate: o.rate ?? 1, ...(o.count === undefined ? {} : { count: o.count }) },
  }),
  /** Every number of the model's answer outside its citations changes by a seeded step (`14` → `15`, `4.99` → `5.49`). */
  perturbNumbers: (o: { rate?: number } = {}): ModeFault => ({ kind: 'mode', mode: { kind: 'perturb_numbers', rate: o.rate ?? 1 } }),
  /** The model cites other ids: from the prompt's context (`context`), invented ones (`invented`), or either (`any`, default). */
  wrongCitations: (o: { rate?: number; source?: 'any' | 'context' | 'invented' } = {}): ModeFault => ({
    kind: 'mode',
    mode: { kind: 'wrong_citations', rate: o.rate ?? 1, ...(o.source === undefined ? {} : { source: o.source }) },
  }),
  /** The model's answer is cut to `keepRatio` of its words (default 0.5) with `finish_reason: "length"`. */
  truncate: (o: { rate?: number; keepRatio?: number } = {}): ModeFault => ({
    kind: 'mode',
    mode: { kind: 'truncate', rate: o.rate ?? 1, ...(o.keepRatio === undefined ? {} : { keep_ratio: o.keepRatio }) },
  }),
  /** The model answers a refusal (default "I'm sorry, but I can't help with that.") with `finish_reason: "stop"`. */
  refuse: (o: { rate?: number; message?: string } = {}): ModeFault => ({
    kind: 'mode',
    mode: { kind: 'refuse', rate: o.rate ?? 1, ...(o.message === undefined ? {} : { message: o.message }) },
  }),
  /** Retrieval returns no results. */
  empty: (o: { rate?: number } = {}): ModeFault => ({ kind: 'mode', mode: { kind: 'empty', rate: o.rate ?? 1 } }),
  /** Retrieval returns k documents that do not match the query (seeded), scored like the real top k. */
  irrelevant: (o: { rate?: number } = {}): ModeFault => ({ kind: 'mode', mode: { kind: 'irrelevant', rate: o.rate ?? 1 } }),
  /** Retrieval returns only the first `keep` ranked results (default 1). */
  partial: (o: { rate?: number; keep?: number } = {}): ModeFault => ({
    kind: 'mode',
    mode: { kind: 'partial', rate: o.rate ?? 1, ...(o.keep === undefined ? {} : { keep: o.keep }) },
  }),
  /** The API renames product field `field` (default `price`) to `to` (default `unit_price`). */
  schemaDrift: (o: { rate?: number; field?: string; to?: string } = {}): ModeFault => ({
    kind: 'mode',
    mode: {
      kind: 'schema_drift',
      rate: o.rate ?? 1,
      ...(o.field === undefined ? {} : { field: o.field }),
      ...(o.to === undefined ? {} : { to: o.to }),
    },
  }),
  /** The API serves the dataset's stale price and stock. */
  staleValues: (o: { rate?: number } = {}): ModeFault => ({ kind: 'mode', mode: { kind: 'stale_values', rate: o.rate ?? 1 } }),
  /** The fake answers 200 with a provider-shaped error body `{"error":{message,type,param,code}}` instead of its answer. */
  errorBody: (o: { rate?: number; message?: string; type?: string; code?: string } = {}): ModeFault => ({
    kind: 'mode',
    mode: {
      kind: 'error_body',
      rate: o.rate ?? 1,
      ...(o.message === undefined ? {} : { message: o.message }),
      ...(o.type === undefined ? {} : { type: o.type }),
      ...(o.code === undefined ? {} : { code: o.code }),
    },
  }),
});

/** A short label for a fault action: `latency 2000±200ms`, `down`, `http_error 429 @30%`. */
export function describeFault(action: FaultAction): string {
  if (action.kind === 'down') return 'down';
  if (action.kind === 'toxic') {
    const a = action.attributes;
    const detail =
      action.type === 'latency'
        ? `${a.latency}${a.jitter ? `±${a.jitter}` : ''}ms`
        : action.type === 'bandwidth'
          ? `${a.rate}KB/s`
          : action.type === 'slow_close'
            ? `${a.delay}ms`
            : action.type === 'timeout' || action.type === 'reset_peer'
              ? `${a.timeout}ms`
              : action.type === 'limit_data'
                ? `${a.bytes}B`
                : `${a.average_size}B/${a.delay}µs`;
    const share = action.toxicity < 1 ? ` @${Math.round(action.toxicity * 100)}% of connections` : '';
    return `${action.type} ${detail} ${action.stream}${share}`;
  }
  const m = action.mode;
  const share = m.rate < 1 ? ` @${Math.round(m.rate * 100)}%` : '';
  if (m.kind === 'http_error')
    return `http_error ${m.status}${m.retry_after_s !== undefined ? ` retry-after ${m.retry_after_s}s` : ''}${share}`;
  if (m.kind === 'stream_stall' || m.kind === 'stream_cut') return `${m.kind} after ${m.after_chunks} chunks${share}`;
  return `${m.kind}${share}`;
}
