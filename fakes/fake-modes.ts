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

/** Retrieval returns version 1 of the documents it ranks; inventory returns the stale price and stock. */
export interface StaleMode extends ModeBase {
  kind: 'stale';
}

export type FakeMode = HttpErrorMode | StreamStallMode | StreamCutMode | StaleMode;
export type ModeKind = FakeMode['kind'];

/** Which fake kinds accept each mode kind. */
export const MODE_APPLIES_TO: Readonly<Record<ModeKind, readonly FakeKind[]>> = Object.freeze({
  http_error: ['model', 'retrieval', 'inventory'],
  stream_stall: ['model'],
  stream_cut: ['model'],
  stale: ['retrieval', 'inventory'],
});

/** Mode kinds that only ever apply to streaming requests. */
export const STREAM_ONLY_MODES: readonly ModeKind[] = ['stream_stall', 'stream_cut'];

/** Result of validating a mode: the mode, or every problem found (`rate must be a number in [0, 1]`). */
export type ModeValidation = { ok: true; mode: FakeMode } | { ok: false; problems: string[]; notApplicable?: boolean };

const MODE_KINDS = Object.keys(MODE_APPLIES_TO) as ModeKind[];
const MODE_FIELDS: Record<ModeKind, string[]> = {
  http_error: ['status', 'retry_after_s', 'code', 'message'],
  stream_stall: ['after_chunks'],
  stream_cut: ['after_chunks'],
  stale: [],
};

/**
 * Validates an untrusted mode for a fake of `fakeKind`; never mutates the input.
 * A kind that does not apply to the fake is reported with `notApplicable: true`.
 */
export function validateMode(value: unknown, fakeKind: FakeKind): ModeValidation {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problems: ['mode must be a JSON object with a "kind"'] };
  }
  const input = value as Record<string, unknown>;
  const kind = input.kind;
  if (typeof kind !== 'string' || !(MODE_KINDS as string[]).includes(kind)) {
    return { ok: false, problems: [`kind must be one of ${MODE_KINDS.join(', ')}`] };
  }
  const modeKind = kind as ModeKind;
  if (!MODE_APPLIES_TO[modeKind].includes(fakeKind)) {
    const kinds = MODE_APPLIES_TO[modeKind].join(', ');
    return {
      ok: false,
      notApplicable: true,
      problems: [`mode kind "${modeKind}" does not apply to a ${fakeKind} fake; it applies to: ${kinds}`],
    };
  }
  const problems: string[] = [];
  const known = ['kind', 'rate', 'paths', ...MODE_FIELDS[modeKind]];
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) problems.push(`${key} is not a field of a ${modeKind} mode (fields: ${known.join(', ')})`);
  }
  const rate = input.rate;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) problems.push('rate must be a number in [0, 1]');
  const paths = input.paths;
  if (paths !== undefined && (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p.startsWith('/')))) {
    problems.push('paths must be an array of paths starting with "/"');
  }
  const base = { rate: rate as number, ...(paths === undefined ? {} : { paths: [...(paths as string[])] }) };
  let mode: FakeMode;
  if (modeKind === 'http_error') {
    const { status, retry_after_s, code, message } = input;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
      problems.push('status must be an integer from 400 to 599');
    }
    if (retry_after_s !== undefined && (typeof retry_after_s !== 'number' || !(retry_after_s >= 0 && retry_after_s <= 3600))) {
      problems.push('retry_after_s must be a number of seconds from 0 to 3600');
    }
    if (code !== undefined && typeof code !== 'string') problems.push('code must be a string');
    if (message !== undefined && typeof message !== 'string') problems.push('message must be a string');
    mode = {
      kind: 'http_error',
      ...base,
      status: status as number,
      ...(retry_after_s === undefined ? {} : { retry_after_s: retry_after_s as number }),
      ...(code === undefined ? {} : { code: code as string }),
      ...(message === undefined ? {} : { message: message as string }),
    };
  } else if (modeKind === 'stream_stall' || modeKind === 'stream_cut') {
    const after = input.after_chunks;
    if (typeof after !== 'number' || !Number.isInteger(after) || after < 0) {
      problems.push('after_chunks must be an integer >= 0');
    }
    mode = { kind: modeKind, ...base, after_chunks: after as number };
  } else {
    mode = { kind: 'stale', ...base };
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, mode };
}

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
});
