/**
 * The reports of a suite (`shakedown run <folder>`, a shard of it, or `shakedown merge`): a terminal table,
 * `index.html` linking every run's report, one JUnit file holding every run's SLO cases, and a Markdown summary
 * for CI job summaries. Pure: the suite summary and its read results in, text out.
 */
import Table from 'cli-table3';
import { create } from 'xmlbuilder2';
import { markdownTable } from 'markdown-table';
import type { SuiteRun, SuiteSummary } from '../harness/results/suite-types.ts';
import { appendRunSuite } from './junit-report.ts';
import { htmlDocument, htmlTable } from './html-document.ts';
import { esc } from './html-escape.ts';
import { mdEscape } from './markdown-summary.ts';
import { fmtNum } from './format-values.ts';
import { readScore } from './run-score.ts';

/** What a run's outcome is called in every suite report, by its exit code. */
export const OUTCOME: Readonly<Record<number, string>> = Object.freeze({
  0: 'passed',
  1: 'SLO failed',
  2: 'invalid',
  3: 'infrastructure',
  130: 'interrupted',
});

const outcome = (code: number) => OUTCOME[code] ?? `exit ${code}`;

interface Row {
  file: string;
  scenario: string;
  outcome: string;
  slos: string;
  score: string;
  error: string;
}

function rows(runs: readonly SuiteRun[]): Row[] {
  return runs.map(({ entry, result }) => {
    const score = result ? readScore(result) : null;
    return {
      file: entry.scenario_file,
      scenario: entry.scenario ?? '-',
      outcome: outcome(entry.exit_code),
      slos: result ? `${result.verdict.slos_total - result.verdict.slos_failed}/${result.verdict.slos_total} met` : '-',
      score: score ? fmtNum(score.value, 0) : '-',
      error: entry.error ?? '',
    };
  });
}

/** One line saying how the suite went: `suite: 2 runs, 1 passed, 1 SLO failed; exit 1`. */
export function suiteHeadline(summary: SuiteSummary): string {
  const counts = new Map<string, number>();
  for (const r of summary.runs) counts.set(outcome(r.exit_code), (counts.get(outcome(r.exit_code)) ?? 0) + 1);
  const parts = [...counts].map(([what, n]) => `${n} ${what}`);
  if (summary.not_run.length) parts.push(`${summary.not_run.length} not run`);
  const shard = summary.shard ? ` (shard ${summary.shard.index}/${summary.shard.total})` : '';
  const missing = summary.merged?.missing.length ? `; shards missing: ${summary.merged.missing.join(', ')}` : '';
  return `suite${shard}: ${summary.runs.length} run${summary.runs.length === 1 ? '' : 's'}${parts.length ? `, ${parts.join(', ')}` : ''}${missing}; exit ${summary.exit_code}`;
}

/**
 * The suite table for the terminal. `paint` colours an outcome word (identity when colour is off).
 */
export function renderSuiteTerminal(
  summary: SuiteSummary,
  runs: readonly SuiteRun[],
  paint: (code: number, text: string) => string = (_c, t) => t,
): string {
  const table = new Table({ head: ['scenario file', 'scenario', 'outcome', 'SLOs', 'score'], style: { head: [], border: [] } });
  rows(runs).forEach((r, i) => table.push([r.file, r.scenario, paint(runs[i].entry.exit_code, r.outcome), r.slos, r.score]));
  const errors = rows(runs)
    .filter((r) => r.error)
    .map((r) => `  ${r.file}: ${r.error.split('\n')[0]}`);
  return [table.toString(), ...(errors.length ? ['', 'problems:', ...errors] : []), suiteHeadline(summary)].join('\n');
}

