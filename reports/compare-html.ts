/**
 * HTML page of a comparison: per scenario, the runs compared (label, git sha, hash, trust), a side-by-side
 * table with deltas and verdicts (worse rows marked), and a chart per key metric with each run's phase
 * values. Self-contained and offline like the run report. Pure.
 */
import { compareRule, type Comparison } from './compare-runs.ts';
import { alignedRows, fmtP } from './compare-terminal.ts';
import { htmlDocument, htmlTable, PALETTE, type ChartSpec, chartSlot } from './html-document.ts';
import { esc } from './html-escape.ts';
import { fmtDelta, fmtMetric, runLabels, verdictLabel } from './format-values.ts';

const VERDICT_CLASS: Record<string, string> = { worse: 'fail', better: 'pass', same: '', untested: 'warn' };

/** Renders the comparison page. */
export function renderCompareHtml(cmp: Comparison): string {
  const charts: ChartSpec[] = [];
  const sections = cmp.scenarios.map((s, si) => {
    const runs = [s.baseline, ...s.comparisons.map((c) => c.candidate)];
    const labels = runLabels(runs);
    const runsTable = htmlTable(
      ['', 'run', 'file', 'git sha', 'scenario hash', 'status', 'measurements'],
      runs.map((r, i) => [
        i === 0 ? 'baseline' : `#${i}`,
        esc(labels[i]),
        `<code>${esc(r.file)}</code>`,
        esc(r.git_sha ?? '-'),
        esc(r.scenario_hash),
        esc(r.status),
        r.trusted ? 'trusted' : '<span class="warn">doubtful</span>',
      ]),
    );
    const rows = alignedRows(s).map((row) => {
      const base = row.cells.find(Boolean)?.baseline ?? null;
      return [
        esc(row.phase),
        `<code>${esc(row.metric)}</code>`,
        esc(fmtMetric(row.metric, base)),
        ...row.cells.flatMap((c) =>
          c
            ? [
                esc(fmtMetric(row.metric, c.candidate)),
                esc(fmtDelta(row.metric, c.delta)),
                esc(fmtP(c.pValue)),
                `<span class="${VERDICT_CLASS[c.verdict]}" data-verdict="${c.verdict}">${c.verdict === 'worse' ? '<strong>worse</strong>' : esc(verdictLabel(c))}</span>`,
              ]
            : ['-', '-', '-', '-'],
        ),
      ];
    });
    const head = ['phase', 'metric', esc(labels[0]), ...s.comparisons.flatMap((_, i) => [esc(labels[i + 1]), 'Δ', 'p', 'verdict'])];
    const numeric = [2, ...s.comparisons.flatMap((_, i) => [3 + i * 4, 4 + i * 4, 5 + i * 4])];
    const notes = s.comparisons.flatMap((c) => c.notes);
    const chartIds: string[] = [];
    const phases = [...new Set(alignedRows(s).map((r) => r.phase))].filter((p) =>
      s.comparisons[0]?.rows.some((r) => r.phase === p && r.metric === 'p95_ms'),
    );
    for (const metric of ['p95_ms', 'error_rate', 'quality'] as const) {
      const byPhase = phases.map((phase) => s.comparisons[0]?.rows.find((r) => r.phase === phase && r.metric === metric));
      if (!byPhase.some((r) => r && r.baseline !== null)) continue;
      const id = `cmp-${si}-${metric}`;
      chartIds.push(id);
      charts.push({
        id,
        x: phases.map((_, i) => i),
        xLabels: phases,
        xTitle: 'phase',
        unit: metric === 'p95_ms' ? 'ms' : metric === 'quality' ? 'q' : '%',
        shade: [],
        height: 200,
        series: runs.map((r, ri) => ({
          label: labels[ri],
          color: PALETTE.lines[ri % PALETTE.lines.length],
          values: phases.map((phase) => {
            const row = (ri === 0 ? s.comparisons[0] : s.comparisons[ri - 1]).rows.find((x) => x.phase === phase && x.metric === metric);
            return row ? (ri === 0 ? row.baseline : row.candidate) : null;
          }),
        })),
      });
    }
    return (
      `<h2>${esc(s.scenario)}</h2>${runsTable}${htmlTable(head, rows, numeric)}${notes.length ? `<div class="banner warn"><ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></div>` : ''}` +
      chartIds.map((id) => chartSlot(id, `${id.split('-').slice(2).join('-')} per phase`)).join('')
    );
  });
  const summary = cmp.worse
    ? `<div class="banner fail" data-testid="summary"><strong>${cmp.worse} metric${cmp.worse === 1 ? '' : 's'} worse</strong>, ${cmp.better} better.</div>`
    : `<div class="banner" data-testid="summary" style="border-color:#9ae6b4;background:#f0fff4">Nothing worse (${cmp.better} better).</div>`;
  const rule = `<p class="sub">${esc(compareRule(cmp.options.alpha))} Minimum effects: ${Object.entries(cmp.options.minEffect)
    .map(([m, e]) => `${esc(m)} ${esc(e.rel ? `max(${fmtMetric(m, e.abs)}, ${e.rel * 100}%)` : fmtMetric(m, e.abs))}`)
    .join(', ')}. Values are the phases’ own; recovery_s and score are shown, not tested.</p>`;
  return htmlDocument({ title: 'Shakedown comparison', body: `<h1>Comparison</h1>${summary}${rule}${sections.join('')}`, charts });
}
