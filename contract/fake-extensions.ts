/**
 * What a user adds to a fake (issue 12, items 7 and 8): a stateful quota (`quota`, an option of the model fake and
 * the `quota` mode), fixtures that answer matching requests, and msw handlers from a module of the user's
 * (`handlers`), which also make a dependency of the user's own (`custom` fake kind). Pure: the harness checks a
 * scenario's fake options with `fakeExtensionProblems` when it loads, the fakes check their config with it too.
 */
import { z } from 'zod';

/** Bounds of a quota (inclusive). */
export const QUOTA_LIMITS = Object.freeze({
  /** `window_ms`: from 100 ms (fast tests) to one hour. */
  window_ms_min: 100,
  window_ms_max: 3_600_000,
  /** `rpm`, `tpm`: at most a billion per window. */
  count_max: 1_000_000_000,
});

/** The quota's window when `window_ms` is left out: one minute, as `rpm` and `tpm` say. */
export const DEFAULT_QUOTA_WINDOW_MS = 60_000;

const count = () =>
  z
    .number({ error: `must be an integer from 1 to ${QUOTA_LIMITS.count_max}` })
    .int()
    .min(1)
    .max(QUOTA_LIMITS.count_max)
    .optional();

/** The fields of a quota, shared by the `quota` option and the `quota` mode. */
const quotaFields = {
  /** Requests per window per API key. */
  rpm: count(),
  /** Tokens per window per API key (prompt + completion, counted as the fakes' `usage` counts them: see README). */
  tpm: count(),
  /** Length of the window, ms; default 60,000 (a minute). A shorter one scales the quota down for fast tests. */
  window_ms: z
    .number({ error: `must be milliseconds from ${QUOTA_LIMITS.window_ms_min} to ${QUOTA_LIMITS.window_ms_max}` })
    .int()
    .min(QUOTA_LIMITS.window_ms_min)
    .max(QUOTA_LIMITS.window_ms_max)
    .optional(),
};
const hasLimit = (q: { rpm?: number; tpm?: number }) => q.rpm !== undefined || q.tpm !== undefined;
const NEEDS_LIMIT = 'must set rpm, tpm or both';

/** The `quota` option of the model fake: per-key request and token quotas for the fake's whole life. */
export const quotaOptionSchema = z.strictObject(quotaFields).refine(hasLimit, NEEDS_LIMIT);
export type QuotaOptions = z.infer<typeof quotaOptionSchema>;

/**
 * The `quota` mode: the same quota applied for a fault window, counted from zero when the mode is set. `rate` is
 * always 1 (a quota counts every request of its `paths`; default every answering path of the model fake).
 */
export const quotaModeSchema = z
  .strictObject({
    kind: z.literal('quota'),
    rate: z.literal(1, { error: 'must be 1: a quota counts every request of its paths' }),
    paths: z.array(z.string().startsWith('/'), { error: 'must be an array of paths starting with "/"' }).optional(),
    /** A quota counts every request of its paths: no count-based selection. */
    when: z.never({ error: 'does not apply to a quota: it counts every request of its paths' }).optional(),
    ...quotaFields,
  })
  .refine(hasLimit, NEEDS_LIMIT);
export type QuotaMode = z.infer<typeof quotaModeSchema>;

/** What a fixture matches; every field given must match (an empty `match` matches every request). */
const fixtureMatch = z.strictObject({
  /** Request method, e.g. `POST`; default any. */
  method: z
    .string({ error: 'must be an HTTP method such as "POST"' })
    .regex(/^[A-Za-z]+$/, 'must be an HTTP method such as "POST"')
    .optional(),
  /** Request path: exact, or a prefix when it ends in `*`; default any. */
  path: z.string({ error: 'must be a path starting with "/"' }).startsWith('/', 'must be a path starting with "/"').optional(),
  /** The request body contains this text (case-sensitive). */
  bodyIncludes: z.string({ error: 'must be a string' }).min(1, 'must not be empty').optional(),
  /** Model fake: the last user message contains this text (case-insensitive). */
  userIncludes: z.string({ error: 'must be a string' }).min(1, 'must not be empty').optional(),
  /** Model fake: the request's `model` equals this. */
  model: z.string({ error: 'must be a string' }).optional(),
});

