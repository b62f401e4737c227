/**
 * The offline HTML report of one run (`report.html` beside `results.json`): verdict and score up top, the
 * fault timeline, per-second charts with every fault window shaded, then the tables (phases, SLOs,
 * categories, faults with evidence and recovery, dependencies), example failing samples, metadata and
 * harness health. One file, no network; every text from the SUT or the scenario is escaped. Pure.
 */
import type { PhaseResult, RunResult } from '../harness/results/result-types.ts';
import { ERROR_KINDS } from '../harness/results/result-types.ts';
import { chartSlot, htmlDocument, htmlTable } from './html-document.ts';
import { esc } from './html-escape.ts';
import { fmtMetric, fmtMs, fmtNum, fmtPct, fmtSeconds } from './format-values.ts';
import { OUTCOME_COLORS, runCharts } from './run-charts.ts';
import { DEPENDENCY_CALLS_HEAD, dependencyCallsRows, dependencyMatchNote } from './dependency-calls-rows.ts';
import { readScore } from './run-score.ts';

/** How many example samples the report prints (the result keeps up to 50). */
export const HTML_EXAMPLES_SHOWN = 30;

const errorsText = (p: PhaseResult) =>
  Object.entries(p.errors)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ') || '-';

function verdictSection(r: RunResult): string {
  const v = r.verdict;
  const status =
    r.run.status !== 'completed'
      ? { text: r.run.status.toUpperCase(), cls: 'warn' }
      : v.passed
        ? { text: 'PASSED', cls: 'pass' }
        : { text: 'FAILED', cls: 'fail' };
  const requests = r.phases.reduce((n, p) => n + p.metrics.requests, 0);
  const score = readScore(r);
  const cards = [
    `<div class="card"><div class="what">verdict</div><div class="big ${status.cls}" data-testid="verdict">${status.text}</div><div>${v.slos_total ? `${v.slos_total - v.slos_failed} of ${v.slos_total} SLOs met` : 'no SLOs declared'}</div></div>`,
    `<div class="card"><div class="what">resilience score</div>${score ? `<div class="big">${esc(fmtNum(score.value, 1))}</div><div>${score.components.map((c) => `${esc(c.name)} ${esc(fmtNum(c.value, 1))}${c.weight === null ? '' : ` ×${esc(fmtNum(c.weight, 2))}`}`).join(' · ') || 'no components'}</div>` : '<div class="big">–</div><div>not in this result</div>'}</div>`,
    `<div class="card"><div class="what">requests</div><div class="big">${requests}</div><div>${esc(String(r.load.executor ?? ''))}</div></div>`,
    `<div class="card"><div class="what">measurements</div><div class="big ${r.health.trusted ? 'pass' : 'warn'}">${r.health.trusted ? 'trusted' : 'doubtful'}</div><div>${r.health.flags.length} health flag${r.health.flags.length === 1 ? '' : 's'}</div></div>`,
  ];
  const banners: string[] = [];
  if (r.run.status !== 'completed')
    banners.push(
      `<div class="banner warn">Run ${esc(r.run.status)}${r.run.status_reason ? `: ${esc(r.run.status_reason)}` : ''}. Phases cut short are marked.</div>`,
    );
  if (r.health.flags.length)
    banners.push(
      `<div class="banner warn" data-testid="health"><strong>Harness health: these measurements may not be trusted.</strong><ul>${r.health.flags.map((f) => `<li>${esc(f)}</li>`).join('')}</ul></div>`,
    );
  const formulaText = score?.formula_long ?? score?.formula;
  const formula = formulaText ? `<p class="sub">Score formula: <code>${esc(formulaText)}</code></p>` : '';
  return `<div class="verdict">${cards.join('')}</div>${formula}${banners.join('')}`;
}

