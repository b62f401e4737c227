/** `run --dry-run`: the resolved plan of a scenario (load, faults, phases, SLOs), nothing started. */
import { latencyBudget } from '../metrics/outcome-ranking.ts';
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
    `budget    ${latencyBudget({ latencyBudget_ms: s.latencyBudget_ms, slos: s.slos, timeout_ms: s.load.timeout_ms })} ms (latency budget of the outcome ranking and resilience score v2)`,
  ];
  return lines.join('\n');
}
