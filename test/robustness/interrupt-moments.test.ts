/**
 * Issue 6.1: the CLI, spawned, interrupted (SIGINT or SIGTERM) at seeded moments of a 3 s run: start-up,
 * readiness wait, warm-up, baseline, inside each fault window, teardown. Half the runs use a Toxiproxy server the
 * test owns (TOXIPROXY_URL), so that what the run left on it can be read afterwards. After each: exit 130, no
 * process the run started alive, no port it printed still open, none of its proxies (or their toxics) on the
 * server, and results.json with the reports, marked interrupted, holding the phases that completed (a signal
 * during the teardown leaves a finished run completed, with its verdict's exit code).
 * A second signal forces a fast exit that still deletes the run's proxies on a server it did not start.
 * Interrupted before the run folder exists (while the scenario loads): exit 130, nothing started, no folder.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runCli, tempDir } from '../cli/helpers.ts';
import {
  alive,
  heldByRun,
  printedPorts,
  prng,
  proxiesOn,
  readResult,
  runFolders,
  settle,
  slots,
  spawnCli,
  startOwnToxiproxy,
  startedPids,
} from './helpers.ts';

const SCENARIO = 'test/fixtures/scenarios/robust-short.ts';
let toxiproxy: Awaited<ReturnType<typeof startOwnToxiproxy>>;
const pool = slots(2);

beforeAll(async () => {
  toxiproxy = await startOwnToxiproxy();
});
afterAll(async () => {
  await toxiproxy?.stop();
  removeTempDirs();
});

type Stage = 'start-up' | 'readiness' | 'warm-up' | 'baseline' | 'fault' | 'teardown';
/** Where to interrupt: after this line of output, plus a seeded delay up to `maxDelayMs`. */
const ANCHORS: Array<{ stage: Stage; text: string; maxDelayMs: number }> = [
  { stage: 'start-up', text: 'shakedown: robust-short (', maxDelayMs: 200 },
  { stage: 'start-up', text: 'fakes process started', maxDelayMs: 60 },
  { stage: 'readiness', text: 'SUT started', maxDelayMs: 200 },
  { stage: 'warm-up', text: 'warm-up', maxDelayMs: 400 },
  { stage: 'baseline', text: 'measured load', maxDelayMs: 900 },
  { stage: 'fault', text: 'fault model-latency applied', maxDelayMs: 450 },
  { stage: 'fault', text: 'fault retrieval-down applied', maxDelayMs: 450 },
  { stage: 'teardown', text: 'tearing down', maxDelayMs: 80 },
];

const random = prng(6);
const cases = Array.from({ length: 22 }, (_, i) => {
  const anchor = ANCHORS[i % ANCHORS.length];
  return {
    i,
    ...anchor,
    delayMs: Math.round(random() * anchor.maxDelayMs),
    signal: (random() < 0.3 ? 'SIGTERM' : 'SIGINT') as NodeJS.Signals,
    env: i % 2 === 1,
  };
});

/** The run id the CLI printed: its proxies are named `shakedown-<run id>-<dependency>` (none before the id). */
function runIdOf(stdout: string): string | undefined {
  return /run id ([0-9a-f]{12})/.exec(stdout)?.[1];
}

async function noTrace(stdout: string, pids: number[], ports: number[], env: boolean) {
  expect(await settle(() => !pids.some(alive)), `alive: ${pids.filter(alive).join(', ')}`).toBe(true);
  for (const port of ports) expect(await heldByRun(port, pids), `port ${port} still held by the run`).toBe(false);
  const runId = runIdOf(stdout);
  if (env && runId) expect(await proxiesOn(toxiproxy.url, `shakedown-${runId}-`)).toEqual([]);
}