/** A response sent as given: `status` (default 200), JSON `body` (default none) and `headers`. */
const rawResponse = z.strictObject({
  status: z.number({ error: 'must be an integer from 200 to 599' }).int().min(200).max(599).optional(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string(), { error: 'must be an object of strings' }).optional(),
});

/**
 * Model fake: the answer's text; the fake sends it as a chat completion, a Responses API answer or a stream,
 * whichever was asked, and content faults (truncate, drop_facts, ...) apply to it as to its own answers.
 */
const contentResponse = z.strictObject({
  content: z.string({ error: 'must be a string' }).min(1, 'must not be empty'),
});

type FixtureResponse = z.infer<typeof contentResponse> | z.infer<typeof rawResponse>;

/** `{ content }` when the object has `content`, else the raw shape: each problem is reported against the shape meant. */
const fixtureResponse = z
  .custom<FixtureResponse>(() => true)
  .superRefine((value, ctx) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be { content } (a model answer) or { status?, body?, headers? } (sent as given)' });
      return;
    }
    const parsed = ('content' in value ? contentResponse : rawResponse).safeParse(value);
    if (parsed.success) return;
    for (const issue of parsed.error.issues)
      ctx.addIssue({
        code: 'custom',
        path: issue.path,
        message:
          issue.code === 'unrecognized_keys'
            ? `has unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}${'content' in value ? ' (a { content } response takes nothing else)' : ''}`
            : issue.message,
      });
  });

export const fixtureSchema = z.strictObject({ match: fixtureMatch, response: fixtureResponse });
export type Fixture = z.infer<typeof fixtureSchema>;
export type FixtureMatch = z.infer<typeof fixtureMatch>;

/** A module path: a `.ts`, `.js` or `.mjs` file whose default export is an array of msw handlers. */
const handlersPath = z
  .string({ error: 'must be the path of a module whose default export is an array of msw handlers' })
  .regex(/\.(ts|mts|js|mjs)$/, 'must be the path of a .ts, .mts, .js or .mjs module');

/** The options this file adds to every fake (`fixtures`, `handlers`) and to the model fake (`quota`). */
export const EXTENSION_OPTIONS = Object.freeze({
  quota: quotaOptionSchema,
  fixtures: z.array(fixtureSchema, { error: 'must be an array of { match, response }' }),
  handlers: handlersPath,
});
export type ExtensionOption = keyof typeof EXTENSION_OPTIONS;

/** Options of a `custom` fake: a dependency of the user's, served from their msw handlers. */
export interface CustomFakeOptions {
  /** Module whose default export is an array of msw handlers (resolved from the current directory). */
  handlers: string;
  /** Responses for matching requests, tried before the handlers. */
  fixtures?: Fixture[];
  /** Processing time before each response, ms; default 0. */
  latency_ms?: number;
}

/** Which extension options each fake kind takes. */
export const EXTENSIONS_OF: Readonly<Record<string, readonly ExtensionOption[]>> = Object.freeze({
  model: ['quota', 'fixtures', 'handlers'],
  retrieval: ['fixtures', 'handlers'],
  inventory: ['fixtures', 'handlers'],
  custom: ['fixtures', 'handlers'],
});

/**
 * Problems of one extension option (`where` is its path, e.g. `dependencies.model.options.quota`), each
 * `path.to.field must ...`; empty when it is valid.
 */
export function extensionOptionProblems(kind: string, key: ExtensionOption, value: unknown, where: string): string[] {
  const problems: string[] = [];
  if (key === 'fixtures' && kind !== 'model' && Array.isArray(value)) {
    value.forEach((f, i) => {
      if (f && typeof f === 'object' && 'response' in f && f.response && typeof f.response === 'object' && 'content' in f.response)
        problems.push(`${where}[${i}].response.content applies only to a model fake: give { status?, body?, headers? }`);
      const match = f && typeof f === 'object' && 'match' in f && f.match && typeof f.match === 'object' ? f.match : {};
      for (const field of ['userIncludes', 'model'])
        if (field in match) problems.push(`${where}[${i}].match.${field} applies only to a model fake`);
    });
  }
  const parsed = EXTENSION_OPTIONS[key].safeParse(value);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      const message =
        issue.code === 'unrecognized_keys' ? `has unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}` : issue.message;
      problems.push(`${where}${path} ${message}`);
    }
  return problems;
}

/** True when `path` is selected by a fixture's `match.path` (exact, or a prefix for entries ending in `*`). */
export function fixturePathMatches(pattern: string | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}
