/**
 * Turns zod issues into Playwright-style problems: `load.rate must be a positive number`.
 */
import type { core } from 'zod';

type Issue = core.$ZodIssue;

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `['faults', 0, 'on']` → `faults[0].on`; a key that is not a plain name is quoted: `load["a b"]`, `[""]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && !PLAIN_KEY.test(part)) out += `[${JSON.stringify(part)}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(scenario)' : out;
}

function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'string') return `'${input.length > 40 ? `${input.slice(0, 40)}…` : input}'`;
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  return typeof input === 'object' ? 'an object' : `a ${typeof input}`;
}

const ARTICLE: Record<string, string> = { object: 'an object', array: 'an array', int: 'an integer', integer: 'an integer' };

function sizeWord(origin: string | undefined, n: number | bigint): string {
  if (origin === 'array' || origin === 'set') return `${n} item${Number(n) === 1 ? '' : 's'}`;
  if (origin === 'string') return `${n} character${Number(n) === 1 ? '' : 's'}`;
  return String(n);
}

/** One issue → one or more `path message` lines (an unknown key becomes its own path). */

/** Which factories build the objects whose `kind` users do not write themselves, by the field holding them. */
const FACTORY_HINT: Readonly<Record<string, string>> = Object.freeze({
  fault: 'a fault factory: toxic.latency(...), toxic.down(), mode.httpError(...) and the rest of the fault catalogue',
  requests: 'dataset.ask(path) or requests.static({ method, path, body })',
  score: 'ragAnswer(...) or customScorer(fn)',
});

/**
 * One issue as problem lines. `suggest(path, key)`: the known field a misspelled `key` at `path` probably meant
 * (known-keys.ts), added as "did you mean".
 */
export function formatIssue(issue: Issue, suggest?: (path: readonly PropertyKey[], key: string) => string | undefined): string[] {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return [`${path} is required`];
      const expected = ARTICLE[issue.expected] ?? `a ${issue.expected}`;
      return [`${path} must be ${expected} (got ${describeInput(issue.input)})`];
    }
    case 'too_small': {
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return [`${path} must not be empty`];
      if (issue.origin === 'number' && Number(issue.minimum) === 0 && !issue.inclusive)
        return [`${path} must be a positive number (got ${describeInput(issue.input)})`];
      const bound = issue.origin === 'array' || issue.origin === 'string' ? 'at least' : issue.inclusive ? '>=' : '>';
      return [
        `${path} must be ${bound} ${sizeWord(issue.origin, issue.minimum)}${issue.input !== undefined && issue.origin === 'number' ? ` (got ${describeInput(issue.input)})` : ''}`,
      ];
    }
    case 'too_big': {
      const bound = issue.origin === 'array' || issue.origin === 'string' ? 'at most' : issue.inclusive ? '<=' : '<';
      return [
        `${path} must be ${bound} ${sizeWord(issue.origin, issue.maximum)}${issue.input !== undefined && issue.origin === 'number' ? ` (got ${describeInput(issue.input)})` : ''}`,
      ];
    }
    case 'invalid_value':
      return [
        `${path} must be ${issue.values.length === 1 ? `'${String(issue.values[0])}'` : `one of ${issue.values.map((v) => `'${String(v)}'`).join(', ')}`} (got ${describeInput(issue.input)})`,
      ];
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const meant = suggest?.(issue.path, key);
        return `${formatPath([...issue.path, key])} is not a known field${meant ? ` (did you mean '${meant}'?)` : ''}`;
      });
    case 'invalid_union': {
      const discriminator = (issue as { discriminator?: string }).discriminator;
      if (discriminator) {
        const where = issue.path.at(-1) === discriminator ? issue.path : [...issue.path, discriminator];
        // zod 4 reports the object holding the discriminator as the input, whichever path it gives.
        const holder = issue.input;
        const input =
          typeof holder === 'object' && holder !== null && !Array.isArray(holder)
            ? (holder as Record<string, unknown>)[discriminator]
            : undefined;
        const options = (issue as { options?: unknown[] }).options ?? [];
        const allowed = options.length ? `one of ${options.map((v) => `'${String(v)}'`).join(', ')}` : 'one of the known kinds';
        // `kind` is written by the factories, not by hand: point at them for the objects users build that way.
        const factories = FACTORY_HINT[String(where.at(-2))];
        if (discriminator === 'kind' && factories && input === undefined)
          return [`${formatPath(where.slice(0, -1))} must be made with ${factories} (got an object without their 'kind')`];
        return [`${formatPath(where)} must be ${allowed} (got ${describeInput(input)})`];
      }
      if (issue.message && !issue.message.startsWith('Invalid')) return [`${path} ${issue.message}`];
      return [`${path} does not match any allowed shape`];
    }
    case 'invalid_format':
      if (issue.format === 'regex') return [`${path} ${issue.message}`];
      return [
        `${path} must be ${issue.format === 'url' ? 'a URL' : issue.format === 'starts_with' ? `a string starting with '${(issue as { prefix?: string }).prefix}'` : `a valid ${issue.format}`}${issue.message && !issue.message.startsWith('Invalid') ? ` (${issue.message})` : ''}`,
      ];
    default:
      // A custom check (durations, functions) on a missing field: say it is missing.
      if (issue.code === 'custom' && issue.input === undefined) return [`${path} is required`];
      return [`${path} ${issue.message}`];
  }
}
