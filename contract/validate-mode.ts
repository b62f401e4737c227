/**
 * Validation of an untrusted mode (the body of `PUT /fakes/:name/modes/:id`) for a fake of a given kind, with
 * the contract's schema. Every problem is collected (`rate must be a number in [0, 1]`); an unknown field is a
 * problem, never ignored.
 */
import { type FakeKind, type FakeMode, fakeModeSchema, MODE_APPLIES_TO, MODE_KINDS, type ModeKind, whenSchema } from './modes.ts';

const WHEN_FIELDS = Object.keys(whenSchema.shape);

/** Result of validating a mode: the mode, or every problem found (`rate must be a number in [0, 1]`). */
export type ModeValidation = { ok: true; mode: FakeMode } | { ok: false; problems: string[]; notApplicable?: boolean };

/**
 * Validates an untrusted mode for a fake of `fakeKind`; never mutates the input. Returns the parsed copy. A kind
 * that does not apply to the fake is reported with `notApplicable: true`.
 */
export function validateMode(value: unknown, fakeKind: FakeKind): ModeValidation {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problems: ['mode must be a JSON object with a "kind"'] };
  }
  const kind = (value as Record<string, unknown>).kind;
  if (typeof kind !== 'string' || !(MODE_KINDS as readonly string[]).includes(kind)) {
    return { ok: false, problems: [`kind must be one of ${MODE_KINDS.join(', ')}`] };
  }
  const modeKind = kind as ModeKind;
  if (!MODE_APPLIES_TO[modeKind].includes(fakeKind)) {
    return {
      ok: false,
      notApplicable: true,
      problems: [`mode kind "${modeKind}" does not apply to a ${fakeKind} fake; it applies to: ${MODE_APPLIES_TO[modeKind].join(', ')}`],
    };
  }
  const parsed = fakeModeSchema.safeParse(value);
  if (parsed.success) return { ok: true, mode: parsed.data };
  const fields = Object.keys(fakeModeSchema.options[MODE_KINDS.indexOf(modeKind)].shape);
  const unknown: string[] = [];
  const invalid: string[] = [];
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys' && issue.path.length === 0) {
      for (const key of issue.keys) unknown.push(`${key} is not a field of a ${modeKind} mode (fields: ${fields.join(', ')})`);
    } else if (issue.code === 'unrecognized_keys') {
      // Inside `when`, the only nested object of a mode.
      for (const key of issue.keys) unknown.push(`${issue.path.join('.')}.${key} is not a field (fields: ${WHEN_FIELDS.join(', ')})`);
    } else {
      // The field's rule (its schema's `error`), named by the top-level field: `paths[2]` is a problem of `paths`.
      invalid.push(`${String(issue.path[0])} ${issue.message}`);
    }
  }
  return { ok: false, problems: [...new Set([...unknown, ...invalid])] };
}
