/**
 * A Markdown summary of a run for CI job summaries (GitHub's `$GITHUB_STEP_SUMMARY` and the like): verdict,
 * phases, failed and passed SLOs, faults with evidence and recovery, health warnings. Tables by
 * markdown-table; every cell that came from the SUT or the scenario is escaped for Markdown. Pure.
 */
import { markdownTable } from 'markdown-table';
import type { RunResult } from '../harness/results/result-types.ts';
import { fmtMetric, fmtMs, fmtNum, fmtPct, fmtSeconds } from './format-values.ts';
import { readScore } from './run-score.ts';

/** Escapes text for a Markdown table cell or line: pipes, HTML, emphasis and link syntax, newlines. */
export function mdEscape(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

const table = (rows: string[][], align?: Array<'l' | 'r' | 'c'>) => markdownTable(rows, { align });

/** Renders the run's Markdown summary. */
export function renderMarkdownSummary(result: RunResult): string {
  const r = result;
  const v = r.verdict;
  const icon = r.run.status !== 'completed' ? '⚠️' : v.passed ? '✅' : '❌';
  const verdict =
    r.run.status !== 'completed'
      ? `run ${r.run.status}${r.run.status_reason ? `: ${mdEscape(r.run.status_reason)}` : ''}`
      : v.slos_total === 0
        ? 'no SLOs declared'
        : v.passed
          ? `all ${v.slos_total} SLOs met`
          : `${v.slos_failed} of ${v.slos_total} SLOs failed`;
  const score = readScore(r);
  const out: string[] = [
    `## ${icon} ${mdEscape(r.run.scenario)}: ${verdict}`,
    '',
    r.run.description ? `${mdEscape(r.run.description)}\n` : '',
    `Seed ${r.run.seed} · label ${mdEscape(r.run.label || '-')} · git ${mdEscape(r.run.git_sha ?? '-')} · scenario hash ${mdEscape(r.run.scenario_hash)}` +
      (score
        ? ` · **resilience score ${fmtNum(score.value, 1)}**${score.components.length ? ` (${score.components.map((c) => `${mdEscape(c.name)} ${fmtNum(c.value, 1)}`).join(', ')})` : ''}`
        : ''),
    '',
  ];
  if (score?.formula) out.push(`<sub>Score formula: ${mdEscape(score.formula)}</sub>`, '');
  if (r.health.flags.length)
    out.push(`> **Harness health: results may not be trusted.**`, ...r.health.flags.map((f) => `> - ${mdEscape(f)}`), '');
  const notes = r.reconciliation?.notes ?? [];
  if (notes.length) out.push('**Notes:**', '', ...notes.map((n) => `- ${mdEscape(n)}`), '');
  const scored = r.phases.some((p) => p.metrics.quality !== undefined);
  out.push(
    '### Phases',
    '',
    table(
      [
        ['phase', 'window', 'requests', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', ...(scored ? ['quality'] : [])],
        ...r.phases.map((p) => [
          `${mdEscape(p.name)}${p.kind === 'fault' ? ' (fault)' : ''}${p.completed ? '' : ' (cut short)'}`,
          `${fmtSeconds(p.start_ms)}–${fmtSeconds(p.end_ms)}`,
          String(p.metrics.requests),
          fmtPct(p.metrics.error_rate),
          fmtMs(p.metrics.p50_ms),
          fmtMs(p.metrics.p95_ms),
          fmtMs(p.metrics.p99_ms),
          ...(scored ? [fmtNum(p.metrics.quality ?? null, 3)] : []),
        ]),
      ],
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
  );
  if (r.slos.length) {
    const sorted = [...r.slos].sort((a, b) => Number(a.passed) - Number(b.passed));
    out.push(
      '### SLOs',
      '',
      table(
        [
          ['verdict', 'SLO', 'phase', 'actual', 'margin'],
          ...sorted.map((s) => [
            s.passed ? 'pass' : `**FAIL**${s.reason ? ` (${mdEscape(s.reason)})` : ''}`,
            mdEscape(`${s.selector}: ${s.metric} ${s.expression}`),
            mdEscape(s.phase),
            fmtMetric(s.metric, s.actual),
            s.margin === null ? '-' : fmtMetric(s.metric, s.margin),
          ]),
        ],
        ['l', 'l', 'l', 'r', 'r'],
      ),
      '',
    );
  }
  if (r.faults.length) {
    out.push(
      '### Faults',
      '',
      table([
        ['fault', 'on', 'what', 'applied', 'removed', 'fake requests', 'failed / samples', 'recovery'],
        ...r.faults.map((f) => [
          mdEscape(f.name),
          mdEscape(f.on),
          mdEscape(f.description),
          f.applied_at_ms === null ? 'never' : fmtSeconds(f.applied_at_ms, 3),
          f.removed_at_ms === null ? 'never' : fmtSeconds(f.removed_at_ms, 3),
          String(f.proof.fake_requests_in_window ?? '-'),
          `${f.proof.failed_samples_in_window}/${f.proof.samples_in_window}`,
          f.recovery === 'recovered' ? `${fmtNum(f.recovery_s, 1)} s` : f.recovery.replace('_', ' '),
        ]),
      ]),
      '',
    );
  }
  out.push(`<sub>Full report: report.html beside results.json (${r.run.id}).</sub>`, '');
  return out.filter((line, i, all) => !(line === '' && all[i - 1] === '')).join('\n');
}
