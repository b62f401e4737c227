/**
 * Behaviour modes: the zod schema of every mode a fake can be switched into, which fake kinds accept which
 * mode, the limits and the defaults. The harness validates scenarios with this schema and the fakes validate
 * the body of `PUT /fakes/:name/modes/:id` with it, so a mode one side accepts is one the other accepts.
 *
 * Every mode has `rate` in [0, 1] (fraction of matching requests, rolled per request with a PRNG seeded by run
 * seed + fake name + mode id) and optional `paths` (request paths it applies to; an entry ending in `*` is a
 * prefix; default: every path of the fake) and `when` (which of the matching requests: the nth, the first n, every
 * nth, or the first attempt of each SUT request; see {@link whenSchema}). Each field's `error` is the rule a fake's
 * 400 states for it.
 */
import { z } from 'zod';
import { toolCallModeSchemas } from './tool-call-modes.ts';
import { quotaModeSchema } from './fake-extensions.ts';

/** The kinds of fake a harness can start. */
export const FAKE_KINDS = ['model', 'retrieval', 'inventory', 'custom'] as const;
export type FakeKind = (typeof FAKE_KINDS)[number];

/** Limits the schema enforces (inclusive unless named otherwise). */
export const MODE_LIMITS = Object.freeze({
  /** `http_error.status`: an error status. */
  status_min: 400,
  status_max: 599,
  /** `http_error.retry_after_s`: one hour at most (a longer wait outlives any run window). */
  retry_after_s_max: 3600,
  /** Stream shaping delays and stall lengths (`chunk_delay_ms`, `resume_after_ms`, `keepalive_ms`): ten minutes at most. */
  stream_ms_max: 600_000,
  /** `body_size.bytes`: 64 MiB at most. */
  body_bytes_max: 64 * 1024 * 1024,
  /** `stream_length.chunks`: 100,000 at most. */
  stream_chunks_max: 100_000,
});

/** Where `http_error` puts the retry hint of `retry_after_s`. */
export const RETRY_HINTS = ['headers', 'retry-after', 'retry-after-ms', 'body'] as const;
export type RetryHint = (typeof RETRY_HINTS)[number];

/** How `stream_cut` ends the connection: the body's clean end (chunked terminator), or a TCP reset (RST). */
export const CUT_CLOSES = ['clean', 'reset'] as const;
export type CutClose = (typeof CUT_CLOSES)[number];

/** Where `wrong_citations` takes the ids it cites instead. */
export const CITATION_SOURCES = ['any', 'context', 'invented'] as const;
export type CitationSource = (typeof CITATION_SOURCES)[number];

/** Fields of an inventory product, in wire order. */
export const PRODUCT_FIELDS = ['sku', 'name', 'price', 'currency', 'stock', 'updated_at'] as const;
type ProductField = (typeof PRODUCT_FIELDS)[number];
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const optionalText = () => z.string({ error: 'must be a string' }).optional();
const chunkCount = () => z.number({ error: 'must be an integer >= 0' }).int().min(0);
const streamMs = (min: number) =>
  z
    .number({ error: `must be a number of milliseconds from ${min} to ${MODE_LIMITS.stream_ms_max}` })
    .min(min)
    .max(MODE_LIMITS.stream_ms_max);
const atLeastOne = () => z.number({ error: 'must be an integer >= 1' }).int().min(1);

/**
 * Count-based selection among the requests a mode matches (path, stream, kind), counted from when the mode was
 * set (so a fault window restarts the count): `nth` (only the nth), `first` (the first n), `every` (the nth,
 * 2nth, ...), or `once_per_request` (the first attempt of each SUT request on each path; its retries pass).
 * Attempts are correlated by the trace id the SUT forwards (`traceparent`, else `x-shakedown-sample-id`), else by
 * the request body's text. Exactly one field. `rate` still rolls among the requests selected.
 */
export const whenSchema = z
  .strictObject({
    nth: atLeastOne().optional(),
    first: atLeastOne().optional(),
    every: atLeastOne().optional(),
    once_per_request: z.literal(true, { error: 'must be true' }).optional(),
  })
  .refine((w) => Object.values(w).filter((v) => v !== undefined).length === 1, {
    error: 'must give exactly one of nth, first, every, once_per_request',
  });
export type ModeWhen = z.infer<typeof whenSchema>;
const PATHS_RULE = 'must be a non-empty array of paths starting with "/"';

/** The fields every mode has besides its own. */
const base = {
  /** Fraction of matching requests the mode applies to, in [0, 1]. */
  rate: z.number({ error: 'must be a number in [0, 1]' }).min(0).max(1),
  /** Request paths the mode applies to (`/v1/chat/completions`, `/v1/*`); default all. */
  paths: z
    .array(z.string({ error: PATHS_RULE }).startsWith('/', { error: PATHS_RULE }), { error: PATHS_RULE })
    .min(1, { error: PATHS_RULE })
    .optional(),
  /** Which of the matching requests, by count (see {@link whenSchema}); default every one. */
  when: whenSchema.optional(),
};