function timelineSection(r: RunResult): string {
  const end = Math.max(1, ...r.phases.map((p) => p.end_ms), ...r.faults.map((f) => f.at_ms + f.for_ms)) / 1000;
  const pct = (s: number) => `${Math.max(0, Math.min(100, (s / end) * 100)).toFixed(2)}%`;
  const rows = r.faults.map((f) => {
    const from = (f.applied_at_ms ?? f.at_ms) / 1000;
    const to = (f.removed_at_ms ?? f.at_ms + f.for_ms) / 1000;
    return `<div class="tl-row"><div class="tl-bar" style="left:${pct(from)};width:${pct(to - from)}" title="${esc(f.description)}">${esc(f.name)} on ${esc(f.on)}: ${esc(f.description)}</div></div>`;
  });
  const phases = r.phases.map(
    (p) =>
      `<span style="position:absolute;left:${pct(p.start_ms / 1000)};width:${pct((p.end_ms - p.start_ms) / 1000)};border-left:1px solid #cbd5e0;padding-left:4px;font-size:11px;color:#4a5568;overflow:hidden;white-space:nowrap">${esc(p.name)}</span>`,
  );
  return `<h2>Fault timeline</h2><div class="timeline"><div class="tl-row">${phases.join('')}</div>${rows.join('') || '<p class="sub" style="padding:0 8px">No faults in this scenario.</p>'}<div class="tl-axis"><span>0s</span><span>${esc(fmtNum(end / 2, 1))}s</span><span>${esc(fmtNum(end, 1))}s</span></div></div>`;
}

function outcomeMix(r: RunResult): string {
  const scored = r.phases.some((p) => Object.keys(p.outcomes).length);
  if (!scored) return '';
  const rows = r.phases.map((p) => {
    const total = Object.values(p.outcomes).reduce((n, v) => n + (v ?? 0), 0);
    const bars = Object.entries(OUTCOME_COLORS)
      .filter(([k]) => (p.outcomes as Record<string, number>)[k])
      .map(([k, color]) => {
        const n = (p.outcomes as Record<string, number>)[k];
        return `<span style="width:${((n / total) * 100).toFixed(2)}%;background:${color}" title="${esc(k)} ${n}"></span>`;
      });
    const text = Object.entries(p.outcomes)
      .filter(([, n]) => n)
      .map(([k, n]) => `${esc(k)} ${n}`)
      .join(', ');
    return [esc(p.name), `<div class="mix">${bars.join('')}</div>`, text || '-'];
  });
  const legend = `<div class="legend">${Object.entries(OUTCOME_COLORS)
    .map(([k, c]) => `<span><i style="background:${c}"></i>${esc(k)}</span>`)
    .join('')}</div>`;
  return `<div class="chart-title">Outcome mix per phase (stacked)</div>${legend}${htmlTable(['phase', 'mix', 'counts'], rows)}`;
}

function chartsSection(r: RunResult, ids: string[]): string {
  const titles: Record<string, string> = {
    throughput: 'Throughput (requests started per second)',
    latency: 'Latency p50 / p95 / p99 (ms, from the intended start)',
    errors: 'Error rate by kind (stacked, share of the second’s requests)',
    quality: 'Answer quality (mean per second, failures count 0)',
    outcomes: 'Outcome mix per second (stacked)',
  };
  const note = r.faults.length
    ? '<p class="sub">Shaded: fault windows as applied and removed. Each point is one 1-second bucket, drawn at its middle.</p>'
    : '';
  return `<h2>Per second</h2>${note}${ids.map((id) => chartSlot(id, titles[id] ?? id)).join('')}${ids.includes('outcomes') ? '' : outcomeMix(r)}`;
}

