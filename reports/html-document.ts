/**
 * The shell every Shakedown HTML page shares: one self-contained file (uPlot and its CSS inlined, no URL to
 * fetch), a Content-Security-Policy that allows only the page's own scripts by hash and no network at all,
 * print styles, and the chart specs as inert JSON. Pure apart from reading the vendored assets once.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cspHash, esc, jsonForScript } from './html-escape.ts';

const require = createRequire(import.meta.url);
const UPLOT_JS = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
const UPLOT_CSS = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
const CHART_CLIENT = readFileSync(new URL('./assets/chart-client.js', import.meta.url), 'utf8');

/** One chart: x values (seconds since t0, or build index with `xLabels`), series of the same length, shaded windows. */
export interface ChartSpec {
  id: string;
  x: number[];
  xLabels?: string[];
  xTitle?: string;
  /** Unit shown after x values (default `s`: seconds since t0). */
  xUnit?: string;
  unit: 'ms' | '%' | 'q' | 'rps' | 'n';
  stacked?: boolean;
  yRange?: [number, number];
  height?: number;
  series: Array<{ label: string; values: Array<number | null>; color: string }>;
  shade: Array<{ from: number; to: number; label: string }>;
}

export const PALETTE = Object.freeze({
  p50: '#2b6cb0',
  p95: '#d97706',
  p99: '#b91c1c',
  throughput: '#2f855a',
  quality: '#6b46c1',
  goodput: '#38a169',
  kinds: ['#b91c1c', '#dd6b20', '#d69e2e', '#805ad5', '#3182ce', '#718096'],
  lines: ['#2b6cb0', '#d97706', '#b91c1c', '#2f855a', '#6b46c1', '#0f766e', '#9d174d', '#4a5568'],
});

const CSS = `
:root { color-scheme: light; --fg: #1a202c; --muted: #4a5568; --line: #e2e8f0; --bad: #b91c1c; --good: #276749; --warn: #975a16; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0; background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 14px; margin: 16px 0 4px; }
p.sub { color: var(--muted); margin: 0 0 12px; }
.verdict { display: flex; flex-wrap: wrap; gap: 12px; align-items: stretch; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 150px; }
.card .big { font-size: 24px; font-weight: 650; } .card .what { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.pass { color: var(--good); } .fail { color: var(--bad); } .warn { color: var(--warn); }
.banner { border-radius: 8px; padding: 10px 14px; margin: 12px 0; border: 1px solid; }
.banner.warn { background: #fffaf0; border-color: #f6ad55; } .banner.fail { background: #fff5f5; border-color: #fc8181; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f7fafc; font-weight: 600; font-size: 12px; } td.n, th.n { text-align: right; white-space: nowrap; }
.chart { margin: 4px 0 18px; min-height: 120px; } .chart-title { font-weight: 600; margin: 14px 0 2px; }
.timeline { position: relative; height: auto; border: 1px solid var(--line); border-radius: 6px; padding: 6px 0; margin: 6px 0; }
.tl-row { position: relative; height: 24px; margin: 3px 0; } .tl-bar { position: absolute; height: 22px; border-radius: 4px; background: rgba(220,60,40,.18); border: 1px solid rgba(200,40,20,.55); font-size: 12px; padding: 2px 6px; overflow: hidden; white-space: nowrap; }
.tl-axis { display: flex; justify-content: space-between; color: var(--muted); font-size: 11px; padding: 0 6px; }
.mix { display: flex; height: 18px; border-radius: 3px; overflow: hidden; min-width: 200px; background: #edf2f7; }
.mix span { display: block; height: 100%; }
.legend { display: flex; flex-wrap: wrap; gap: 10px; font-size: 12px; color: var(--muted); margin: 4px 0; } .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
pre { white-space: pre-wrap; word-break: break-word; background: #f7fafc; border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; margin: 4px 0; max-height: 240px; overflow: auto; font-size: 12px; }
details { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; margin: 6px 0; } summary { cursor: pointer; }
code { font-size: 12px; background: #f7fafc; padding: 0 3px; border-radius: 3px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 6px 0; } dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; word-break: break-all; }
footer { color: var(--muted); font-size: 12px; margin-top: 32px; }
@media print {
  main { max-width: none; padding: 0; } body { font-size: 11px; }
  h2 { break-after: avoid; } table, .chart, .card, details, figure { break-inside: avoid; }
  details { border: none; padding: 0; } details > summary { list-style: none; font-weight: 600; }
  pre { max-height: none; overflow: visible; }
  .u-legend { font-size: 10px; }
  @page { size: A4; margin: 12mm; }
}
`;

/**
 * A complete HTML document. `body` must already be escaped HTML (build it with `esc`); `charts` become inert
 * JSON that the inlined client draws.
 */
export function htmlDocument(options: { title: string; body: string; charts: ChartSpec[] }): string {
  const data = `{"charts":${jsonForScript(options.charts)}}`;
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(UPLOT_JS)} ${cspHash(CHART_CLIENT)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(options.title)}</title>`,
    `<style>${UPLOT_CSS}</style>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<main>${options.body}</main>`,
    `<script type="application/json" id="shakedown-charts">${data}</script>`,
    `<script>${UPLOT_JS}</script>`,
    `<script>${CHART_CLIENT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A simple table from escaped header cells and rows of escaped cells; `n` marks numeric columns (right-aligned). */
export function htmlTable(head: string[], rows: string[][], numeric: number[] = []): string {
  const cls = (i: number) => (numeric.includes(i) ? ' class="n"' : '');
  return `<table><thead><tr>${head.map((h, i) => `<th${cls(i)}>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** A placeholder that the client fills with the chart of the same id, with its title. */
export function chartSlot(id: string, title: string): string {
  return `<figure style="margin:0"><div class="chart-title">${esc(title)}</div><div class="chart" data-chart="${esc(id)}"></div></figure>`;
}
