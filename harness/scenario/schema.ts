/**
 * The zod schema of a scenario file's default export. Structure only; cross-field rules (a fault names a
 * declared dependency, an SLO names a known metric and phase) live in resolve-scenario.ts. A fake's mode is
 * checked with the contract's schema, the one the fakes check a mode with.
 */
import { z } from 'zod';
import { FAKE_KINDS, fakeModeSchema } from '../../contract/index.ts';
import { parseDuration, unitlessDuration, unitlessHint } from './duration.ts';
import { exploreSchema } from './explore-space.ts';
import { TOXIC_TYPES } from './faults.ts';
import { SCENARIO_LIMITS as LIMITS } from './limits.ts';

/** What a bad duration was, for the message: a negative one is named as such. */
const describeDuration = (v: unknown): string => {
  if (unitlessDuration(v)) return unitlessHint(v as string);
  const negative = (typeof v === 'number' && v < 0) || (typeof v === 'string' && v.trim().startsWith('-'));
  return `${negative ? 'a negative duration, ' : ''}got ${v === undefined ? 'nothing' : (JSON.stringify(v) ?? String(v))}`;
};
/** A duration of at most `max_ms` (past it, Node's timers misbehave or the run never ends); `hint` says what to change. */
const durationUpTo = (max_ms: number, hint: string) =>
  z
    .custom<string | number>((v) => parseDuration(v) !== undefined, {
      error: (issue) => `must be a duration like '30s', '500ms', '2m' or a number of milliseconds (${describeDuration(issue.input)})`,
    })
    .refine((v) => parseDuration(v)! <= max_ms, {
      error: (issue) =>
        `must be at most ${max_ms} ms (${max_ms / 3_600_000} h), got ${JSON.stringify(issue.input)} (${parseDuration(issue.input)} ms): ${hint}`,
    });
const duration = durationUpTo(LIMITS.duration_ms, 'split a longer test into several runs');
const timeout = durationUpTo(LIMITS.timeout_ms, 'Node clamps longer timers to 1 ms; lower it').refine((v) => parseDuration(v)! > 0, {
  error: (issue) => `must be longer than 0 (got ${JSON.stringify(issue.input)}): a timeout of 0 would end every wait at once`,
});
/** Request rates: above 0, at most 100,000 req/s (one load generator on one core cannot offer more). */
const positive = z.number().positive().max(100_000);
const rate01 = z.number().min(0).max(1);

const ready = z.strictObject({
  path: z.string().startsWith('/').optional(),
  timeout: timeout.optional(),
  status: z.number().int().min(100).max(599).optional(),
});

const commandSystem = z.strictObject({
  command: z.array(z.string().min(1)).min(1),
  cwd: z.string().optional(),
  env: z
    .union([z.record(z.string(), z.string()), z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function')], {
      error: 'must be an object of strings or a function (deps) => object',
    })
    .optional(),
  ready: ready.optional(),
  url: z.url().optional(),
});
const urlSystem = z.strictObject({ url: z.url(), ready: ready.optional() });

const fakeSpec = z.strictObject({
  kind: z.enum(FAKE_KINDS),
  options: z.record(z.string(), z.unknown()),
});

const ssePaths = z.array(z.string().min(1)).min(1);
const sseRule = z.strictObject({
  token: ssePaths.optional(),
  done: ssePaths.optional(),
  doneData: ssePaths.optional(),
  error: ssePaths.optional(),
});

const requestSource = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('dataset-questions'),
    method: z.literal('POST'),
    path: z.string().startsWith('/'),
    field: z.string().min(1),
    categories: z.array(z.string()).min(1).optional(),
    stream: z.boolean().optional(),
    sse: sseRule.optional(),
  }),
  z.strictObject({
    kind: z.literal('static'),
    method: z.string().min(1),
    path: z.string().startsWith('/'),
    body: z.unknown().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    sse: sseRule.optional(),
  }),
]);

