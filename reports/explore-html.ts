/**
 * explore.html: the search (trials, failing schedules, the shrink path, the minimal schedule with its SLO
 * verdicts) and the severity sweep's curve (each SLO metric against intensity, one point per run), offline
 * and self-contained like the run report (rates stay fractions: the chart client shows them as percent). Pure: `renderExploreHtml(result)` returns the page.
 */
import type { ExploredFault, ExploreResult } from '../harness/results/explore-types.ts';
import { chartSlot, htmlDocument, htmlTable, PALETTE, type ChartSpec } from './html-document.ts';
import { esc } from './html-escape.ts';

const schedule = (s: ExploredFault[]) => s.map((f) => esc(f.description)).join('<br>');
const verdict = (failed: boolean) => (failed ? '<span class="fail">failed</span>' : '<span class="pass">passed</span>');

function searchSection(r: ExploreResult): string {
  const s = r.search;
  if (!s) return '';
  const parts = [
    `<h2>Search</h2><p class="sub">${s.trials.length} trials (seed ${r.seed}${s.budget_exhausted ? `; budget spent, ${s.skipped} generated schedules not run` : ''}).</p>`,
  ];
  const failures = s.failures ?? (s.failure ? [s.failure] : []);
  for (const [i, f] of failures.entries()) {
    const title = failures.length > 1 ? `Failure ${i + 1} of ${failures.length}: minimal schedule` : 'Minimal failing schedule';
    const round =
      f.found_by === 'cover'
        ? `<p class="sub">Found by the cover round of ${esc(`${f.minimal[0].on}.${f.minimal[0].kind}`)}: that kind alone, from its harshest schedule, shrunk.</p>`
        : f.excluded?.length
          ? `<p class="sub">Found with ${f.excluded.map((e) => esc(`${e.on}.${e.kind}`)).join(', ')} left out of the space (the kinds of the failures before it).</p>`
          : '';
    const alone = (f.failing_alone ?? []).filter((k) => !f.minimal.some((m) => m.on === k.on && m.kind === k.kind));
    const aloneLine = alone.length
      ? `<p class="sub">Also failing alone on the way (shrink path): ${alone.map((k) => esc(`${k.on}.${k.kind}`)).join(', ')}.</p>`
      : '';
    const replay =
      f.path !== null
        ? `Replay: <code>shakedown explore ${esc(r.scenario_file)} --seed ${r.seed} --path ${esc(f.path)}</code>`
        : f.found_by === 'cover'
          ? 'Found by a cover round (no fast-check path: run the scenario written for it)'
          : 'Found in a later round (no fast-check path)';
    parts.push(
      `<h3>${title}</h3>${round}<p>${schedule(f.minimal)}</p>${aloneLine}<p class="sub">${replay}${f.scenario_file ? `; scenario written to <code>${esc(f.scenario_file)}</code>` : '; the search was interrupted before it finished shrinking: no scenario written'}.</p>`,
      htmlTable(
        ['phase', 'metric', 'SLO', 'actual', 'verdict'],
        f.verdicts.map((v) => [esc(v.phase), esc(v.metric), esc(v.expression), esc(v.actual ?? v.reason ?? '-'), verdict(!v.passed)]),
        [3],
      ),
      '<h3>Shrink path</h3>',
      htmlTable(
        ['step', 'faults', 'schedule'],
        f.shrink_path.map((p, i) => [i === 0 ? 'first failure' : String(i), String(p.length), schedule(p)]),
        [1],
      ),
    );
  }
  if (failures.length === 0) parts.push('<p>No failing schedule found.</p>');
  if (r.reference) {
    parts.push(
      `<h3>Shared with the reference</h3><p class="sub">Reference: <code>${esc(r.reference.scenario_file)}</code>. A failure counts only when the reference passes the same schedule; ${r.reference.shared.length} schedule${r.reference.shared.length === 1 ? '' : 's'} failed both and did not count.</p>`,
    );
    if (r.reference.shared.length)
      parts.push(
        htmlTable(
          ['schedule', 'candidate failed', 'reference failed'],
          r.reference.shared.map((x) => [schedule(x.schedule), esc(x.candidate.join(', ')), esc(x.reference.join(', '))]),
        ),
      );
  }
  parts.push(
    '<h3>Trials</h3>',
    htmlTable(
      ['#', 'stage', 'schedule', 'runs', 'verdict', 'failed SLOs (last run)'],
      s.trials.map((t) => [
        String(t.index),
        esc(t.round ? `round ${t.round}: ${t.stage}` : t.stage),
        schedule(t.schedule),
        String(t.runs.length),
        verdict(t.failed),
        esc((t.runs.at(-1)?.failed ?? []).join(', ')),
      ]),
      [0, 3],
    ),
  );
  return parts.join('');
}

