/**
 * `shakedown trend <folder>`: finds every results.json under the folder (a nightly history, any depth),
 * and writes one HTML page of the key metrics and the score over builds. Exit 2 when the folder has no
 * results or a file in it is not a readable result (each such file named).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ShakedownError } from '../errors.ts';
import { writeTextAtomic } from '../results/write-results.ts';
import { renderTrendHtml } from '../../reports/trend-html.ts';
import { readResultFile } from '../results/read-result-file.ts';
import { runIdentity } from '../results/run-identity.ts';
import { shownPath } from '../runner/load-scenario-file.ts';
import type { CliIO } from './cli-io.ts';

function findResults(dir: string, depth = 0): string[] {
  if (depth > 6) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) out.push(...findResults(path, depth + 1));
    else if (entry.isFile() && entry.name === 'results.json') out.push(path);
  }
  return out;
}

/** Runs the trend command; returns the exit code. */
export function trendCommand(folder: string, opts: { out?: string }, io: CliIO): number {
  const root = resolve(io.cwd, folder);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch (error) {
    throw new ShakedownError(
      'BAD_RESULT_FILE',
      `${folder}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (error as Error).message}`,
      { exitCode: 2 },
    );
  }
  if (!isDir)
    throw new ShakedownError('BAD_RESULT_FILE', `${folder}: is not a folder; pass the folder that holds the nightly results`, {
      exitCode: 2,
    });
  const files = findResults(root).sort();
  if (!files.length) throw new ShakedownError('BAD_RESULT_FILE', `${folder}: no results.json under it`, { exitCode: 2 });
  const problems: string[] = [];
  const runs = [];
  for (const file of files) {
    const display = shownPath(io.cwd, file);
    try {
      runs.push({ file: display, result: readResultFile(file, display) });
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length)
    throw new ShakedownError(
      'BAD_RESULT_FILE',
      `${problems.length} of ${files.length} result files cannot be read:\n${problems.map((p) => `  ${p}`).join('\n')}`,
      { exitCode: 2 },
    );
  // A run copied into two folders would count twice (as compare refuses it): the first copy is kept, and said.
  const seen = new Map<string, string>();
  const distinct = runs.filter((r) => {
    const id = runIdentity(r.result);
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, r.file);
      return true;
    }
    io.stdout.write(`${r.file} is the same run as ${first}: counted once\n`);
    return false;
  });
  const out = resolve(io.cwd, opts.out ?? join(folder, 'trend.html'));
  // A page that cannot be written (disk full, no permission) is WRITE_FAILED, exit 4.
  writeTextAtomic(out, renderTrendHtml(distinct), 'trend page', '--out');
  io.stdout.write(`trend of ${distinct.length} run${distinct.length === 1 ? '' : 's'}: ${out}\n`);
  return 0;
}