function phasesSection(r: RunResult): string {
  const scored = r.phases.some((p) => p.metrics.quality !== undefined);
  const rows = r.phases.map((p) => [
    `${esc(p.name)}${p.kind === 'fault' ? ' <small>(fault)</small>' : ''}${p.completed ? '' : ' <small class="warn">(cut short)</small>'}`,
    `${esc(fmtSeconds(p.start_ms))}–${esc(fmtSeconds(p.end_ms))}`,
    String(p.metrics.requests),
    esc(fmtNum(p.metrics.throughput_rps, 1)),
    esc(fmtPct(p.metrics.error_rate)),
    esc(errorsText(p)),
    esc(fmtMs(p.metrics.p50_ms)),
    esc(fmtMs(p.metrics.p95_ms)),
    esc(fmtMs(p.metrics.p99_ms)),
    ...(scored ? [esc(fmtNum(p.metrics.quality ?? null, 3)), esc(fmtNum(p.metrics.goodput_rps ?? null, 1))] : []),
    p.degradation
      ? esc(
          `p95 ×${fmtNum(p.degradation.p95_ratio, 2)}, errors ${p.degradation.error_rate_delta === null ? '-' : `${p.degradation.error_rate_delta >= 0 ? '+' : ''}${fmtPct(p.degradation.error_rate_delta)}`}${scored ? `, quality ${fmtNum(p.degradation.quality_delta, 3)}` : ''}`,
        )
      : '-',
  ]);
  const head = [
    'phase',
    'window',
    'requests',
    'rps',
    'errors',
    'by kind',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    ...(scored ? ['quality', 'goodput/s'] : []),
    'vs baseline',
  ];
  return `<h2>Phases</h2>${htmlTable(head, rows, [2, 3, 4, 6, 7, 8, ...(scored ? [9, 10] : [])])}`;
}

function slosSection(r: RunResult): string {
  if (!r.slos.length) return '<h2>SLOs</h2><p class="sub">No SLOs declared.</p>';
  const rows = r.slos.map((s) => [
    esc(s.selector),
    esc(s.phase),
    `<code>${esc(s.metric)} ${esc(s.expression)}</code>`,
    esc(fmtMetric(s.metric, s.actual)),
    esc(s.margin === null ? '-' : fmtMetric(s.metric, s.margin)),
    s.passed ? '<span class="pass">pass</span>' : `<span class="fail">FAIL</span>${s.reason ? ` <small>${esc(s.reason)}</small>` : ''}`,
  ]);
  return `<h2>SLOs</h2><p class="sub">Margin: room to spare (positive) or by how much it failed (negative), in the metric’s unit.</p>${htmlTable(['selector', 'phase', 'SLO', 'actual', 'margin', 'verdict'], rows, [3, 4])}`;
}

function categoriesSection(r: RunResult): string {
  const categories = [...new Set(r.phases.flatMap((p) => Object.keys(p.by_category)))].sort();
  if (!categories.length) return '';
  const rows = categories.map((c) => [
    esc(c),
    ...r.phases.map((p) => {
      const v = p.by_category[c];
      return v
        ? `${v.requests} req · err ${esc(fmtPct(v.error_rate))} · q ${esc(fmtNum(v.quality, 2))} · p95 ${esc(fmtMs(v.p95_ms))}`
        : '-';
    }),
  ]);
  return `<h2>Per input category</h2>${htmlTable(['category', ...r.phases.map((p) => esc(p.name))], rows)}`;
}

function faultsSection(r: RunResult): string {
  if (!r.faults.length) return '';
  const rows = r.faults.map((f) => [
    esc(f.name),
    esc(f.on),
    esc(f.description),
    esc(`${fmtSeconds(f.at_ms)} +${fmtSeconds(f.for_ms)}`),
    f.applied_at_ms === null ? '<span class="fail">never</span>' : esc(fmtSeconds(f.applied_at_ms, 3)),
    f.removed_at_ms === null ? '<span class="fail">never</span>' : esc(fmtSeconds(f.removed_at_ms, 3)),
    esc(`${f.target.proxy}${f.target.toxic ? ` / ${f.target.toxic}` : ''}${f.target.mode_id ? ` / mode ${f.target.mode_id}` : ''}`),
    esc(f.proof.fake_requests_in_window ?? '-'),
    esc(f.proof.mode_applied ?? '-'),
    esc(`${f.proof.failed_samples_in_window}/${f.proof.samples_in_window}`),
    f.recovery === 'recovered'
      ? `<span class="pass">${esc(fmtNum(f.recovery_s, 1))} s</span>`
      : `<span class="${f.recovery === 'not_recovered' ? 'fail' : 'warn'}">${esc(f.recovery.replace('_', ' '))}</span>`,
    f.problems.length ? `<span class="warn">${f.problems.map(esc).join('<br>')}</span>` : '-',
  ]);
  return `<h2>Faults: evidence and recovery</h2><p class="sub">Proof each fault reached traffic: requests the fake saw during the window, requests the mode was applied to, and samples in the window that failed. Recovery: from the fault’s end to the first run of healthy buckets.</p>${htmlTable(['fault', 'on', 'what', 'scheduled', 'applied', 'removed', 'target', 'fake requests', 'mode applied', 'failed / samples', 'recovery', 'problems'], rows, [7, 8, 9])}`;
}