/** Answer with `status` and a provider-shaped body; 429 adds `retry-after(-ms)` and `x-ratelimit-*` when `retry_after_s` is set. */
export const httpErrorModeSchema = z.strictObject({
  kind: z.literal('http_error'),
  ...base,
  status: z
    .number({ error: `must be an integer from ${MODE_LIMITS.status_min} to ${MODE_LIMITS.status_max}` })
    .int()
    .min(MODE_LIMITS.status_min)
    .max(MODE_LIMITS.status_max),
  /** Seconds the client should wait (429/503), sent as `retry-after` (rounded up) and `retry-after-ms`. */
  retry_after_s: z
    .number({ error: `must be a number of seconds from 0 to ${MODE_LIMITS.retry_after_s_max}` })
    .min(0)
    .max(MODE_LIMITS.retry_after_s_max)
    .optional(),
  /** Provider error code, e.g. `rate_limit_exceeded`, `insufficient_quota`; default from the status. */
  code: optionalText(),
  /** Error message; default from the status and code. */
  message: optionalText(),
  /**
   * Where the wait of `retry_after_s` goes: `headers` (`retry-after` and `retry-after-ms`, the default), only
   * `retry-after`, only `retry-after-ms`, or `body` (no header: only the message's "Please try again in Ns.").
   */
  retry_hint: z.enum(RETRY_HINTS, { error: `must be one of ${RETRY_HINTS.join(', ')}` }).optional(),
});

/**
 * Streams only: send `after_chunks` content chunks, then send no data: for ever (until the client goes away), or
 * for `resume_after_ms` and then the rest of the stream; with `keepalive_ms`, an SSE comment `: ping` that often.
 */
export const streamStallModeSchema = z.strictObject({
  kind: z.literal('stream_stall'),
  ...base,
  after_chunks: chunkCount(),
  resume_after_ms: streamMs(0).optional(),
  keepalive_ms: streamMs(1).optional(),
});

/**
 * Streams only: send `after_chunks` content chunks (or `after_bytes` bytes of the body, wherever they fall), then
 * end the connection without `finish_reason` or `[DONE]`: `close` `clean` (the body ends, default) or `reset`
 * (TCP RST). Exactly one of `after_chunks`, `after_bytes`.
 */
export const streamCutModeSchema = z
  .strictObject({
    kind: z.literal('stream_cut'),
    ...base,
    after_chunks: chunkCount().optional(),
    after_bytes: chunkCount().optional(),
    close: z.enum(CUT_CLOSES, { error: `must be one of ${CUT_CLOSES.join(', ')}` }).optional(),
  })
  .refine((m) => (m.after_chunks === undefined) !== (m.after_bytes === undefined), {
    error: 'must be given, or after_bytes instead (exactly one of them)',
    path: ['after_chunks'],
  });

/** Streams only: `chunk_delay_ms` between events instead of the fake's own `chunk_delay_ms` (a slow drip). */
export const streamDripModeSchema = z.strictObject({ kind: z.literal('stream_drip'), ...base, chunk_delay_ms: streamMs(0) });

/**
 * Streams only: the answer streams in exactly `chunks` content chunks: cut (`finish_reason: "length"`) when
 * longer, the answer repeated when shorter.
 */
export const streamLengthModeSchema = z.strictObject({
  kind: z.literal('stream_length'),
  ...base,
  chunks: atLeastOne().max(MODE_LIMITS.stream_chunks_max),
});

/**
 * Streams only: the stream ends as usual but without its finish: chat completions send `[DONE]` with no chunk
 * carrying `finish_reason`; the Responses API ends without `response.completed`.
 */
export const streamNoFinishModeSchema = z.strictObject({ kind: z.literal('stream_no_finish'), ...base });

/**
 * Streams only: after `after_chunks` content chunks, an error event (chat: `data: {"error":{...}}`; Responses:
 * `event: error`), then the body ends. `message`, `type`, `code` default to a server error.
 */
export const streamErrorModeSchema = z.strictObject({
  kind: z.literal('stream_error'),
  ...base,
  after_chunks: chunkCount(),
  message: optionalText(),
  type: optionalText(),
  code: optionalText(),
});

/** Model answers (plain or streamed): the answer repeated until the response body is at least `bytes` bytes. */
export const bodySizeModeSchema = z.strictObject({
  kind: z.literal('body_size'),
  ...base,
  bytes: atLeastOne().max(MODE_LIMITS.body_bytes_max),
});

