/**
 * B9 (issue 5): the HTML report of a one-hour run (the test fixture's synthetic result: 3,600 per-second
 * points, four faults, test/reports/fixture-result.ts): file size, time to render the HTML
 * (reports/html-report.ts), and time until chromium (Debian's, through playwright-core, launched as
 * test/reports/browser.ts does) has loaded it and drawn every chart (`data-charts-drawn`), from `goto` on a
 * fresh page. Repeats, medians. Goal ≤ 2 MB, ≤ 1.5 s.
 * Usage: node bench/html-report.ts [--quick] [--repeats 5]
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderHtmlReport } from '../reports/html-report.ts';
import { startBrowser } from '../test/reports/browser.ts';
import { oneHourResult } from '../test/reports/fixture-result.ts';
import { QUICK, argNumber, f, header, median } from './lib.ts';

const repeats = argNumber('repeats', QUICK ? 3 : 5);
header('B9', `HTML report of a one-hour run (3,600 points, four faults), ${repeats} repeats, chromium headless`);
const result = oneHourResult();
const dir = mkdtempSync(join(tmpdir(), 'shakedown-bench-'));
const file = join(dir, 'report.html');
const renders: number[] = [];
let html = '';
for (let i = 0; i < repeats + 1; i++) {
  const t = performance.now();
  html = renderHtmlReport(result);
  if (i > 0) renders.push(performance.now() - t); // the first is JIT warm-up
}
writeFileSync(file, html);
const size = statSync(file).size;
const browser = await startBrowser();
const loads: number[] = [];
try {
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    const opened = await browser.open(file);
    await opened.page.waitForFunction(() => document.documentElement.hasAttribute('data-charts-drawn'), undefined, { timeout: 10_000 });
    loads.push(performance.now() - t);
    if (opened.consoleErrors.length || opened.offline.length)
      console.log(
        `repeat ${i + 1}: console errors ${JSON.stringify(opened.consoleErrors)}, off-line requests ${JSON.stringify(opened.offline)}`,
      );
    await opened.close();
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`render ms: ${renders.map((x) => f(x, 1)).join(', ')}; chromium load and draw ms: ${loads.map((x) => f(x, 0)).join(', ')}`);
console.log(
  `B9 result: ${f(size / 1e6, 3)} MB (goal ≤ 2), render median ${f(median(renders), 1)} ms, chromium load-and-draw median ${f(median(loads), 0)} ms (goal ≤ 1500)`,
);
