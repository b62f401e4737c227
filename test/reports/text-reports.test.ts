import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderJunit } from '../../reports/junit-report.ts';
import { renderTerminalSummary } from '../../reports/terminal.ts';
import { mdEscape, renderMarkdownSummary } from '../../reports/markdown-summary.ts';
import { makeResult, XSS_SCRIPT } from './fixture-result.ts';

describe('JUnit XML', () => {
  it('has one test case per SLO, failures carrying the actual value', () => {
    const xml = renderJunit(makeResult());
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suite = doc.testsuites.testsuite;
    expect(suite).toMatchObject({ name: 'fixture-scenario', tests: '3', failures: '1', errors: '0' });
    expect(suite.testcase.map((t: { name: string }) => t.name)).toEqual([
      'baseline: p95_ms < 500',
      'fault: error_rate < 1%',
      'recovery: recovery_s < 5',
    ]);
    expect(suite.testcase[1].failure.message).toBe('error_rate in model-latency was 1.5%, expected < 1% (off by 0.5%)');
    expect(xml).toMatchSnapshot();
  });

  it('escapes hostile text and errors a run that did not complete', () => {
    const r = makeResult({ hostile: true });
    r.run.status = 'interrupted';
    r.run.status_reason = `interrupted by SIGINT ${XSS_SCRIPT}`;
    const xml = renderJunit(r);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('<script>');
    const suite = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml).testsuites.testsuite;
    expect(suite.errors).toBe('1');
    expect(suite.testcase.at(-1).error.message).toBe(`run interrupted: interrupted by SIGINT ${XSS_SCRIPT}`);
  });
});

describe('Markdown summary', () => {
  it('gives the verdict, phases, SLOs (failed first) and faults', () => {
    expect(renderMarkdownSummary(makeResult())).toMatchSnapshot();
  });

  it('carries the run notes (connection waits among them) as the terminal does', () => {
    const r = makeResult();
    r.reconciliation.notes = ['12 of 80 arrivals waited for a free connection: raise load.connections | or not'];
    expect(renderMarkdownSummary(r)).toContain(
      '**Notes:**\n\n- 12 of 80 arrivals waited for a free connection: raise load.connections \\| or not\n',
    );
    expect(renderMarkdownSummary(makeResult())).not.toContain('**Notes:**');
  });

  it('escapes table pipes, HTML and link syntax from the SUT', () => {
    expect(mdEscape('a | <b> [x](y) *z* & _\nnext')).toBe('a \\| &lt;b&gt; \\[x\\](y) \\*z\\* &amp; \\_ next');
    const md = renderMarkdownSummary(makeResult({ hostile: true }));
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
  });
});

describe('terminal summary', () => {
  it('names only the failure code on its last line when the CLI prints the whole message after it (said once)', () => {
    const r = makeResult();
    r.run.status = 'failed';
    r.run.status_reason = 'SUT_EXITED_DURING_RUN: The SUT died during the run: it exited with code 1';
    expect(renderTerminalSummary(r).split('\n').at(-1)).toBe(
      'Run failed: SUT_EXITED_DURING_RUN: The SUT died during the run: it exited with code 1',
    );
    expect(renderTerminalSummary(r, undefined, { failureFollows: true }).split('\n').at(-1)).toBe(
      'Run failed: SUT_EXITED_DURING_RUN (the reason follows)',
    );
  });

  it('says the score of a run that did not complete is partial', () => {
    const r = makeResult();
    r.run.status = 'interrupted';
    r.score = {
      version: 2,
      value: 62.5,
      budget_ms: 3000,
      formula: 'score = mean over fault+recovery phases of 100×(good + ½·loud + 0.1·late)/requests',
      formula_long: '',
      components: [{ name: 'good', value: 50, weight: 1 }],
      phases: [],
      partial: true,
    };
    const text = renderTerminalSummary(r);
    expect(text).toContain('Resilience score 62.5');
    expect(text).toContain(
      "  partial: the run was interrupted before every phase completed; this score covers only what was measured and is not comparable with a completed run's",
    );
    r.run.status = 'completed';
    delete r.score.partial;
    expect(renderTerminalSummary(r)).not.toContain('partial:');
  });

  it('says a phase without samples has none, instead of "all ok"', () => {
    const r = makeResult();
    const last = r.phases.at(-1)!;
    r.phases[r.phases.length - 1] = { ...last, completed: false, outcomes: {}, metrics: { ...last.metrics, requests: 0, quality: null } };
    const rows = renderTerminalSummary(r)
      .split('\n')
      .filter((l) => l.startsWith('│'));
    expect(rows.find((l) => l.includes(`│ ${last.name} `))).toContain('no samples');
    expect(rows.find((l) => l.includes('│ baseline '))).not.toContain('no samples');
  });

  it('says why a run has no resilience score, from what it lacks', () => {
    const r = makeResult();
    r.score = {
      value: null,
      components: [{ name: 'availability', value: null, weight: 0.3 }],
      formula: 'score = ...',
      phases: [],
      faults: [],
    };
    // Interrupted in the baseline: no fault phase got samples, no fault was measured; the run is scored.
    r.phases = r.phases.map((p) => (p.kind === 'baseline' ? p : { ...p, metrics: { ...p.metrics, requests: 0 } }));
    r.faults = r.faults.map((f) => ({ ...f, recovery: 'not_measured', recovery_s: null }));
    const text = renderTerminalSummary(r);
    expect(text).toContain(
      'Resilience score: no value (no component with a weight above 0 could be measured: no fault phase has samples, so availability, latency and quality have nothing to measure; recovery was not measured for any fault)',
    );
    expect(text).not.toContain('needs a scorer');
  });
});