function dependenciesSection(r: RunResult): string {
  const deps = Object.entries(r.dependencies);
  if (!deps.length) return '';
  const kv = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, n]) => `${esc(k)} ${n}`)
      .join(', ') || '-';
  const rows = deps.map(([name, d]) => [esc(name), esc(d.kind), String(d.requests), kv(d.by_status), kv(d.by_mode), kv(d.by_path)]);
  const faulted = r.faults.map(
    (f) =>
      `${esc(f.name)} → ${esc(f.on)}: ${esc(f.proof.fake_requests_in_window ?? '-')} calls in window, SUT p95 in that phase ${esc(fmtMs(r.phases.find((p) => p.faults.includes(f.name))?.metrics.p95_ms ?? null))} ms`,
  );
  const perPhase = (r.attribution?.phases ?? []).map((a) => [
    esc(a.phase),
    `${a.sut.requests} req · p50 ${esc(fmtMs(a.sut.p50_ms))} · p95 ${esc(fmtMs(a.sut.p95_ms))}`,
    Object.entries(a.dependencies)
      .map(([d, v]) => `${esc(d)}: ${v.calls} calls, ${v.errors} errors, p95 ${esc(fmtMs(v.p95_ms))} ms`)
      .join('<br>') || '-',
    Object.entries(a.share_of_sut_latency)
      .map(([d, v]) => `${esc(d)} ${esc(fmtPct(v))}`)
      .join(', ') || '-',
  ]);
  const attribution = perPhase.length
    ? `<p class="sub">Per phase: the SUT's latency next to each dependency as its fake saw it, and the share of the SUT's latency spent waiting on each dependency (traced requests).</p>${htmlTable(['phase', 'SUT', 'dependencies (fake side)', 'share of SUT latency'], perPhase)}`
    : '';
  const callRows = dependencyCallsRows(r).map((row) => row.map((cell) => esc(cell)));
  const callMetrics = callRows.length
    ? `<h3>Dependency calls per request</h3><p class="sub">Measured requests only, each call matched to the request that caused it (${esc(dependencyMatchNote(r))}). Amplification: calls per request ÷ baseline's; early retries: calls sent before the retry-after the fake gave had passed; duplicate-call requests: requests that made the same call twice.</p>${htmlTable([...DEPENDENCY_CALLS_HEAD], callRows, [2, 3, 4])}`
    : '';
  return `<h2>Dependency attribution</h2><p class="sub">Calls as each fake saw them (warm-up included).${faulted.length ? ` Lined up with the SUT: ${faulted.join('; ')}.` : ''}</p>${htmlTable(['dependency', 'kind', 'calls', 'by status', 'by mode', 'by path'], rows, [2])}${callMetrics}${attribution}`;
}