/** Retrieval returns version 1 of the documents it ranks; on inventory, an alias of `stale_values`. */
export const staleModeSchema = z.strictObject({ kind: z.literal('stale'), ...base });

/** Model: removes `count` (default 1) of the answer's sentences (chosen by the seed), always keeping at least one. */
export const dropFactsModeSchema = z.strictObject({
  kind: z.literal('drop_facts'),
  ...base,
  count: z.number({ error: 'must be an integer >= 1' }).int().min(1).optional(),
});

/** Model: changes every number of the answer outside its citations (`14` → `15`, `$4.99` → `$5.49`), by the seed. */
export const perturbNumbersModeSchema = z.strictObject({ kind: z.literal('perturb_numbers'), ...base });

/**
 * Model: replaces each cited id: `context` (another context id; invented when there is none), `invented`
 * (`doc-001` → `doc-9xx`), or `any` (either, by the seed; the default).
 */
export const wrongCitationsModeSchema = z.strictObject({
  kind: z.literal('wrong_citations'),
  ...base,
  source: z.enum(CITATION_SOURCES, { error: `must be one of ${CITATION_SOURCES.join(', ')}` }).optional(),
});

/** Model: cuts the answer to `keep_ratio` (in (0, 1), default 0.5) of its words, `finish_reason: "length"`. */
export const truncateModeSchema = z.strictObject({
  kind: z.literal('truncate'),
  ...base,
  keep_ratio: z.number({ error: 'must be a number greater than 0 and less than 1' }).gt(0).lt(1).optional(),
});

/** Model: answers a refusal (`message`) instead of the answer, `finish_reason: "stop"`, citing nothing. */
export const refuseModeSchema = z.strictObject({
  kind: z.literal('refuse'),
  ...base,
  message: z.string({ error: 'must be a non-empty string' }).regex(/\S/, 'must not be blank').optional(),
});

/** Retrieval: `{"results": []}`. */
export const emptyModeSchema = z.strictObject({ kind: z.literal('empty'), ...base });

/** Retrieval: `k` current documents that do not match the query (picked by the seed), with the scores the real top-k had. */
export const irrelevantModeSchema = z.strictObject({ kind: z.literal('irrelevant'), ...base });

/** Retrieval: only the first `keep` (integer >= 0, default 1) of the ranked results. */
export const partialModeSchema = z.strictObject({
  kind: z.literal('partial'),
  ...base,
  keep: z.number({ error: 'must be an integer >= 0' }).int().min(0).optional(),
});

/** Inventory: renames field `field` (default `price`) of every product to `to` (default `unit_price`), keeping its place. */
export const schemaDriftModeSchema = z.strictObject({
  kind: z.literal('schema_drift'),
  ...base,
  field: z.enum(PRODUCT_FIELDS, { error: `must be one of ${PRODUCT_FIELDS.join(', ')}` }).optional(),
  to: z
    .string({ error: 'must be a field name matching [A-Za-z_][A-Za-z0-9_]{0,63}' })
    .regex(FIELD_NAME)
    .refine((v) => !(PRODUCT_FIELDS as readonly string[]).includes(v), `must not be a product field (${PRODUCT_FIELDS.join(', ')})`)
    .optional(),
});

/** Inventory: serves the dataset's stale price and stock. */
export const staleValuesModeSchema = z.strictObject({ kind: z.literal('stale_values'), ...base });

/** Any fake: status 200 with a provider-shaped error body `{"error":{message,type,param,code}}` instead of the answer. */
export const errorBodyModeSchema = z.strictObject({
  kind: z.literal('error_body'),
  ...base,
  message: optionalText(),
  type: optionalText(),
  code: optionalText(),
});

/** Tool-call faults (contract/tool-call-modes.ts). */
export const {
  toolArgsTruncated: toolArgsTruncatedModeSchema,
  toolArgsInvalid: toolArgsInvalidModeSchema,
  toolUnknown: toolUnknownModeSchema,
} = toolCallModeSchemas(base);

/** Every mode, discriminated by `kind`. */
export const fakeModeSchema = z.discriminatedUnion('kind', [
  httpErrorModeSchema,
  streamStallModeSchema,
  streamCutModeSchema,
  streamDripModeSchema,
  streamLengthModeSchema,
  streamNoFinishModeSchema,
  streamErrorModeSchema,
  bodySizeModeSchema,
  staleModeSchema,
  dropFactsModeSchema,
  perturbNumbersModeSchema,
  wrongCitationsModeSchema,
  truncateModeSchema,
  refuseModeSchema,
  emptyModeSchema,
  irrelevantModeSchema,
  partialModeSchema,
  schemaDriftModeSchema,
  staleValuesModeSchema,
  errorBodyModeSchema,
  toolArgsTruncatedModeSchema,
  toolArgsInvalidModeSchema,
  toolUnknownModeSchema,
  quotaModeSchema,
]);

