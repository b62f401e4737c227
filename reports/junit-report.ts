/**
 * JUnit XML of a run: one test suite per run, one test case per SLO (`<selector>: <metric> <expression>`,
 * classname `shakedown.<scenario>.<phase>`), a `<failure>` with the actual value and margin when it failed.
 * An interrupted or failed run adds a `run` test case that errors, so CI never shows green for a cut run.
 * Built with xmlbuilder2, so every text and attribute is escaped by the library. Pure.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { RunResult } from '../harness/results/result-types.ts';
import { fmtMetric } from './format-values.ts';

/** Renders the run's SLO verdicts as JUnit XML. */
export function renderJunit(result: RunResult): string {
  const r = result;
  const seconds = Math.max(0, (Date.parse(r.run.ended_at) - Date.parse(r.run.started_at)) / 1000) || 0;
  const cut = r.run.status !== 'completed';
  const failures = r.slos.filter((s) => !s.passed).length;
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const suites = doc.ele('testsuites', {
    name: 'shakedown',
    tests: r.slos.length + (cut ? 1 : 0),
    failures,
    errors: cut ? 1 : 0,
    time: seconds.toFixed(3),
  });
  appendRunSuite(suites, r);
  return doc.end({ prettyPrint: true, headless: false });
}

/** Appends the run's `<testsuite>` (its SLO cases, and a `run completed` error when cut) to a `<testsuites>`. */
export function appendRunSuite(suites: XMLBuilder, result: RunResult): void {
  const r = result;
  const seconds = Math.max(0, (Date.parse(r.run.ended_at) - Date.parse(r.run.started_at)) / 1000) || 0;
  const cut = r.run.status !== 'completed';
  const failures = r.slos.filter((s) => !s.passed).length;
  const suite = suites.ele('testsuite', {
    name: r.run.scenario,
    tests: r.slos.length + (cut ? 1 : 0),
    failures,
    errors: cut ? 1 : 0,
    skipped: 0,
    time: seconds.toFixed(3),
    timestamp: r.run.started_at.replace(/\.\d+Z$/, ''),
    hostname: 'localhost',
  });
  const props = suite.ele('properties');
  const prop = (name: string, value: string | number | null) => props.ele('property', { name, value: value === null ? '' : String(value) });
  prop('scenario_file', r.run.scenario_file);
  prop('scenario_hash', r.run.scenario_hash);
  prop('label', r.run.label);
  prop('git_sha', r.run.git_sha);
  prop('seed', r.run.seed);
  prop('status', r.run.status);
  prop('trusted', String(r.health.trusted));
  for (const s of r.slos) {
    const tc = suite.ele('testcase', {
      classname: `shakedown.${r.run.scenario}.${s.phase}`,
      name: `${s.selector}: ${s.metric} ${s.expression}`,
      time: '0',
    });
    const actual = fmtMetric(s.metric, s.actual);
    if (s.passed) {
      tc.ele('system-out').txt(`actual ${actual}, margin ${s.margin === null ? '-' : fmtMetric(s.metric, s.margin)}`);
    } else {
      const message = `${s.metric} in ${s.phase} was ${actual}, expected ${s.expression}${s.margin === null ? '' : ` (off by ${fmtMetric(s.metric, Math.abs(s.margin))})`}${s.reason ? `: ${s.reason}` : ''}`;
      tc.ele('failure', { message, type: 'SloFailed' }).txt(
        `${message}\nactual: ${s.actual === null ? 'null' : s.actual}\nmargin: ${s.margin === null ? 'null' : s.margin}\nphase: ${s.phase}\nselector: ${s.selector}`,
      );
    }
  }
  if (cut) {
    suite
      .ele('testcase', { classname: `shakedown.${r.run.scenario}`, name: 'run completed', time: seconds.toFixed(3) })
      .ele('error', { message: `run ${r.run.status}${r.run.status_reason ? `: ${r.run.status_reason}` : ''}`, type: 'RunNotCompleted' });
  }
  if (r.health.flags.length) suite.ele('system-err').txt(`harness health: results may not be trusted:\n${r.health.flags.join('\n')}`);
}
