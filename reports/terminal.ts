/**
 * Terminal summary of a run result: per-phase table, SLO verdicts, fault evidence, health. Pure: result in,
 * text out (cli-table3 with its own colours off). `paint` colours the SLO verdicts and the final line (the CLI
 * passes one that is the identity off a terminal and with NO_COLOR).
 */
import Table from 'cli-table3';
import type { PhaseResult, RunResult } from '../harness/results/result-types.ts';
import { DEPENDENCY_CALLS_HEAD, dependencyCallsRows, dependencyMatchNote } from './dependency-calls-rows.ts';
import { readScore } from './run-score.ts';

const PLAIN = { head: [], border: [] };

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v >= 100 ? `${Math.round(v)}` : v.toFixed(1));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '-' : `${(v * 100).toFixed(v > 0 && v < 0.001 ? 2 : 1)}%`);
const num = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? '-' : String(Number(v.toFixed(digits))));

function errorsCell(p: PhaseResult): string {
  const parts = Object.entries(p.errors)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`);
  return parts.length ? parts.join(', ') : '-';
}

function window(p: PhaseResult): string {
  return `${num(p.start_ms / 1000, 1)}–${num(p.end_ms / 1000, 1)}s${p.completed ? '' : ' (cut short)'}`;
}

function formatMetric(metric: string, v: number | null): string {
  if (v === null) return '-';
  if (metric.endsWith('_rate') || metric === 'quality') return metric === 'quality' ? num(v, 3) : pct(v);
  if (metric.endsWith('_ms')) return `${ms(v)} ms`;
  if (metric.endsWith('_s')) return `${num(v, 1)} s`;
  return num(v, 2);
}

/** Why no score component had a value, from what this run lacks (not every reason there could be). */
function whyNoScore(result: RunResult): string {
  if ((result.score as { version?: number } | undefined)?.version === 2) return 'no fault or recovery phase has requests';
  const faultPhases = result.phases.filter((p) => p.kind === 'fault' && p.metrics.requests > 0);
  const reasons: string[] = [];
  if (faultPhases.length === 0) reasons.push('no fault phase has samples, so availability, latency and quality have nothing to measure');
  else {
    const baseline = result.phases.find((p) => p.kind === 'baseline');
    if (!baseline || baseline.metrics.p95_ms === null) reasons.push('latency and quality need a baseline with samples');
    if (!result.phases.some((p) => p.metrics.quality !== undefined)) reasons.push('quality needs a scorer');
  }
  if (!result.faults.some((f) => f.recovery === 'recovered' || f.recovery === 'not_recovered'))
    reasons.push(result.faults.length ? 'recovery was not measured for any fault' : 'recovery needs a fault');
  return reasons.join('; ') || 'the components measured have weight 0';
}

/** Renders the phases, SLOs and faults of a run. */
export function renderTerminalSummary(
  result: RunResult,
  paint: (tone: 'good' | 'bad' | 'warn', text: string) => string = (_t, text) => text,
  /** The CLI prints the failure's whole message on stderr right after: the last line names only its code. */
  options: { failureFollows?: boolean } = {},
): string {
  const scored = result.phases.some((p) => p.metrics.quality !== undefined);
  const phases = new Table({
    head: [
      'phase',
      'window',
      'requests',
      'rps',
      'errors',
      'by kind',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      ...(scored ? ['quality', 'outcomes'] : []),
    ],
    style: PLAIN,
  });
  for (const p of result.phases) {
    const outcomes = Object.entries(p.outcomes)
      .filter(([k, n]) => n && k !== 'ok')
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    phases.push([
      `${p.name}${p.kind === 'fault' ? ' (fault)' : ''}`,
      window(p),
      p.metrics.requests,
      num(p.metrics.throughput_rps, 1),
      pct(p.metrics.error_rate),
      errorsCell(p),
      ms(p.metrics.p50_ms),
      ms(p.metrics.p95_ms),
      ms(p.metrics.p99_ms),
      ...(scored ? [num(p.metrics.quality ?? null, 3), p.metrics.requests === 0 ? 'no samples' : outcomes || 'all ok'] : []),
    ]);
  }
  const out: string[] = [`Phases of ${result.run.scenario} (seed ${result.run.seed}, ${result.run.status})`, phases.toString()];

  if (result.faults.length) {
    const faults = new Table({
      head: ['fault', 'on', 'what', 'scheduled', 'applied', 'removed', 'fake requests', 'failed samples', 'recovery'],
      style: PLAIN,
    });
    for (const f of result.faults) {
      faults.push([
        f.name,
        f.on,
        f.description,
        `${num(f.at_ms / 1000, 1)}s +${num(f.for_ms / 1000, 1)}s`,
        f.applied_at_ms === null ? 'never' : `${num(f.applied_at_ms / 1000, 3)}s`,
        f.removed_at_ms === null ? 'never' : `${num(f.removed_at_ms / 1000, 3)}s`,
        f.proof.fake_requests_in_window ?? '-',
        `${f.proof.failed_samples_in_window}/${f.proof.samples_in_window}`,
        f.recovery === 'recovered' ? `${num(f.recovery_s, 1)} s` : f.recovery.replace('_', ' '),
      ]);
    }
    out.push('Faults', faults.toString());
    for (const f of result.faults) for (const problem of f.problems) out.push(`  fault ${f.name}: ${problem}`);
  }

  if (result.slos.length) {
    const slos = new Table({ head: ['SLO', 'phase', 'actual', 'margin', 'verdict'], style: PLAIN });
    for (const s of result.slos) {
      slos.push([
        `${s.selector}: ${s.metric} ${s.expression}`,
        s.phase,
        formatMetric(s.metric, s.actual),
        s.margin === null ? '-' : formatMetric(s.metric, s.margin),
        s.passed ? paint('good', 'pass') : paint('bad', `FAIL${s.reason ? ` (${s.reason})` : ''}`),
      ]);
    }
    out.push('SLOs', slos.toString());
  }
  const callRows = dependencyCallsRows(result);
  if (callRows.length) {
    const calls = new Table({ head: [...DEPENDENCY_CALLS_HEAD], style: PLAIN });
    for (const row of callRows) calls.push(row);
    out.push(`Dependency calls (matched to requests by ${dependencyMatchNote(result)})`, calls.toString());
  }
  const score = readScore(result);
  if (!score && result.score && typeof result.score === 'object') {
    const v2 = (result.score as { version?: number }).version === 2;
    out.push(
      v2
        ? `Resilience score: no value (${whyNoScore(result)})`
        : `Resilience score: no value (no component with a weight above 0 could be measured: ${whyNoScore(result)})`,
    );
  }
  if (score) {
    out.push(
      `Resilience score ${num(score.value, 1)} (${score.components.map((c) => `${c.name} ${num(c.value, 1)} ×${num(c.weight, 2)}`).join(', ')})`,
    );
    if (score.formula) out.push(`  ${score.formula}`);
    if ((result.score as { partial?: boolean }).partial)
      out.push(
        paint(
          'warn',
          `  partial: the run was ${result.run.status} before every phase completed; this score covers only what was measured and is not comparable with a completed run's`,
        ),
      );
  }
  if (result.health.flags.length)
    out.push(`Harness health: results may not be trusted:\n${result.health.flags.map((f) => `  - ${f}`).join('\n')}`);
  const notes = result.reconciliation?.notes ?? [];
  if (notes.length) out.push(`Notes:\n${notes.map((n) => `  - ${n}`).join('\n')}`);
  const v = result.verdict;
  out.push(
    result.run.status !== 'completed'
      ? paint(
          'warn',
          options.failureFollows && result.run.status === 'failed'
            ? `Run failed: ${(result.run.status_reason ?? '').split(':')[0]} (the reason follows)`
            : `Run ${result.run.status}: ${result.run.status_reason ?? ''}`.trim(),
        )
      : v.slos_total === 0
        ? 'No SLOs declared.'
        : v.passed
          ? paint('good', `All ${v.slos_total} SLOs met.`)
          : paint('bad', `${v.slos_failed} of ${v.slos_total} SLOs failed.`),
  );
  return out.join('\n');
}