export type FakeMode = z.infer<typeof fakeModeSchema>;
export type ModeKind = FakeMode['kind'];

/** A fault action that switches a mode of the fake behind the proxy. */
export interface ModeFault {
  kind: 'mode';
  mode: FakeMode;
}

export type HttpErrorMode = z.infer<typeof httpErrorModeSchema>;
export type StreamStallMode = z.infer<typeof streamStallModeSchema>;
export type StreamCutMode = z.infer<typeof streamCutModeSchema>;
export type StreamDripMode = z.infer<typeof streamDripModeSchema>;
export type StreamLengthMode = z.infer<typeof streamLengthModeSchema>;
export type StreamNoFinishMode = z.infer<typeof streamNoFinishModeSchema>;
export type StreamErrorMode = z.infer<typeof streamErrorModeSchema>;
export type BodySizeMode = z.infer<typeof bodySizeModeSchema>;
export type StaleMode = z.infer<typeof staleModeSchema>;
export type DropFactsMode = z.infer<typeof dropFactsModeSchema>;
export type PerturbNumbersMode = z.infer<typeof perturbNumbersModeSchema>;
export type WrongCitationsMode = z.infer<typeof wrongCitationsModeSchema>;
export type TruncateMode = z.infer<typeof truncateModeSchema>;
export type RefuseMode = z.infer<typeof refuseModeSchema>;
export type EmptyMode = z.infer<typeof emptyModeSchema>;
export type IrrelevantMode = z.infer<typeof irrelevantModeSchema>;
export type PartialMode = z.infer<typeof partialModeSchema>;
export type SchemaDriftMode = z.infer<typeof schemaDriftModeSchema>;
export type StaleValuesMode = z.infer<typeof staleValuesModeSchema>;
export type ErrorBodyMode = z.infer<typeof errorBodyModeSchema>;
export type ToolArgsTruncatedMode = z.infer<typeof toolArgsTruncatedModeSchema>;
export type ToolArgsInvalidMode = z.infer<typeof toolArgsInvalidModeSchema>;
export type ToolUnknownMode = z.infer<typeof toolUnknownModeSchema>;

/** The mode kinds, in the schema's order. */
export const MODE_KINDS: readonly ModeKind[] = fakeModeSchema.options.map((o) => o.shape.kind.value);

/** Which fake kinds accept each mode kind. */
export const MODE_APPLIES_TO: Readonly<Record<ModeKind, readonly FakeKind[]>> = Object.freeze({
  http_error: ['model', 'retrieval', 'inventory', 'custom'],
  error_body: ['model', 'retrieval', 'inventory', 'custom'],
  quota: ['model'],
  stream_stall: ['model'],
  stream_cut: ['model'],
  stream_drip: ['model'],
  stream_length: ['model'],
  stream_no_finish: ['model'],
  stream_error: ['model'],
  body_size: ['model'],
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
  tool_args_truncated: ['model'],
  tool_args_invalid: ['model'],
  tool_unknown: ['model'],
});

/** Mode kinds that only ever apply to streaming requests. */
export const STREAM_ONLY_MODES: readonly ModeKind[] = [
  'stream_stall',
  'stream_cut',
  'stream_drip',
  'stream_length',
  'stream_no_finish',
  'stream_error',
];

/** Mode kinds that replace the whole response, on every path of a fake; the others change one endpoint's answer. */
export const RESPONSE_MODES: readonly ModeKind[] = ['http_error', 'error_body'];

/** Defaults: `rate` of the factories, `retry_after_s` of `rateLimit`, and the optional fields the fakes fill in. */
export const MODE_DEFAULTS = Object.freeze({
  rate: 1,
  rate_limit: Object.freeze({ status: 429, retry_after_s: 1, code: 'rate_limit_exceeded' }),
  drop_facts: Object.freeze({ count: 1 }),
  wrong_citations: Object.freeze({ source: 'any' as CitationSource }),
  truncate: Object.freeze({ keep_ratio: 0.5 }),
  refuse: Object.freeze({ message: "I'm sorry, but I can't help with that." }),
  partial: Object.freeze({ keep: 1 }),
  schema_drift: Object.freeze({ field: 'price' as ProductField, to: 'unit_price' }),
  error_body: Object.freeze({ message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error' }),
  http_error: Object.freeze({ retry_hint: 'headers' as RetryHint }),
  stream_cut: Object.freeze({ close: 'clean' as CutClose }),
  stream_error: Object.freeze({
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
  }),
});

/** True when `path` is selected by the mode's `paths` (exact match, or prefix for entries ending in `*`). */
export function modeMatchesPath(mode: FakeMode, path: string): boolean {
  if (!mode.paths) return true;
  return mode.paths.some((p) => (p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : path === p));
}
