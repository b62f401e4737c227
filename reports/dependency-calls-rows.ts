/**
 * The dependency call metrics of a run (`result.dependency_calls`, README "Dependency call metrics") as table
 * rows, shared by the terminal and HTML reports: per dependency and phase, calls per request (mean and p95),
 * retry amplification against baseline, early retries and duplicate calls; and how the calls were matched.
 * Pure; raw text out (the HTML escapes it).
 */
import type { RunResult } from '../harness/results/result-types.ts';

export const DEPENDENCY_CALLS_HEAD = [
  'dependency',
  'phase',
  'requests',
  'calls/request',
  'p95',
  'amplification',
  'early retries',
  'duplicate-call requests',
] as const;

const fixed = (v: number | null, digits: number, unit = '') => (v === null ? '-' : `${Number(v.toFixed(digits))}${unit}`);
const pct = (v: number | null) => (v === null ? '-' : `${Number((v * 100).toFixed(1))}%`);

/** One row per dependency and phase with requests. */
export function dependencyCallsRows(result: RunResult): string[][] {
  const rows: string[][] = [];
  for (const [dep, calls] of Object.entries(result.dependency_calls ?? {}))
    for (const p of calls.phases)
      if (p.requests > 0)
        rows.push([
          dep,
          p.phase,
          String(p.requests),
          fixed(p.calls_per_request, 2),
          fixed(p.calls_per_request_p95, 0),
          fixed(p.retry_amplification, 2, '×'),
          `${p.early_retries} (${pct(p.early_retry_rate)})`,
          pct(p.duplicate_call_rate),
        ]);
  return rows;
}

/** How each dependency's logged calls were matched to requests: `model: 240 question_text, 12 unmatched`. */
export function dependencyMatchNote(result: RunResult): string {
  return Object.entries(result.dependency_calls ?? {})
    .map(
      ([dep, c]) =>
        `${dep}: ${
          Object.entries(c.matched)
            .filter(([, n]) => n > 0)
            .map(([kind, n]) => `${n} ${kind}`)
            .join(', ') || 'no calls'
        }`,
    )
    .join('; ');
}