function sweepSection(r: ExploreResult, charts: ChartSpec[]): string {
  const w = r.sweep;
  if (!w) return '';
  const runs = w.points.flatMap((p) => p.runs.map((run) => ({ x: p.intensity, run }))).sort((a, b) => a.x - b.x);
  const keys = [...new Set(runs.flatMap((e) => Object.keys(e.run.values)))];
  const byUnit = new Map<string, string[]>();
  for (const k of keys) {
    const unit = k.endsWith('_ms') ? 'ms' : k.endsWith('quality') ? 'q' : k.endsWith('_rate') ? '%' : 'n';
    byUnit.set(unit, [...(byUnit.get(unit) ?? []), k]);
  }
  const slots: string[] = [];
  for (const [unit, list] of byUnit) {
    const id = `sweep-${unit === '%' ? 'rate' : unit}`;
    charts.push({
      id,
      x: runs.map((e) => e.x),
      xTitle: `${w.on}.${w.kind} (${w.unit || 'intensity'})`,
      xUnit: w.unit === 'rate' ? '' : w.unit,
      unit: unit as ChartSpec['unit'],
      series: list.map((k, i) => ({
        label: k,
        color: PALETTE.lines[i % PALETTE.lines.length],
        values: runs.map((e) => {
          const v = e.run.values[k];
          return v === null || v === undefined ? null : v;
        }),
      })),
      shade: w.bracket ? [{ from: w.bracket[0], to: w.bracket[1], label: 'breaking point' }] : [],
    });
    slots.push(chartSlot(id, `SLO metrics against ${w.on}.${w.kind}`));
  }
  return [
    `<h2>Severity sweep</h2><p>${esc(w.note)}${w.slo ? `; first SLO to break: <code>${esc(w.slo)}</code>` : ''}.</p><p class="sub">${w.low}..${w.high} ${esc(w.unit)}, ${w.repeats} runs a point (majority decides), stops when the bracket is at most ${Math.round(w.width * 100) / 100} wide.</p>`,
    ...slots,
    htmlTable(
      ['intensity', 'runs', 'failed runs', 'verdict'],
      w.points.map((p) => [String(p.intensity), String(p.runs.length), String(p.runs.filter((x) => !x.passed).length), verdict(p.failed)]),
      [0, 1, 2],
    ),
  ].join('');
}

export function renderExploreHtml(r: ExploreResult): string {
  const charts: ChartSpec[] = [];
  const space = htmlTable(
    ['dependency', 'kind', 'range (mild → harsh)', 'unit'],
    r.space.choices.map((c) => [esc(c.on), esc(c.kind), `${c.range[0]} → ${c.range[1]}`, esc(c.unit)]),
  );
  const t = r.timings_ms;
  const body = [
    `<h1>Explore: ${esc(r.scenario)}</h1>`,
    `<p class="sub">${esc(r.scenario_file)}, seed ${r.seed}, ${esc(r.started_at)}; ${r.sweep ? `one fault for ${r.space.window_ms[1]} ms` : `up to ${r.space.maxFaults} faults of ${r.space.window_ms[0]}–${r.space.window_ms[1]} ms`} in ${r.space.trial_ms} ms trials; stack start ${t.start_stack} ms, ${t.per_trial_mean ?? '-'} ms a trial run.</p>`,
    r.dropped_slos.length ? `<div class="banner warn">Not judged in trials (no such phase): ${esc(r.dropped_slos.join(', '))}</div>` : '',
    r.space.choices.length ? `<h2>Fault space</h2>${space}` : '',
    searchSection(r),
    sweepSection(r, charts),
  ].join('');
  return htmlDocument({ title: `Shakedown explore: ${r.scenario}`, body, charts });
}
