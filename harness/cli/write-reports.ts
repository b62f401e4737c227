/**
 * Writes the reports of a run beside its results.json: `report.html`, `junit.xml`, `summary.md`. Each is
 * written atomically; a renderer that throws is reported for that file and the others are still written.
 */
import { join } from 'node:path';
import type { RunResult } from '../results/result-types.ts';
import { writeTextAtomic } from '../results/write-results.ts';
import { renderHtmlReport } from '../../reports/html-report.ts';
import { renderJunit } from '../../reports/junit-report.ts';
import { renderMarkdownSummary } from '../../reports/markdown-summary.ts';

export const REPORT_FILES = Object.freeze({ html: 'report.html', junit: 'junit.xml', markdown: 'summary.md' });

/**
 * Writes the three reports into `dir`; returns the files written, the renderers that failed (`problems`) and
 * the files that could not be written (`writeFailures`, whole messages: disk full, no permission).
 */
export function writeRunReports(result: RunResult, dir: string): { written: string[]; problems: string[]; writeFailures: string[] } {
  const written: string[] = [];
  const problems: string[] = [];
  const writeFailures: string[] = [];
  const jobs: Array<[string, (r: RunResult) => string]> = [
    [REPORT_FILES.html, renderHtmlReport],
    [REPORT_FILES.junit, renderJunit],
    [REPORT_FILES.markdown, renderMarkdownSummary],
  ];
  for (const [name, render] of jobs) {
    const file = join(dir, name);
    let text: string;
    try {
      text = render(result);
    } catch (error) {
      problems.push(`${name} not written: ${(error as Error).message}`);
      continue;
    }
    try {
      writeTextAtomic(file, text, 'report');
      written.push(file);
    } catch (error) {
      writeFailures.push((error as Error).message);
    }
  }
  return { written, problems, writeFailures };
}
