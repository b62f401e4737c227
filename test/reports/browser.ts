/// <reference lib="dom" />
/**
 * Opens an HTML file in Debian's chromium through playwright-core (never `playwright install`): a fresh
 * profile, no background networking, every request routed so that anything not file:// is aborted and
 * recorded. Collects console errors and page errors.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.SHAKEDOWN_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface OpenedPage {
  page: Page;
  /** Every URL the page asked for that was not a file:// URL (all aborted). */
  offline: string[];
  /** Every URL asked for, file:// included. */
  requests: string[];
  consoleErrors: string[];
  close(): Promise<void>;
}

export interface Browser {
  open(file: string, viewport?: { width: number; height: number }): Promise<OpenedPage>;
  close(): Promise<void>;
}

/** Starts chromium with a fresh user-data-dir. Fails with what to do when chromium is missing. */
export async function startBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y --no-install-recommends chromium), as .ci/run does`,
    );
  const profile = mkdtempSync(join(tmpdir(), 'shakedown-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    async open(file, viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      const offline: string[] = [];
      const requests: string[] = [];
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
      page.on('request', (req) => {
        requests.push(req.url());
      });
      await page.route('**/*', async (route) => {
        const url = route.request().url();
        if (url.startsWith('file://')) await route.continue();
        else {
          offline.push(url);
          await route.abort('blockedbyclient');
        }
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      return { page, offline, requests, consoleErrors, close: () => page.close() };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Per canvas on the page: its size and how many pixels are not fully transparent. */
export async function canvasInk(page: Page): Promise<Array<{ width: number; height: number; inked: number }>> {
  return page.evaluate(() =>
    [...document.querySelectorAll('canvas')].map((c) => {
      const data = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) inked++;
      return { width: c.width, height: c.height, inked };
    }),
  );
}
