/**
 * Reads a `results.json` for `compare` and `trend`, checking what the renderers rely on. Every problem is
 * a ShakedownError (exit 2) naming the file and what is wrong with it.
 */
import { readFileSync } from 'node:fs';
import { READABLE_SCHEMA_VERSIONS, SCHEMA_VERSION, type RunResult } from './result-types.ts';
import { ShakedownError } from '../errors.ts';

const bad = (file: string, why: string) => new ShakedownError('BAD_RESULT_FILE', `${file}: ${why}`, { exitCode: 2 });

/**
 * Loads and checks one result file (`display` is how messages name it).
 * A schemaVersion 1 file is read as version 2 with `read_from_schema: 1`: its fields are a subset of version 2's
 * (no `truncated` outcome; requests counted in the phase they started in), so the reports show it as is and
 * compare notes the difference.
 * @throws ShakedownError BAD_RESULT_FILE (exit 2): unreadable, not JSON, an unreadable schema version, fields missing
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
  const missing: string[] = [];
  const run = r.run as Record<string, unknown> | undefined;
  if (!run || typeof run !== 'object') missing.push('run');
  else for (const k of ['scenario', 'scenario_hash', 'started_at', 'id'] as const) if (typeof run[k] !== 'string') missing.push(`run.${k}`);
  for (const k of ['phases', 'series', 'faults', 'slos'] as const) if (!Array.isArray(r[k])) missing.push(k);
  for (const k of ['verdict', 'health'] as const) if (!r[k] || typeof r[k] !== 'object') missing.push(k);
  if (missing.length) throw bad(display, `is missing or has malformed ${missing.join(', ')}`);
  if (r.schemaVersion !== SCHEMA_VERSION)
    return { ...(value as RunResult), schemaVersion: SCHEMA_VERSION, read_from_schema: r.schemaVersion as number };
  return value as RunResult;
}