function examplesSection(r: RunResult): string {
  if (!r.examples.length) return '<h2>Example failing samples</h2><p class="sub">None: no sample failed or degraded.</p>';
  const shown = r.examples.slice(0, HTML_EXAMPLES_SHOWN);
  const items = shown.map(
    (e) =>
      `<details data-testid="example"><summary>#${e.id} · ${esc(e.phase)} · <strong>${esc(e.outcome ?? e.error_kind ?? 'failed')}</strong>${e.status === null ? '' : ` · HTTP ${e.status}`} · ${esc(fmtMs(e.latency_ms))} ms${e.reasons.length ? ` · ${esc(e.reasons.join('; '))}` : ''}</summary>` +
      `<div>request</div><pre>${esc(typeof e.request === 'string' ? e.request : JSON.stringify(e.request, null, 2))}</pre><div>response</div><pre>${esc(e.response)}</pre></details>`,
  );
  return `<h2>Example failing samples</h2><p class="sub">${shown.length} of ${r.examples.length} kept in the result (the result keeps at most 10 per phase).</p>${items.join('')}`;
}

function metadataSection(r: RunResult): string {
  const rec = r.reconciliation;
  const rows: Array<[string, string]> = [
    ['scenario', `${r.run.scenario} (${r.run.scenario_file})`],
    ['description', r.run.description || '-'],
    ['label', r.run.label || '-'],
    ['git sha', r.run.git_sha ?? '-'],
    ['seed', String(r.run.seed)],
    ['scenario hash', r.run.scenario_hash],
    ['run id', r.run.id],
    ['started / ended', `${r.run.started_at} / ${r.run.ended_at}`],
    ['status', `${r.run.status}${r.run.status_reason ? `: ${r.run.status_reason}` : ''}`],
    [
      'versions',
      Object.entries(r.run.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
    ['toxiproxy', r.run.toxiproxy ? `${r.run.toxiproxy.version} (${r.run.toxiproxy.source})` : '-'],
    ['host', `${r.run.host.platform}, ${r.run.host.cores} cores, ${r.run.host.memory_gb} GB, node ${r.run.host.node}`],
    ['load', JSON.stringify(r.load)],
    [
      'startup (ms since start)',
      Object.entries(r.run.timings_ms)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '-',
    ],
    [
      'reconciliation',
      `${rec.samples} samples recorded, ${rec.sent} sent, ${rec.traced_by_fakes ?? '-'} traced to the fakes, ${rec.fake_requests ?? '-'} fake calls${rec.notes.length ? `; ${rec.notes.join('; ')}` : ''}`,
    ],
    [
      'harness health',
      `load event-loop p99 ${fmtMs(r.health.load_event_loop_delay_p99_ms)} ms, fakes event-loop p99 ${fmtMs(r.health.fakes_event_loop_delay_p99_ms)} ms, ${r.health.late_arrivals} late arrivals (max ${fmtMs(r.health.max_lateness_ms)} ms)`,
    ],
  ];
  return `<h2>Run metadata</h2><dl class="meta">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

/** Renders the HTML report of a run. */
export function renderHtmlReport(result: RunResult): string {
  const charts = runCharts(result);
  const r = result;
  const body = [
    `<h1>${esc(r.run.scenario)}${r.run.label ? ` <small>· ${esc(r.run.label)}</small>` : ''}</h1>`,
    `<p class="sub" data-testid="description">${esc(r.run.description)}</p>`,
    `<p class="sub">${esc(r.run.started_at)} · seed ${r.run.seed} · git ${esc(r.run.git_sha ?? '-')} · scenario hash ${esc(r.run.scenario_hash)}</p>`,
    verdictSection(r),
    timelineSection(r),
    chartsSection(
      r,
      charts.map((c) => c.id),
    ),
    phasesSection(r),
    slosSection(r),
    categoriesSection(r),
    faultsSection(r),
    dependenciesSection(r),
    examplesSection(r),
    metadataSection(r),
    `<footer>Shakedown report · error kinds: ${ERROR_KINDS.join(', ')} · generated from results.json (schema ${r.schemaVersion})</footer>`,
  ].join('\n');
  return htmlDocument({ title: `${r.run.scenario} · Shakedown report`, body, charts });
}