const loadCommon = {
  duration,
  warmup: duration.optional(),
  timeout: timeout.optional(),
  requests: requestSource,
};
const connections = z.number().int().min(1).max(10_000).optional();
const load = z.discriminatedUnion('executor', [
  z.strictObject({ executor: z.literal('constant-vus'), vus: z.number().int().min(1).max(10_000), ...loadCommon }),
  z.strictObject({ executor: z.literal('constant-arrival-rate'), rate: positive, connections, ...loadCommon }),
  z.strictObject({
    executor: z.literal('ramping-arrival-rate'),
    startRate: z.number().min(0).max(100_000).optional(),
    stages: z.array(z.strictObject({ target: z.number().min(0).max(100_000), duration })).min(1),
    connections,
    ...loadCommon,
    duration: duration.optional(),
  }),
]);

const toxicFault = z.strictObject({
  kind: z.literal('toxic'),
  type: z.enum(TOXIC_TYPES),
  stream: z.enum(['upstream', 'downstream']),
  toxicity: rate01,
  attributes: z.record(z.string(), z.number().min(0).max(LIMITS.toxic_attribute)),
});
const faultAction = z.discriminatedUnion('kind', [
  toxicFault,
  z.strictObject({ kind: z.literal('down') }),
  z.strictObject({ kind: z.literal('mode'), mode: fakeModeSchema }),
]);

const fault = z.strictObject({
  on: z.string().min(1),
  at: duration,
  for: duration,
  fault: faultAction,
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'must be letters, digits, ".", "_" or "-"')
    .optional(),
});

const ragScore = z.strictObject({
  kind: z.literal('rag-answer'),
  answer: z.string().min(1),
  citations: z.string().min(1),
  okRecall: z.number().gt(0).max(1),
  fallbackTexts: z.array(z.string().regex(/\S/, 'must not be blank')).optional(),
  repeatedAnswer: z.number().int().min(0).max(1000).optional(),
});
const customScore = z.strictObject({
  kind: z.literal('custom'),
  name: z.string().min(1),
  score: z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', {
    message: 'must be a function (sample, truth) => ({ outcome, quality, reasons })',
  }),
});
const score = z.discriminatedUnion('kind', [ragScore, customScore]);
/** Score v1's component weights: refused, not ignored, so no scenario keeps a knob that does nothing. */
const scoreWeights = z.unknown().superRefine((v, ctx) => {
  if (v !== undefined)
    ctx.addIssue({
      code: 'custom',
      message:
        'is no longer used: resilience score v2 has no weights (each request earns good 1, loud ½, late 0.1, quiet 0; README "Resilience score"); remove it, and set latencyBudget for what counts as late',
    });
});

/** The schema for `system`: with `command`, the command shape (which may also give `url`); else the url shape. */
export function systemSchemaFor(system: unknown) {
  return typeof system === 'object' && system !== null && 'command' in system ? commandSystem : urlSystem;
}

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'must be letters, digits, ".", "_" or "-" (it names the results folder)'),
  description: z.string().optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  // Checked by systemSchemaFor(), which picks the shape by the keys present, so problems inside it get their
  // own paths (a plain union would only say that neither shape matched).
  system: z.custom<Record<string, unknown>>(
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && ('command' in v || 'url' in v),
    {
      message: 'must have either command (to start the SUT) or url (an SUT already running)',
    },
  ),
  dependencies: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/i, 'must be a simple name'), fakeSpec),
  load,
  faults: z
    .array(fault)
    .refine((list) => list.length <= LIMITS.faults, {
      error: (issue) =>
        `must list at most ${LIMITS.faults} faults (each is timed and recorded), got ${(issue.input as unknown[]).length}: split the scenario into several`,
    })
    .optional(),
  slos: z.record(z.string(), z.record(z.string(), z.string())).optional(),
  score: score.optional(),
  scoreWeights: scoreWeights.optional(),
  latencyBudget: duration.optional(),
  recovery: z
    .strictObject({
      buckets: z.number().int().min(1).max(60).optional(),
      latencyFactor: z.number().min(1).optional(),
      latencySlackMs: z.number().min(0).optional(),
    })
    .optional(),
  explore: exploreSchema.optional(),
});