/** `index.html`: the suite's verdict and a table linking every run's report (paths relative to the suite folder). */
export function renderSuiteHtml(summary: SuiteSummary, runs: readonly SuiteRun[]): string {
  const body = [
    `<h1>Shakedown suite${summary.label ? ` ${esc(summary.label)}` : ''}</h1>`,
    `<p class="sub">${esc(suiteHeadline(summary))}; ${esc(summary.started_at)} to ${esc(summary.ended_at)}</p>`,
    htmlTable(
      ['scenario file', 'scenario', 'outcome', 'SLOs', 'score', 'report'],
      rows(runs).map((r, i) => {
        const results = runs[i].entry.results;
        const report = results ? results.replace(/results\.json$/, 'report.html') : null;
        return [
          esc(r.file),
          esc(r.scenario),
          `<span class="${runs[i].entry.exit_code === 0 ? 'pass' : 'fail'}">${esc(r.outcome)}</span>${r.error ? `<br><small>${esc(r.error)}</small>` : ''}`,
          esc(r.slos),
          esc(r.score),
          report ? `<a href="${esc(encodeURI(report))}">report</a>` : '-',
        ];
      }),
      [4],
    ),
    summary.not_run.length ? `<p>Not run (interrupted first): ${summary.not_run.map(esc).join(', ')}</p>` : '',
  ].join('\n');
  return htmlDocument({ title: `Shakedown suite: ${suiteHeadline(summary)}`, body, charts: [] });
}

/**
 * One JUnit file for the suite: every run's `<testsuite>` with its SLO cases; a scenario without a result
 * (it did not load, or nothing started) and a missing shard are a `<testsuite>` with one erroring case, so CI
 * never shows green for them.
 */
export function renderSuiteJunit(summary: SuiteSummary, runs: readonly SuiteRun[]): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const suites = doc.ele('testsuites', { name: 'shakedown suite' });
  const totals = { tests: 0, failures: 0, errors: 0 };
  const erroring = (name: string, caseName: string, message: string) => {
    totals.tests++;
    totals.errors++;
    suites
      .ele('testsuite', { name, tests: 1, failures: 0, errors: 1, skipped: 0, time: '0' })
      .ele('testcase', { classname: `shakedown.${name}`, name: caseName, time: '0' })
      .ele('error', { message, type: 'RunNotCompleted' });
  };
  for (const { entry, result } of runs) {
    if (!result) {
      erroring(
        entry.scenario ?? entry.key,
        'run completed',
        `${entry.scenario_file}: ${outcome(entry.exit_code)}${entry.error ? `: ${entry.error}` : ''}`,
      );
      continue;
    }
    const cut = result.run.status !== 'completed';
    totals.tests += result.slos.length + (cut ? 1 : 0);
    totals.failures += result.slos.filter((s) => !s.passed).length;
    totals.errors += cut ? 1 : 0;
    appendRunSuite(suites, result);
  }
  for (const key of summary.not_run) erroring(key, 'run completed', `${key}: not run (the suite was interrupted first)`);
  for (const shard of summary.merged?.missing ?? [])
    erroring(`shard ${shard}`, 'shard reported', `shard ${shard} is missing from the merge`);
  suites.att({ tests: String(totals.tests), failures: String(totals.failures), errors: String(totals.errors) });
  return doc.end({ prettyPrint: true, headless: false });
}

/** The Markdown summary of the suite (for `$GITHUB_STEP_SUMMARY`): headline and one row per run. */
export function renderSuiteMarkdown(summary: SuiteSummary, runs: readonly SuiteRun[]): string {
  const icon = summary.exit_code === 0 ? '✅' : summary.exit_code === 1 ? '❌' : '⚠️';
  const table = markdownTable(
    [
      ['Scenario file', 'Scenario', 'Outcome', 'SLOs', 'Score'],
      ...rows(runs).map((r) => [
        mdEscape(r.file),
        mdEscape(r.scenario),
        mdEscape(r.error ? `${r.outcome}: ${r.error.split('\n')[0]}` : r.outcome),
        r.slos,
        r.score,
      ]),
    ],
    { align: ['l', 'l', 'l', 'r', 'r'] },
  );
  const notRun = summary.not_run.length ? `\nNot run (interrupted first): ${summary.not_run.map(mdEscape).join(', ')}\n` : '';
  return `## ${icon} Shakedown ${mdEscape(suiteHeadline(summary))}\n\n${table}\n${notRun}`;
}
