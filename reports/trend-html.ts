/**
 * One HTML page over a history of runs (a nightly folder): per scenario, oldest first, the score, SLOs
 * failed, and p95, error rate and quality per phase, and recovery per fault, over builds labelled by build
 * label or git sha; then a table of the runs. Self-contained and offline. Pure.
 */
import type { RunResult } from '../harness/results/result-types.ts';
import { chartSlot, htmlDocument, htmlTable, PALETTE, type ChartSpec } from './html-document.ts';
import { esc } from './html-escape.ts';
import { fmtMetric, fmtNum, runLabels } from './format-values.ts';
import { readScore } from './run-score.ts';

const UNIT: Record<string, ChartSpec['unit']> = {
  p95_ms: 'ms',
  error_rate: '%',
  quality: 'q',
  recovery_s: 'n',
  score: 'n',
  slos_failed: 'n',
};
const TITLE: Record<string, string> = {
  score: 'Resilience score',
  slos_failed: 'SLOs failed',
  p95_ms: 'p95 latency per phase',
  error_rate: 'Error rate per phase',
  quality: 'Quality per phase',
  recovery_s: 'Recovery time per fault (s; missing = not recovered)',
};

/** Renders the trend page of the given runs (any order; sorted by start time here). */
export function renderTrendHtml(runs: Array<{ file: string; result: RunResult }>): string {
  const sorted = [...runs].sort((a, b) => a.result.run.started_at.localeCompare(b.result.run.started_at));
  const byScenario = new Map<string, typeof sorted>();
  for (const r of sorted) byScenario.set(r.result.run.scenario, [...(byScenario.get(r.result.run.scenario) ?? []), r]);
  const charts: ChartSpec[] = [];
  const sections: string[] = [];
  let n = 0;
  for (const [scenario, list] of byScenario) {
    const x = list.map((_, i) => i);
    const xLabels = runLabels(list.map((r) => r.result.run));
    const ids: string[] = [];
    const add = (key: string, series: ChartSpec['series']) => {
      if (!series.some((s) => s.values.some((v) => v !== null))) return;
      const id = `trend-${n++}`;
      ids.push(`${id}\u0000${TITLE[key]}`);
      charts.push({ id, x, xLabels, xTitle: 'build', unit: UNIT[key], shade: [], height: 200, series });
    };
    add('score', [{ label: 'score', color: PALETTE.quality, values: list.map((r) => readScore(r.result)?.value ?? null) }]);
    add('slos_failed', [{ label: 'SLOs failed', color: PALETTE.p99, values: list.map((r) => r.result.verdict.slos_failed) }]);
    const phases = [...new Set(list.flatMap((r) => r.result.phases.map((p) => p.name)))];
    for (const metric of ['p95_ms', 'error_rate', 'quality'] as const) {
      add(
        metric,
        phases.map((phase, i) => ({
          label: phase,
          color: PALETTE.lines[i % PALETTE.lines.length],
          values: list.map((r) => (r.result.phases.find((p) => p.name === phase)?.metrics[metric] ?? null) as number | null),
        })),
      );
    }
    const faults = [...new Set(list.flatMap((r) => r.result.faults.map((f) => f.name)))];
    add(
      'recovery_s',
      faults.map((fault, i) => ({
        label: fault,
        color: PALETTE.lines[i % PALETTE.lines.length],
        values: list.map((r) => r.result.faults.find((f) => f.name === fault)?.recovery_s ?? null),
      })),
    );
    const table = htmlTable(
      ['build', 'started', 'git sha', 'verdict', 'SLOs failed', 'score', 'fault p95', 'fault errors', 'trusted', 'file'],
      list.map((r, ri) => {
        const res = r.result;
        const fault = res.phases.filter((p) => p.kind === 'fault');
        const worst = (m: 'p95_ms' | 'error_rate') => (fault.length ? Math.max(...fault.map((p) => p.metrics[m] ?? -Infinity)) : null);
        const w95 = worst('p95_ms');
        const wErr = worst('error_rate');
        return [
          esc(xLabels[ri]),
          esc(res.run.started_at),
          esc(res.run.git_sha ?? '-'),
          res.run.status !== 'completed'
            ? `<span class="warn">${esc(res.run.status)}</span>`
            : res.verdict.passed
              ? '<span class="pass">passed</span>'
              : '<span class="fail">failed</span>',
          String(res.verdict.slos_failed),
          esc(fmtNum(readScore(res)?.value ?? null, 1)),
          esc(fmtMetric('p95_ms', w95 === -Infinity ? null : w95)),
          esc(fmtMetric('error_rate', wErr === -Infinity ? null : wErr)),
          res.health.trusted ? 'yes' : '<span class="warn">no</span>',
          `<code>${esc(r.file)}</code>`,
        ];
      }),
      [4, 5, 6, 7],
    );
    const hashes = [...new Set(list.map((r) => r.result.run.scenario_hash))];
    const hashNote =
      hashes.length > 1
        ? `<div class="banner warn">The scenario file changed across these runs (${hashes.length} scenario hashes: ${hashes.map(esc).join(', ')}); a step in a chart may come from the scenario, not the build.</div>`
        : '';
    sections.push(
      `<h2>${esc(scenario)}</h2><p class="sub">${list.length} run${list.length === 1 ? '' : 's'}, oldest first.</p>${hashNote}${ids
        .map((s) => {
          const [id, title] = s.split('\u0000');
          return chartSlot(id, title);
        })
        .join('')}<h3>Runs</h3>${table}`,
    );
  }
  const body = `<h1>Trend</h1><p class="sub">${sorted.length} runs of ${byScenario.size} scenario${byScenario.size === 1 ? '' : 's'}; builds labelled by build label, else git sha, else run id.</p>${sections.join('') || '<p>No runs.</p>'}`;
  return htmlDocument({ title: 'Shakedown trend', body, charts });
}
