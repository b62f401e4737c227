/**
 * Reads a `results.json` for `compare` and `trend`, checking what the renderers rely on. Every problem is
 * a ShakedownError (exit 2) naming the file and what is wrong with it.
 */
import { readFileSync } from 'node:fs';
import { READABLE_SCHEMA_VERSIONS, SCHEMA_VERSION, type RunResult } from './result-types.ts';
import { ShakedownError } from '../errors.ts';
import { resultFileProblems } from './result-file-schema.ts';

const bad = (file: string, why: string) => new ShakedownError('BAD_RESULT_FILE', `${file}: ${why}`, { exitCode: 2 });

/**
 * Loads and checks one result file (`display` is how messages name it).
 * A schemaVersion 1 file is read as version 2 with `read_from_schema: 1`: its fields are a subset of version 2's
 * (no `truncated` outcome; requests counted in the phase they started in), so the reports show it as is and
 * compare notes the difference.
 * Every field the readers rely on is checked against `resultFileSchema` (problems named by path); control
 * characters are removed from every string.
 * @throws ShakedownError BAD_RESULT_FILE (exit 2): unreadable, not JSON, an unreadable schema version, a field missing or mistyped
 */
export function readResultFile(path: string, display = path): RunResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw bad(
      display,
      e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a folder, not a results.json' : `cannot be read (${e.message})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw bad(display, `is not valid JSON (${(error as Error).message}); pass a results.json written by shakedown run`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad(display, 'is not a run result (expected a JSON object)');
  const r = value as Record<string, unknown>;
  if (!READABLE_SCHEMA_VERSIONS.includes(r.schemaVersion as number)) {
    throw bad(
      display,
      r.schemaVersion === undefined
        ? 'is not a run result (no schemaVersion); pass a results.json written by shakedown run'
        : `has schemaVersion ${JSON.stringify(r.schemaVersion)}; this shakedown reads ${READABLE_SCHEMA_VERSIONS.join(' and ')}${
            (r.schemaVersion as number) > SCHEMA_VERSION ? ' (the file was written by a newer shakedown: upgrade to read it)' : ''
          }`,
    );
  }
  const problems = resultFileProblems(value);
  if (problems.length)
    throw bad(
      display,
      `is not a valid run result:\n${problems.map((p) => `  ${p}`).join('\n')}\nPass a results.json written by shakedown run.`,
    );
  // Text from the file reaches a terminal: escape sequences in it (a label, a flag) must not drive the terminal.
  const clean = withoutControlCharacters(value) as RunResult;
  if (r.schemaVersion !== SCHEMA_VERSION) return { ...clean, schemaVersion: SCHEMA_VERSION, read_from_schema: r.schemaVersion as number };
  return clean;
}

/** C0 controls but tab and newline, DEL and C1 controls (ESC, CSI among them). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A copy of a JSON value with control characters removed from every string (keys included). */
export function withoutControlCharacters(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(CONTROL, '');
  if (Array.isArray(value)) return value.map(withoutControlCharacters);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutControlCharacters(k) as string, withoutControlCharacters(v)]));
  return value;
}