describe('interrupts at seeded moments (seed 6)', () => {
  it.concurrent.each(cases)(
    '#$i $signal in $stage, $delayMs ms after "$text" (TOXIPROXY_URL: $env)',
    async (c) =>
      pool(async () => {
        const out = tempDir();
        const run = spawnCli(['run', SCENARIO, '--seed', String(c.i + 1), '--out', out], c.env ? { TOXIPROXY_URL: toxiproxy.url } : {});
        await run.waitFor(c.text);
        await new Promise((r) => setTimeout(r, c.delayMs));
        const atSignal = run.output().stdout;
        run.kill(c.signal);
        const { code } = await run.exited;
        const { stdout, stderr } = run.output();
        // A signal during the teardown comes after the run finished: it stays completed, with its verdict's code.
        if (c.stage !== 'teardown') expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(130);
        expect(stderr).toContain(`${c.signal}: stopping, writing partial results`);
        expect(stderr).not.toMatch(/unexpected error|\n\s+at /);
        const pids = startedPids(stdout);
        if (['readiness', 'warm-up', 'baseline', 'fault', 'teardown'].includes(c.stage)) expect(pids.length).toBe(c.env ? 2 : 3);
        await noTrace(stdout, pids, printedPorts(stdout, c.env ? [Number(new URL(toxiproxy.url).port)] : []), c.env);

        // The run folder exists from the first line on: results.json and the reports, marked interrupted.
        const [dir, ...more] = runFolders(out, 'robust-short');
        expect(more).toEqual([]);
        const { result, samples, files } = readResult(dir);
        expect(files.filter((f) => f.includes('.tmp'))).toEqual([]);
        expect(files).toEqual(expect.arrayContaining(['results.json', 'samples.ndjson', 'report.html', 'junit.xml', 'summary.md']));
        if (c.stage === 'teardown') {
          expect(result.run.status).toBe('completed');
          expect(result.run.status_reason).toBeNull();
          expect(code).toBe(result.verdict.passed ? 0 : 1);
        } else {
          expect(result.run.status).toBe('interrupted');
          expect(result.run.status_reason).toBe('interrupted by signal');
          expect(result.verdict.passed).toBe(false);
        }
        expect(samples.length).toBe(result.reconciliation.samples);
        const completed = result.phases.map((p) => p.completed);
        expect(completed).toEqual([...completed].sort((a, b) => Number(b) - Number(a))); // completed phases come first
        const measured = atSignal.includes('measured load');
        if (!measured && !stdout.includes('measured load')) {
          expect(result.run.t0_epoch_ms).toBeNull();
          expect(samples).toHaveLength(0);
        }
        if (c.text.startsWith('fault')) expect(result.phases[0]).toMatchObject({ name: 'baseline', completed: true });
        if (c.stage === 'teardown') expect(completed.every(Boolean)).toBe(true);
        // A phase counts as completed only if load ran to its end; its samples are all there.
        for (const p of result.phases.filter((q) => q.completed))
          expect(p.metrics.requests).toBeGreaterThanOrEqual(Math.floor((p.end_ms - p.start_ms) / 100) - 1);
      }),
    60_000,
  );

  const doubles = [
    { anchor: 'SUT started', delayMs: 50 },
    { anchor: 'fault model-latency applied', delayMs: 100 },
    { anchor: 'fault retrieval-down applied', delayMs: 200 },
  ];
  it.concurrent.each(doubles)(
    'a second SIGINT $delayMs ms after "$anchor" exits fast and still deletes the proxies on TOXIPROXY_URL',
    async (d) =>
      pool(async () => {
        const out = tempDir();
        const run = spawnCli(['run', SCENARIO, '--seed', '3', '--out', out], { TOXIPROXY_URL: toxiproxy.url });
        await run.waitFor(d.anchor);
        await new Promise((r) => setTimeout(r, d.delayMs));
        const before = await proxiesOn(toxiproxy.url, `shakedown-${runIdOf(run.output().stdout)}-`);
        expect(before.length).toBe(3);
        if (d.anchor.startsWith('fault')) expect(before.some((p) => p.toxics.length > 0) || d.anchor.includes('down')).toBe(true);
        run.kill('SIGINT');
        await settle(() => run.output().stderr.includes('stopping'), 2000); // the second press comes after the first was seen
        const forcedAt = performance.now();
        run.kill('SIGINT');
        const { code, at } = await run.exited;
        const { stdout, stderr } = run.output();
        expect(code, stderr).toBe(130);
        expect(stderr).toContain('again: forcing exit');
        expect(at - forcedAt).toBeLessThan(2000);
        await noTrace(stdout, startedPids(stdout), printedPorts(stdout, [Number(new URL(toxiproxy.url).port)]), true);
      }),
    60_000,
  );

  it('interrupted while the scenario loads (before the run folder exists): exit 130, no folder, nothing started', async () => {
    const out = tempDir();
    const controller = new AbortController();
    controller.abort(new Error('interrupted by SIGINT'));
    const { code, stdout, stderr } = await runCli(['run', SCENARIO, '--out', out], controller.signal);
    expect(code).toBe(130);
    expect(stderr).toBe('shakedown: interrupted before the run started: nothing was started, no results written\n');
    expect(stdout).toBe('');
    expect(existsSync(`${out}/robust-short`)).toBe(false);
  });
});
