/**
 * The suite renderers with hostile text where it can come from outside (file paths, error messages): escaped
 * in HTML and Markdown, and the JUnit stays well-formed. Pure renderers, exact values.
 */
import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderSuiteHtml, renderSuiteJunit, renderSuiteMarkdown, renderSuiteTerminal, suiteHeadline } from '../../reports/suite-report.ts';
import { SUITE_SCHEMA_VERSION, type SuiteRun, type SuiteSummary } from '../../harness/results/suite-types.ts';
import { HOSTILE, XSS_SCRIPT } from '../reports/fixture-result.ts';

const entry = {
  key: 'x.ts',
  scenario_file: `scenarios/${HOSTILE}.ts`,
  scenario: null,
  exit_code: 3,
  results: null,
  error: `SUT exited: ${HOSTILE}`,
};
const summary: SuiteSummary = {
  schemaVersion: SUITE_SCHEMA_VERSION,
  kind: 'suite',
  label: HOSTILE,
  shard: { index: 1, total: 2 },
  merged: null,
  started_at: '2026-12-04T21:00:00.000Z',
  ended_at: '2026-12-04T21:01:00.000Z',
  exit_code: 130,
  not_run: [`${HOSTILE}.ts`],
  runs: [entry],
};
const runs: SuiteRun[] = [{ entry, result: null }];

describe('suite reports', () => {
  it('say how the suite went in one line', () => {
    expect(suiteHeadline(summary)).toBe('suite (shard 1/2): 1 run, 1 infrastructure, 1 not run; exit 130');
  });

  it('escape every outside text in index.html', () => {
    const html = renderSuiteHtml(summary, runs);
    expect(html).not.toContain(XSS_SCRIPT);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;window.__pwned = &quot;script&quot;&lt;/script&gt;');
  });

  it('escape table syntax and HTML in summary.md', () => {
    const md = renderSuiteMarkdown(summary, runs);
    expect(md).not.toContain('<script>');
    expect(md.split('\n').filter((l) => l.startsWith('|'))).toHaveLength(3); // header, alignment, one run: no cell broke the table
  });

  it('write well-formed JUnit with one erroring case for the run without a result and one for the file not run', () => {
    const xml = renderSuiteJunit(summary, runs);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
    expect([doc.testsuites['@_tests'], doc.testsuites['@_failures'], doc.testsuites['@_errors']]).toEqual(['2', '0', '2']);
    expect(doc.testsuites.testsuite[0].testcase.error['@_message']).toBe(`scenarios/${HOSTILE}.ts: infrastructure: SUT exited: ${HOSTILE}`);
  });

  it('print a plain table with the problem beneath it', () => {
    const text = renderSuiteTerminal({ ...summary, label: '', not_run: [], exit_code: 3 }, [
      { entry: { ...entry, scenario_file: 'scenarios/x.ts', error: 'SUT exited with code 1\nmore' }, result: null },
    ]);
    expect(text.split('\n').slice(-3)).toEqual([
      'problems:',
      '  scenarios/x.ts: SUT exited with code 1',
      'suite (shard 1/2): 1 run, 1 infrastructure; exit 3',
    ]);
    expect(text).not.toMatch(/\x1b\[/);
  });
});
