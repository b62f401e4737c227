/**
 * "Did you mean" for misspelled scenario fields: the field names the schema allows where zod found an unknown
 * one, and the closest of them by edit distance (fastest-levenshtein). zod's `unrecognized_keys` issue names
 * the unknown keys but not the allowed ones, so the schema is walked along the path, choosing a
 * discriminated union's branch by the input's discriminator value.
 */
import { distance } from 'fastest-levenshtein';
import type { z } from 'zod';

type Def = { type: string; [k: string]: unknown };
const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;

/** Past wrappers (optional, default, readonly, pipe's input, lazy) to the schema that holds the shape. */
function unwrap(schema: unknown): unknown {
  for (let i = 0; i < 20; i++) {
    const def = defOf(schema);
    if (!def) return schema;
    if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(def.type)) schema = def.innerType;
    else if (def.type === 'pipe') schema = def.in;
    else if (def.type === 'lazy') schema = (def.getter as () => unknown)();
    else return schema;
  }
  return schema;
}

/** The branch of a union that applies to `value`: by discriminator when there is one, else the first object branch. */
function branch(def: Def, value: unknown): unknown {
  const options = (def.options as unknown[]) ?? [];
  const discriminator = def.discriminator as string | undefined;
  if (discriminator && value && typeof value === 'object') {
    const wanted = (value as Record<string, unknown>)[discriminator];
    const match = options.find((o) => {
      const shape = defOf(unwrap(o))?.shape as Record<string, unknown> | undefined;
      const literal = defOf(unwrap(shape?.[discriminator]));
      return literal?.type === 'literal' && (literal.values as unknown[]).includes(wanted);
    });
    if (match) return match;
  }
  return options.find((o) => defOf(unwrap(o))?.type === 'object');
}

/**
 * The field names allowed at `path` of `input` under `schema`, or undefined when the schema there is not an
 * object with a fixed shape (a record, a custom check) or the path cannot be followed.
 */
export function knownKeysAt(schema: z.ZodType, input: unknown, path: readonly PropertyKey[]): string[] | undefined {
  let current: unknown = schema;
  let value = input;
  for (const segment of [...path, null]) {
    let def = defOf(unwrap(current));
    if (def?.type === 'union') {
      current = branch(def, value);
      def = defOf(unwrap(current));
    }
    if (!def) return undefined;
    if (segment === null) return def.type === 'object' ? Object.keys(def.shape as object) : undefined;
    if (def.type === 'object') current = (def.shape as Record<string, unknown>)[String(segment)];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return undefined;
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[segment as PropertyKey] : undefined;
    if (current === undefined) return undefined;
  }
  return undefined;
}

/**
 * The known field closest to a misspelled one: at most 2 edits, and at most half its length (`duraton` →
 * `duration`, `nmae` → `name`, `rat` → `rate`; nothing for `colour`).
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.min(2, Math.max(1, Math.floor(key.length / 2))) ? best : undefined;
}
