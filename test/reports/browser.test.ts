/// <reference lib="dom" />
/**
 * Every HTML page in Debian's chromium: it renders, its charts are drawn (non-empty canvases), nothing is
 * logged as an error, nothing but file:// is requested, and hostile SUT/scenario text does not execute.
 * Screenshots go to test-results/reports/ (look at them).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../reports/html-report.ts';
import { renderCompareHtml } from '../../reports/compare-html.ts';
import { compareRuns } from '../../reports/compare-runs.ts';
import { renderTrendHtml } from '../../reports/trend-html.ts';
import { renderExploreHtml } from '../../reports/explore-html.ts';
import { exploreResult } from './explore-fixture.ts';
import { ROOT, tempDir } from '../cli/helpers.ts';
import { canvasInk, startBrowser, type Browser } from './browser.ts';
import { makeResult, oneHourResult, XSS_IMG, XSS_SCRIPT } from './fixture-result.ts';

const SHOTS = join(ROOT, 'test-results', 'reports');
let browser: Browser;
let dir: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = tempDir();
  browser = await startBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function check(name: string, html: string, expectedCharts: number) {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, html);
  const t = performance.now();
  const opened = await browser.open(file);
  await opened.page.waitForFunction(() => document.documentElement.hasAttribute('data-charts-drawn'), undefined, { timeout: 10_000 });
  const loadMs = performance.now() - t;
  const ink = await canvasInk(opened.page);
  await opened.page.evaluate(() =>
    document.querySelectorAll('details').forEach((d: HTMLDetailsElement) => {
      d.open = true;
    }),
  );
  await opened.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  expect(opened.consoleErrors).toEqual([]);
  expect(opened.offline).toEqual([]);
  expect(opened.requests.every((u) => u.startsWith('file://'))).toBe(true);
  expect(ink).toHaveLength(expectedCharts);
  for (const c of ink) expect(c.inked).toBeGreaterThan(1000);
  return { opened, loadMs };
}

describe('HTML in chromium', () => {
  it('the run report renders offline with every chart drawn, and hostile text stays text', async () => {
    const { opened } = await check('run-report-hostile', renderHtmlReport(makeResult({ hostile: true })), 4);
    const page = opened.page;
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.getByTestId('description').textContent()).toContain(XSS_SCRIPT);
    expect(await page.getByTestId('description').textContent()).toContain(XSS_IMG);
    expect(await page.locator('details pre').nth(1).textContent()).toContain(XSS_IMG);
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    await opened.close();
  });

  it('the one-hour run report (3,600 points, four faults) draws in chromium', async () => {
    const { opened, loadMs } = await check('run-report-one-hour', renderHtmlReport(oneHourResult()), 4);
    console.log(`one-hour report: loaded and drawn in chromium in ${Math.round(loadMs)} ms`);
    await opened.close();
  });

  it('the comparison page renders with its charts', async () => {
    const cmp = compareRuns([
      { file: 'a/results.json', result: makeResult({ seed: 1, label: 'build-41' }) },
      { file: 'b/results.json', result: makeResult({ seed: 2, label: 'build-42 <b>x</b>', extraLatencyMs: 300, hostile: true }) },
    ]);
    const { opened } = await check('compare', renderCompareHtml(cmp), 3);
    expect(await opened.page.locator('[data-verdict="worse"]').count()).toBe(9);
    expect(await opened.page.locator('b').count()).toBe(0);
    await opened.close();
  });

  it('the trend page renders with its charts', async () => {
    const runs = [1, 2, 3, 4, 5].map((i) => {
      const result = makeResult({ seed: i, label: `nightly-${i}`, extraLatencyMs: i === 4 ? 150 : 0 });
      result.run.started_at = `2026-11-2${i}T02:00:00.000Z`;
      return { file: `n${i}/results.json`, result };
    });
    const { opened } = await check('trend', renderTrendHtml(runs), 5);
    await opened.close();
  });

  it('the explore page renders with its sweep charts', async () => {
    const { opened } = await check('explore', renderExploreHtml(exploreResult), 2);
    expect(await opened.page.locator('h3').first().textContent()).toBe('Minimal failing schedule');
    await opened.close();
  });
});
