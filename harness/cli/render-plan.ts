/** `run --dry-run`: the resolved plan of a scenario (load, faults, phases, SLOs), nothing started. */
import { phaseBudgets } from '../metrics/run-analysis.ts';
import { formatDuration, type ResolvedScenario } from '../scenario/index.ts';

export function renderPlan(s: ResolvedScenario, file: string, seed: number): string {
  const l = s.load;
  const load =
    l.executor === 'constant-vus'
      ? `${l.vus} VUs`
      : l.executor === 'constant-arrival-rate'
        ? `${l.rate} req/s on up to ${l.connections} connections`
        : `from ${l.startRate} req/s through ${l.stages.map((st) => `${st.target} req/s over ${formatDuration(st.duration_ms)}`).join(', ')} on up to ${l.connections} connections`;
  const lines = [
    `${file}: valid`,
    `scenario  ${s.name}${s.description ? `: ${s.description}` : ''}`,
    `seed      ${seed}`,
    `system    ${s.system.kind === 'command' ? s.system.command!.join(' ') : s.system.url} (ready: GET ${s.system.ready.path} → ${s.system.ready.status} within ${formatDuration(s.system.ready.timeout_ms)})`,
    `deps      ${
      Object.entries(s.dependencies)
        .map(([n, d]) => `${n} (${d.kind})`)
        .join(', ') || 'none'
    }`,
    `load      ${l.executor}: ${load}, ${formatDuration(l.duration_ms)} measured after ${formatDuration(l.warmup_ms)} warm-up, timeout ${formatDuration(l.timeout_ms)}`,
    `requests  ${l.requests.kind === 'dataset-questions' ? `POST ${l.requests.path} {${l.requests.field}} from the dataset${l.requests.categories ? ` (${l.requests.categories.join(', ')})` : ''}${l.requests.stream ? ', streamed' : ''}` : `${l.requests.method} ${l.requests.path}`}`,
    'faults',
    ...(s.faults.length
      ? s.faults.map(
          (f) => `  ${formatDuration(f.at_ms).padStart(6)} +${formatDuration(f.for_ms).padEnd(6)} ${f.name} on ${f.on}: ${f.description}`,
        )
      : ['  none']),
    'phases',
    ...s.phases.map((p) => `  ${formatDuration(p.start_ms).padStart(6)} – ${formatDuration(p.end_ms).padEnd(6)} ${p.name} (${p.kind})`),
    'SLOs',
    ...(s.slos.length ? s.slos.map((x) => `  ${x.selector}: ${x.metric} ${x.expression.text}`) : ['  none']),
    ...(s.score
      ? [
          s.score.kind === 'rag-answer'
            ? `score     rag-answer (answer field '${s.score.answer}', citations '${s.score.citations}')`
            : `score     custom (${s.score.name})`,
        ]
      : []),
    `budget    ${budgetLine(s)} (latency budget of the outcome ranking and resilience score v2: an answer later is not good)`,
  ];
  return lines.join('\n');
}

/** The scored phases' latency budgets: one figure when they agree, else each phase's (as the score uses them). */
function budgetLine(s: Parameters<typeof phaseBudgets>[0]): string {
  const scored = [...phaseBudgets(s)].filter(([name]) => s.phases.find((p) => p.name === name)?.kind !== 'baseline');
  const values = new Set(scored.map(([, b]) => b));
  if (values.size <= 1) return `${scored[0]?.[1] ?? s.load.timeout_ms} ms`;
  return scored.map(([name, b]) => `${name} ${b} ms`).join(', ');
}
