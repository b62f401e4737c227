/**
 * The zod schema of what `compare`, `trend` and suites read from a `results.json`: every field their
 * renderers touch, with its type (a metric is a finite number or null, never `"NaN"` or a string). Other fields
 * pass through unchecked. `resultFileProblems()` names each bad field by its path (`phases[0].metrics.p95_ms`).
 */
import { z } from 'zod';

const metric = z.number().finite().nullable();
const count = z.number().finite().min(0);
const text = z.string();

const phase = z.looseObject({
  name: text,
  kind: z.enum(['baseline', 'fault', 'recovery']),
  start_ms: z.number().finite(),
  end_ms: z.number().finite(),
  faults: z.array(text),
  completed: z.boolean().optional(),
  metrics: z.record(text, metric),
  errors: z.record(text, count).optional(),
  outcomes: z.record(text, count).optional(),
  by_category: z
    .record(
      text,
      z.looseObject({ requests: count, error_rate: metric, quality: metric, p95_ms: metric, outcomes: z.record(text, count).optional() }),
    )
    .optional(),
  degradation: z.record(text, metric).optional(),
  latency_histogram_us: text.optional(),
});

const seriesPoint = z.looseObject({
  t_s: z.number().finite(),
  requests: count,
  throughput_rps: metric.optional(),
  error_rate: metric,
  p50_ms: metric,
  p95_ms: metric,
  p99_ms: metric,
  quality: metric,
  ttft_ms: metric.optional(),
  itl_ms: metric.optional(),
  stream_abort_rate: metric.optional(),
  phase: text,
  active_faults: z.array(text),
});

export const resultFileSchema = z.looseObject({
  schemaVersion: z.number(),
  run: z.looseObject({
    id: text,
    scenario: text,
    scenario_hash: text,
    started_at: text,
    status: z.enum(['completed', 'interrupted', 'failed']),
    seed: z.number().int().nullable().optional(),
    label: text.optional(),
    git_sha: text.nullable().optional(),
  }),
  phases: z.array(phase),
  series: z.array(seriesPoint),
  faults: z.array(z.looseObject({ name: text, on: text, at_ms: z.number().finite(), for_ms: z.number().finite() })),
  slos: z.array(
    z.looseObject({
      selector: text,
      phase: text,
      metric: text,
      expression: text,
      actual: metric,
      passed: z.boolean(),
      margin: metric,
    }),
  ),
  verdict: z.looseObject({ passed: z.boolean(), slos_failed: count }),
  health: z.looseObject({ trusted: z.boolean(), flags: z.array(text) }),
  score: z.looseObject({ value: metric }).optional(),
});

/** `a.b[0].c` for a zod issue path. */
function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/** What a value is, for a message: `"NaN"`, `null`, `an object`. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
  return JSON.stringify(value)?.slice(0, 60) ?? String(value);
}

/** Every problem of `value` against the schema, each `path: what it must be (got ...)`; at most `limit`. */
export function resultFileProblems(value: unknown, limit = 10): string[] {
  const parsed = resultFileSchema.safeParse(value);
  if (parsed.success) return [];
  const at = (path: readonly PropertyKey[]) => path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown>)?.[k], value);
  return parsed.error.issues.slice(0, limit).map((issue) => {
    const path = pathText(issue.path) || '(top level)';
    const got = describe(at(issue.path));
    const want =
      issue.code === 'invalid_type'
        ? `must be ${issue.expected === 'number' ? 'a finite number' : `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`}`
        : issue.code === 'invalid_value'
          ? `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
          : `must be valid (${issue.message})`;
    return `${path} ${want} (got ${got})`;
  });
}
