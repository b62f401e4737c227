/**
 * A suite folder on disk: `suite.json` (SuiteSummary), the run folders it names, and the suite reports
 * written beside it (`index.html`, `junit.xml`, `summary.md`). Reading checks what the reports rely on and
 * names the file and field when something is wrong (exit 2).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ShakedownError } from '../errors.ts';
import { SUITE_FILE, SUITE_SCHEMA_VERSION, type SuiteRun, type SuiteSummary } from '../results/suite-types.ts';
import { readResultFile } from '../results/read-result-file.ts';
import { writeTextAtomic } from '../results/write-results.ts';
import { renderSuiteHtml, renderSuiteJunit, renderSuiteMarkdown } from '../../reports/suite-report.ts';

export const SUITE_REPORT_FILES = Object.freeze({ html: 'index.html', junit: 'junit.xml', markdown: 'summary.md' });

const bad = (display: string, why: string) => new ShakedownError('BAD_SUITE_FOLDER', `${display}: ${why}`, { exitCode: 2 });

/** Whether `dir` is a suite folder (holds a suite.json). */
export function isSuiteFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && existsSync(join(dir, SUITE_FILE));
  } catch {
    return false;
  }
}

/**
 * Reads a suite folder's summary and the results of its runs (`display` is how messages name the folder).
 * @throws ShakedownError BAD_SUITE_FOLDER (exit 2): no or unreadable suite.json, another schema version,
 *   malformed fields; BAD_RESULT_FILE for a results.json it names that cannot be read
 */
export function readSuiteFolder(dir: string, display = dir): { summary: SuiteSummary; runs: SuiteRun[] } {
  const file = join(dir, SUITE_FILE);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw bad(
      display,
      code === 'ENOENT'
        ? `no ${SUITE_FILE} in it (pass a folder written by shakedown run <folder> or merge)`
        : `${SUITE_FILE} cannot be read (${(error as Error).message})`,
    );
  }
  const s = value as Partial<SuiteSummary> | null;
  if (!s || typeof s !== 'object' || s.kind !== 'suite') throw bad(display, `${SUITE_FILE} is not a suite summary (expected kind "suite")`);
  if (s.schemaVersion !== SUITE_SCHEMA_VERSION)
    throw bad(display, `${SUITE_FILE} has schemaVersion ${JSON.stringify(s.schemaVersion)}; this shakedown reads ${SUITE_SCHEMA_VERSION}`);
  if (!Array.isArray(s.runs) || !Array.isArray(s.not_run)) throw bad(display, `${SUITE_FILE} is missing or has malformed runs, not_run`);
  const problems = s.runs.flatMap((r, i) =>
    !r || typeof r.key !== 'string' || typeof r.exit_code !== 'number' || !(r.results === null || typeof r.results === 'string')
      ? [`runs[${i}] needs key (string), exit_code (number) and results (string or null)`]
      : [],
  );
  if (problems.length) throw bad(display, `${SUITE_FILE}: ${problems.join('; ')}`);
  const summary = s as SuiteSummary;
  const runs = summary.runs.map((entry) => ({
    entry,
    result: entry.results === null ? null : readResultFile(join(dir, entry.results), join(display, entry.results)),
  }));
  return { summary, runs };
}

/** Writes `suite.json` and the suite reports into `dir`; returns the problems met (a report that failed). */
export function writeSuiteFolder(dir: string, summary: SuiteSummary, runs: readonly SuiteRun[]): string[] {
  writeTextAtomic(join(dir, SUITE_FILE), `${JSON.stringify(summary, null, 2)}\n`);
  const problems: string[] = [];
  const jobs: Array<[string, typeof renderSuiteHtml]> = [
    [SUITE_REPORT_FILES.html, renderSuiteHtml],
    [SUITE_REPORT_FILES.junit, renderSuiteJunit],
    [SUITE_REPORT_FILES.markdown, renderSuiteMarkdown],
  ];
  for (const [name, render] of jobs) {
    try {
      writeTextAtomic(join(dir, name), render(summary, runs));
    } catch (error) {
      problems.push(`${name} not written: ${(error as Error).message}`);
    }
  }
  return problems;
}

/**
 * For `compare`: replaces each suite folder among `args` by the results.json files of its runs, in order, so
 * runs are matched by scenario name (the first suite's run is the baseline). When suites were given, a scenario
 * that only one input ran is left out and named in `notes`, instead of failing the whole comparison.
 */
export function expandSuiteArgs(args: readonly string[], cwd: string): { files: string[]; notes: string[] } {
  const items: Array<{ file: string; scenario: string | null; from: string }> = [];
  let suites = 0;
  for (const arg of args) {
    const dir = resolve(cwd, arg);
    if (!isSuiteFolder(dir)) {
      items.push({ file: arg, scenario: null, from: arg });
      continue;
    }
    suites++;
    for (const { entry, result } of readSuiteFolder(dir, arg).runs)
      if (entry.results !== null && result) items.push({ file: join(arg, entry.results), scenario: result.run.scenario, from: arg });
  }
  if (!suites) return { files: [...args], notes: [] };
  const count = new Map<string, number>();
  for (const i of items) if (i.scenario !== null) count.set(i.scenario, (count.get(i.scenario) ?? 0) + 1);
  const notes = items
    .filter((i) => i.scenario !== null && count.get(i.scenario) === 1)
    .map((i) => `${i.scenario}: only in ${i.from}, not compared`);
  const files = items.filter((i) => i.scenario === null || count.get(i.scenario)! > 1).map((i) => i.file);
  if (files.length < 2)
    throw new ShakedownError(
      'NOTHING_TO_COMPARE',
      `nothing to compare: no scenario has a run in two of the inputs\n${notes.map((n) => `  ${n}`).join('\n')}`,
      {
        exitCode: 2,
      },
    );
  return { files, notes };
}
