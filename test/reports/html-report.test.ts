import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../reports/html-report.ts';
import { esc, jsonForScript } from '../../reports/html-escape.ts';
import { makeResult, oneHourResult, XSS_IMG, XSS_SCRIPT } from './fixture-result.ts';

describe('HTML report', () => {
  it('is one self-contained document: uPlot inlined, no URL to fetch, a CSP that allows no network', () => {
    const html = renderHtmlReport(makeResult());
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1];
    expect(csp).toContain('default-src &#39;none&#39;');
    expect(csp).toMatch(/script-src &#39;sha256-[^ ]+&#39; &#39;sha256-[^ ]+&#39;;/);
  });

  it('shades every fault window on every chart', () => {
    const result = oneHourResult();
    const html = renderHtmlReport(result);
    const charts = JSON.parse(/<script type="application\/json" id="shakedown-charts">(.*?)<\/script>/s.exec(html)![1]).charts as Array<{
      id: string;
      shade: Array<{ from: number; to: number; label: string }>;
    }>;
    expect(charts.map((c) => c.id)).toEqual(['throughput', 'latency', 'errors', 'quality']);
    for (const c of charts) {
      expect(c.shade).toEqual([
        { from: 300.0125, to: 600.00325, label: 'model-latency (model)' },
        { from: 1200.0125, to: 1380.00325, label: 'retrieval-down (retrieval)' },
        { from: 2000.0125, to: 2400.00325, label: 'model-rate-limit (model)' },
        { from: 2900.0125, to: 3200.00325, label: 'api-stale (api)' },
      ]);
    }
  });

  it('escapes every text that came from the SUT or the scenario', () => {
    const html = renderHtmlReport(makeResult({ hostile: true }));
    const body = html.slice(0, html.indexOf('<script type="application/json"'));
    expect(body).not.toContain(XSS_SCRIPT);
    expect(body).not.toContain('<img');
    expect(body).toContain(esc(XSS_SCRIPT));
    expect(body).toContain(esc(XSS_IMG));
    // The JSON data block cannot close its element.
    const data = /<script type="application\/json" id="shakedown-charts">(.*?)<\/script>/s.exec(html)![1];
    expect(data).not.toMatch(/<|>/);
  });

  it('writes data for scripts with <, > and & as unicode escapes', () => {
    expect(jsonForScript({ a: '</script><!--&' })).toBe('{"a":"\\u003c/script\\u003e\\u003c!--\\u0026"}');
  });

  it('shows the sections the issue asks for, with actual values and margins', () => {
    const html = renderHtmlReport(makeResult());
    for (const heading of [
      'Fault timeline',
      'Per second',
      'Phases',
      'SLOs',
      'Per input category',
      'Faults: evidence and recovery',
      'Dependency attribution',
      'Example failing samples',
      'Run metadata',
    ]) {
      expect(html).toContain(`<h2>${heading}</h2>`);
    }
    expect(html).toContain('<code>error_rate &lt; 1%</code></td><td class="n">1.5%</td><td class="n">-0.5%</td>');
    expect(html).toContain('data-testid="verdict">FAILED<');
  });

  it('renders a one-hour run (3,600 points, four faults) under 1 MB in well under a second', () => {
    const result = oneHourResult();
    renderHtmlReport(result);
    const t = performance.now();
    const html = renderHtmlReport(result);
    const ms = performance.now() - t;
    const bytes = Buffer.byteLength(html);
    console.log(`one-hour report: ${bytes} bytes, rendered in ${ms.toFixed(1)} ms`);
    expect(bytes).toBeLessThan(1_000_000);
    expect(ms).toBeLessThan(1000);
  });
});
