/**
 * Validation of an untrusted mode (the body of `PUT /fakes/:name/modes/:id`) for a fake of a given kind.
 *
 * Every problem is collected (`rate must be a number in [0, 1]`); an unknown field is a problem, never ignored.
 */
import { CITATION_SOURCES, type FakeKind, type FakeMode, MODE_APPLIES_TO, type ModeKind, PRODUCT_FIELDS } from './fake-modes.ts';

/** Result of validating a mode: the mode, or every problem found (`rate must be a number in [0, 1]`). */
export type ModeValidation = { ok: true; mode: FakeMode } | { ok: false; problems: string[]; notApplicable?: boolean };

/** Checks one field's value (`undefined` when absent) and returns the problem, or null. */
type FieldCheck = (value: unknown, input: Record<string, unknown>) => string | null;

const optional =
  (check: FieldCheck): FieldCheck =>
  (value, input) =>
    value === undefined ? null : check(value, input);
const optionalString = (name: string) => optional((v) => (typeof v === 'string' ? null : `${name} must be a string`));
const integerFrom =
  (name: string, min: number): FieldCheck =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min ? null : `${name} must be an integer >= ${min}`;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The fields of each mode kind besides `kind`, `rate` and `paths`, with their checks. */
const MODE_FIELDS: Readonly<Record<ModeKind, Readonly<Record<string, FieldCheck>>>> = {
  http_error: {
    status: (v) =>
      typeof v === 'number' && Number.isInteger(v) && v >= 400 && v <= 599 ? null : 'status must be an integer from 400 to 599',
    retry_after_s: optional((v) =>
      typeof v === 'number' && v >= 0 && v <= 3600 ? null : 'retry_after_s must be a number of seconds from 0 to 3600',
    ),
    code: optionalString('code'),
    message: optionalString('message'),
  },
  error_body: { message: optionalString('message'), type: optionalString('type'), code: optionalString('code') },
  stream_stall: { after_chunks: integerFrom('after_chunks', 0) },
  stream_cut: { after_chunks: integerFrom('after_chunks', 0) },
  drop_facts: { count: optional(integerFrom('count', 1)) },
  perturb_numbers: {},
  wrong_citations: {
    source: optional((v) =>
      (CITATION_SOURCES as readonly unknown[]).includes(v) ? null : `source must be one of ${CITATION_SOURCES.join(', ')}`,
    ),
  },
  truncate: {
    keep_ratio: optional((v) =>
      typeof v === 'number' && v > 0 && v < 1 ? null : 'keep_ratio must be a number greater than 0 and less than 1',
    ),
  },
  refuse: { message: optional((v) => (typeof v === 'string' && v.trim().length > 0 ? null : 'message must be a non-empty string')) },
  stale: {},
  empty: {},
  irrelevant: {},
  partial: { keep: optional(integerFrom('keep', 0)) },
  schema_drift: {
    field: optional((v) =>
      (PRODUCT_FIELDS as readonly unknown[]).includes(v) ? null : `field must be one of ${PRODUCT_FIELDS.join(', ')}`,
    ),
    to: optional((v, input) => {
      if (typeof v !== 'string' || !FIELD_NAME.test(v)) return 'to must be a field name matching [A-Za-z_][A-Za-z0-9_]{0,63}';
      if ((PRODUCT_FIELDS as readonly string[]).includes(v)) return `to must not be a product field (${PRODUCT_FIELDS.join(', ')})`;
      return null;
    }),
  },
  stale_values: {},
};

const MODE_KINDS = Object.keys(MODE_APPLIES_TO) as ModeKind[];

/**
 * Validates an untrusted mode for a fake of `fakeKind`; never mutates the input. Returns a copy holding only the
 * mode's fields. A kind that does not apply to the fake is reported with `notApplicable: true`.
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
  const fields = MODE_FIELDS[modeKind];
  const known = ['kind', 'rate', 'paths', ...Object.keys(fields)];
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) problems.push(`${key} is not a field of a ${modeKind} mode (fields: ${known.join(', ')})`);
  }
  const rate = input.rate;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) problems.push('rate must be a number in [0, 1]');
  const paths = input.paths;
  if (paths !== undefined && (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p.startsWith('/')))) {
    problems.push('paths must be an array of paths starting with "/"');
  }
  const mode: Record<string, unknown> = { kind: modeKind, rate, ...(paths === undefined ? {} : { paths: [...(paths as string[])] }) };
  for (const [name, check] of Object.entries(fields)) {
    const problem = check(input[name], input);
    if (problem !== null) problems.push(problem);
    if (input[name] !== undefined) mode[name] = input[name];
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, mode: mode as unknown as FakeMode };
}
