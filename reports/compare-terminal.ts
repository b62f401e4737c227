/**
 * Terminal table of a comparison: per scenario, one row per phase and metric, the baseline's value and each
 * other run's value, delta and verdict side by side; then notes and the rule used. Pure (cli-table3 with
 * colours off).
 */
import Table from 'cli-table3';
import { compareRule, type Comparison, type MetricRow, type ScenarioComparison } from './compare-runs.ts';
import { fmtDelta, fmtMetric, runLabels, verdictLabel } from './format-values.ts';

const PLAIN = { head: [], border: [] };

/** `p` for a row: `<0.001`, `0.03`, or `-` when not tested. */
export const fmtP = (p: number | null): string => (p === null ? '-' : p < 0.001 ? '<0.001' : p.toFixed(3));

/** Rows of all comparisons of a scenario, keyed by phase and metric in the baseline's order. */
export function alignedRows(s: ScenarioComparison): Array<{ phase: string; metric: string; cells: Array<MetricRow | undefined> }> {
  const keys: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const c of s.comparisons)
    for (const r of c.rows) {
      const k = `${r.phase}\u0000${r.metric}`;
      if (!seen.has(k)) {
        seen.add(k);
        keys.push([r.phase, r.metric]);
      }
    }
  return keys.map(([phase, metric]) => ({
    phase,
    metric,
    cells: s.comparisons.map((c) => c.rows.find((r) => r.phase === phase && r.metric === metric)),
  }));
}

/** Renders the comparison for a terminal or a CI log. */
export function renderCompareTerminal(cmp: Comparison): string {
  const out: string[] = [];
  for (const s of cmp.scenarios) {
    const labels = runLabels([s.baseline, ...s.comparisons.map((c) => c.candidate)]);
    const head = ['phase', 'metric', labels[0], ...s.comparisons.flatMap((_, i) => [labels[i + 1], 'Δ', 'p', 'verdict'])];
    const table = new Table({ head, style: PLAIN });
    for (const row of alignedRows(s)) {
      const base = row.cells.find(Boolean)?.baseline ?? null;
      table.push([
        row.phase,
        row.metric,
        fmtMetric(row.metric, base),
        ...row.cells.flatMap((c) =>
          c
            ? [
                fmtMetric(row.metric, c.candidate),
                fmtDelta(row.metric, c.delta),
                fmtP(c.pValue),
                c.verdict === 'worse' ? 'WORSE' : verdictLabel(c),
              ]
            : ['-', '-', '-', '-'],
        ),
      ]);
    }
    out.push(
      `Compare ${s.scenario}: baseline ${labels[0]} (${s.baseline.file})${s.comparisons.map((c, i) => ` vs ${labels[i + 1]} (${c.candidate.file})`).join('')}`,
      table.toString(),
    );
    for (const c of s.comparisons) for (const n of c.notes) out.push(`  note: ${n}`);
  }
  out.push(
    `${compareRule(cmp.options.alpha)} Minimum effects: ${Object.entries(cmp.options.minEffect)
      .map(([m, e]) => `${m} ${e.rel ? `max(${fmtMetric(m, e.abs)}, ${e.rel * 100}%)` : fmtMetric(m, e.abs)}`)
      .join(', ')}; recovery_s and score are shown, not tested.`,
  );
  out.push(
    cmp.worse ? `${cmp.worse} metric${cmp.worse === 1 ? '' : 's'} worse, ${cmp.better} better.` : `Nothing worse (${cmp.better} better).`,
  );
  return out.join('\n');
}
