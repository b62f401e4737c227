/**
 * Issue 15, part A: nothing of a run outlives its CLI, however the CLI dies.
 * - SIGKILL at 10 seeded moments (start-up, readiness, load, fault, teardown), half with TOXIPROXY_URL (a server
 *   the test owns): within 15 s no process, port, proxy or toxic of the run is left, nor its lock file.
 * - A closed terminal (SIGHUP through a pseudo-terminal that goes away, `script` from util-linux): partial
 *   results written, everything torn down.
 * - Two CLIs, both pid 1 in their own pid namespaces (`unshare`), against one Toxiproxy: both complete, each
 *   with its own proxies (named by a random run id, not the pid).
 * - A lock whose owner and watchdog are both dead is reaped by the next run, with one line.
 * - A grandchild of the SUT in its own session that keeps the port is killed and reported after the teardown.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../cli/helpers.ts';
import { reapStaleRuns } from '../../harness/runner/run-guard.ts';
import { identify, lockFilePath, newRunId, RUN_ID_ENV, runLockDir, writeRunLock } from '../../harness/runner/run-lock.ts';
import {
  ROOT,
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

/** The run id the CLI printed (`run id <12 hex>`). */
function runIdOf(stdout: string): string | undefined {
  return /run id ([0-9a-f]{12})/.exec(stdout)?.[1];
}

/** Pids whose environment carries the run id (what the reaper looks for), excluding zombies. */
function markedProcesses(runId: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        return readFileSync(`/proc/${e}/environ`, 'latin1').split('\0').includes(`${RUN_ID_ENV}=${runId}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Polls, for up to 15 s, until nothing of the run is left; then asserts each part separately. */
async function nothingLeft(o: { runId: string | undefined; pids: number[]; ports: number[]; env: boolean; runsDir: string }) {
  const clean = async () =>
    !o.pids.some(alive) &&
    readdirSync(o.runsDir).length === 0 &&
    (!o.runId || markedProcesses(o.runId).length === 0) &&
    (!o.env || !o.runId || (await proxiesOn(toxiproxy.url, `shakedown-${o.runId}-`)).length === 0);
  await settle(clean, 15_000);
  expect(o.pids.filter(alive), 'processes of the run still alive').toEqual([]);
  if (o.runId) expect(markedProcesses(o.runId), 'processes marked with the run id').toEqual([]);
  for (const port of o.ports) expect(await heldByRun(port, o.pids), `port ${port} still held by the run`).toBe(false);
  if (o.env && o.runId) expect(await proxiesOn(toxiproxy.url, `shakedown-${o.runId}-`)).toEqual([]);
  expect(readdirSync(o.runsDir), 'lock files left').toEqual([]);
}

type Stage = 'start-up' | 'readiness' | 'load' | 'fault' | 'teardown';
const ANCHORS: Array<{ stage: Stage; text: string; maxDelayMs: number }> = [
  { stage: 'start-up', text: 'run id ', maxDelayMs: 150 },
  { stage: 'start-up', text: 'fakes process started', maxDelayMs: 60 },
  { stage: 'readiness', text: 'SUT started', maxDelayMs: 150 },
  { stage: 'load', text: 'measured load', maxDelayMs: 700 },
  { stage: 'fault', text: 'fault model-latency applied', maxDelayMs: 400 },
  { stage: 'fault', text: 'fault retrieval-down applied', maxDelayMs: 400 },
  { stage: 'teardown', text: 'tearing down', maxDelayMs: 60 },
];
const random = prng(15);
const kills = Array.from({ length: 10 }, (_, i) => {
  const anchor = ANCHORS[i % ANCHORS.length];
  return { i, ...anchor, delayMs: Math.round(random() * anchor.maxDelayMs), env: i % 2 === 1 };
});

describe('the reaper', () => {
  it.concurrent.each(kills)(
    '#$i SIGKILL in $stage, $delayMs ms after "$text" (TOXIPROXY_URL: $env): nothing of the run is left',
    async (c) =>
      pool(async () => {
        const runsDir = tempDir('shakedown-runs-');
        const run = spawnCli(['run', SCENARIO, '--seed', String(c.i + 1), '--out', tempDir()], {
          SHAKEDOWN_RUNS_DIR: runsDir,
          ...(c.env ? { TOXIPROXY_URL: toxiproxy.url } : {}),
        });
        await run.waitFor(c.text);
        await new Promise((r) => setTimeout(r, c.delayMs));
        const runId = runIdOf(run.output().stdout);
        if (c.env && c.stage === 'fault' && runId) expect((await proxiesOn(toxiproxy.url, `shakedown-${runId}-`)).length).toBe(3);
        run.kill('SIGKILL');
        const { signal } = await run.exited;
        expect(signal).toBe('SIGKILL');
        const { stdout } = run.output();
        expect(runIdOf(stdout)).toMatch(/^[0-9a-f]{12}$/);
        const pids = startedPids(stdout);
        if (c.stage !== 'start-up') expect(pids.length).toBe(c.env ? 2 : 3);
        const ports = printedPorts(stdout, c.env ? [Number(new URL(toxiproxy.url).port)] : []);
        await nothingLeft({ runId: runIdOf(stdout), pids, ports, env: c.env, runsDir });
      }),
    60_000,
  );

  const hangups = [
    { anchor: 'SUT started', delayMs: 100, env: false },
    { anchor: 'fault model-latency applied', delayMs: 200, env: true },
  ];
  it.concurrent.each(hangups)(
    'a closed terminal $delayMs ms after "$anchor" (TOXIPROXY_URL: $env): partial results written, nothing left',
    async (h) =>
      pool(async () => {
        const runsDir = tempDir('shakedown-runs-');
        const out = tempDir();
        const bin = join(ROOT, 'harness/cli/bin.ts');
        const command = `exec '${process.execPath}' '${bin}' run ${SCENARIO} --seed 5 --out '${out}'`;
        const env: NodeJS.ProcessEnv = {
          ...process.env,
          PATH: `${join(ROOT, '.tools/bin')}:${process.env.PATH}`,
          SHAKEDOWN_RUNS_DIR: runsDir,
        };
        delete env.TOXIPROXY_URL;
        if (h.env) env.TOXIPROXY_URL = toxiproxy.url;
        // `script` runs the CLI on a pseudo-terminal of its own; killing `script` closes the terminal's master
        // side, and the kernel sends SIGHUP to the CLI, as when a terminal window is closed.
        const terminal = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
        let screen = '';
        terminal.stdout.on('data', (c: Buffer) => {
          screen += c.toString();
        });
        const deadline = Date.now() + 30_000;
        while (!screen.includes(h.anchor) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        expect(screen).toContain(h.anchor);
        await new Promise((r) => setTimeout(r, h.delayMs));
        const runId = runIdOf(screen);
        const lock = JSON.parse(readFileSync(lockFilePath(runsDir, runId!), 'utf8')) as { owner: { pid: number } };
        terminal.kill('SIGKILL');
        // The CLI stops by itself on the hang-up: teardown, results.json marked interrupted, the reports.
        expect(await settle(() => !alive(lock.owner.pid), 15_000), 'the CLI exits after the hang-up').toBe(true);
        const [dir] = runFolders(out, 'robust-short');
        const { result, samples, files } = readResult(dir);
        expect(result.run.status).toBe('interrupted');
        expect(result.run.status_reason).toBe('interrupted by signal');
        expect(samples.length).toBe(result.reconciliation.samples);
        expect(files).toEqual(expect.arrayContaining(['results.json', 'samples.ndjson', 'report.html', 'junit.xml', 'summary.md']));
        const pids = startedPids(screen);
        expect(pids.length).toBe(h.env ? 2 : 3);
        const ports = printedPorts(screen, h.env ? [Number(new URL(toxiproxy.url).port)] : []);
        await nothingLeft({ runId, pids, ports, env: h.env, runsDir });
      }),
    60_000,
  );

  it('two CLIs, both pid 1 in their own pid namespaces, share one Toxiproxy: both complete with their own proxies', async () => {
    const runsDir = tempDir('shakedown-runs-');
    const outs = [tempDir(), tempDir()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${join(ROOT, '.tools/bin')}:${process.env.PATH}`,
      SHAKEDOWN_RUNS_DIR: runsDir,
      TOXIPROXY_URL: toxiproxy.url,
    };
    const runs = outs.map((out, i) => {
      const child = spawn(
        'unshare',
        [
          '--pid',
          '--fork',
          '--mount-proc',
          process.execPath,
          join(ROOT, 'harness/cli/bin.ts'),
          'run',
          SCENARIO,
          '--seed',
          String(i + 1),
          '--out',
          out,
        ],
        { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      return { exited, stdout: () => stdout };
    });
    // While both run: two lock files, both owners pid 1, two run ids, three proxies each.
    expect(await settle(() => runs.every((r) => r.stdout().includes('measured load')), 30_000)).toBe(true);
    const locks = readdirSync(runsDir).map(
      (f) => JSON.parse(readFileSync(join(runsDir, f), 'utf8')) as { run_id: string; owner: { pid: number } },
    );
    expect(locks.map((l) => l.owner.pid)).toEqual([1, 1]);
    const ids = runs.map((r) => runIdOf(r.stdout())!);
    expect(new Set(ids).size).toBe(2);
    expect(locks.map((l) => l.run_id).sort()).toEqual([...ids].sort());
    for (const id of ids)
      expect((await proxiesOn(toxiproxy.url, `shakedown-${id}-`)).map((p) => p.name).sort()).toEqual(
        ['api', 'model', 'retrieval'].map((d) => `shakedown-${id}-${d}`),
      );
    const codes = await Promise.all(runs.map((r) => r.exited));
    for (const [i, out] of outs.entries()) {
      const { result } = readResult(runFolders(out, 'robust-short')[0]);
      expect(result.run.status, runs[i].stdout()).toBe('completed');
      expect([0, 1]).toContain(codes[i]);
      // Each run's faults were applied on its own proxies, and removed: no problems, retrieval-down failed requests.
      expect(result.faults.map((f) => [f.name, f.applied_at_ms !== null, f.removed_at_ms !== null, f.problems])).toEqual([
        ['model-latency', true, true, []],
        ['retrieval-down', true, true, []],
      ]);
      expect(result.faults[1].proof.failed_samples_in_window).toBeGreaterThan(0);
    }
    for (const id of ids) expect(await proxiesOn(toxiproxy.url, `shakedown-${id}-`)).toEqual([]);
    expect(readdirSync(runsDir)).toEqual([]);
  }, 60_000);

  it('a lock whose owner and watchdog are dead is reaped by the next run, with one line', async () => {
    const runsDir = tempDir('shakedown-runs-');
    const env = { ...process.env, SHAKEDOWN_RUNS_DIR: runsDir };
    const runId = newRunId();
    // A dead owner: a process that has exited (its pid and start time no longer match a live process).
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const owner = { pid: Number(gone.stdout), start_ticks: 1, pid_ns: identify(process.pid).pid_ns };
    // What it left: a server in its own process group carrying the run id, and a proxy with a toxic.
    const left = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, [RUN_ID_ENV]: runId },
    });
    const proxy = `shakedown-${runId}-model`;
    await fetch(`${toxiproxy.url}/proxies`, {
      method: 'POST',
      body: JSON.stringify({ name: proxy, listen: '127.0.0.1:0', upstream: '127.0.0.1:9' }),
    });
    await fetch(`${toxiproxy.url}/proxies/${proxy}/toxics`, {
      method: 'POST',
      body: JSON.stringify({ name: 'stale', type: 'latency', attributes: { latency: 1000 } }),
    });
    const file = lockFilePath(runLockDir(env), runId);
    writeRunLock(file, {
      run_id: runId,
      started_at: '2026-01-01T00:00:00.000Z',
      owner,
      watchdog: null,
      process_groups: [identify(left.pid!)],
      toxiproxy: { url: toxiproxy.url, started_by_harness: false },
      proxies: [proxy],
    });
    // A live run's lock next to it is left alone.
    const liveId = newRunId();
    const liveFile = lockFilePath(runsDir, liveId);
    writeRunLock(liveFile, {
      run_id: liveId,
      started_at: '',
      owner: identify(process.pid),
      watchdog: null,
      process_groups: [],
      toxiproxy: null,
      proxies: [],
    });

    const lines: string[] = [];
    expect(await reapStaleRuns((l) => lines.push(l), env)).toBe(1);
    expect(lines).toEqual([
      `cleaned up after run ${runId} (pid ${owner.pid}, started 2026-01-01T00:00:00.000Z), which died without tearing down: removed 1 process group, 1 marked process, 1 proxy`,
    ]);
    expect(await settle(() => !alive(left.pid!), 3000)).toBe(true);
    expect(await proxiesOn(toxiproxy.url, `shakedown-${runId}-`)).toEqual([]);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(liveFile)).toBe(true);
  });

  it('a grandchild of the SUT in its own session that keeps the port is killed and reported after the teardown', async () => {
    const runsDir = tempDir('shakedown-runs-');
    // A dead run's lock in the folder: the run cleans it up first, and says so in one line.
    const staleId = newRunId();
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    writeRunLock(lockFilePath(runsDir, staleId), {
      run_id: staleId,
      started_at: '2026-01-02T00:00:00.000Z',
      owner: { pid: deadPid, start_ticks: 1, pid_ns: identify(process.pid).pid_ns },
      watchdog: null,
      process_groups: [],
      toxiproxy: null,
      proxies: [],
    });
    const run = spawnCli(['run', 'test/fixtures/scenarios/sut-daemonizes.ts', '--seed', '1', '--out', tempDir()], {
      SHAKEDOWN_RUNS_DIR: runsDir,
    });
    const { code } = await run.exited;
    const { stdout, stderr } = run.output();
    expect(code, stderr).toBe(0);
    const port = Number(/SUT ready at http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]);
    const reported = new RegExp(
      `teardown problems:\\n  pid (\\d+) \\(.*flaky-sut\\.ts serve\\), started by the run, outlived its process group \\(it left it, e\\.g\\. with setsid\\) and held the SUT's port ${port}: killed\\n`,
    ).exec(stderr);
    expect(reported, stderr).not.toBeNull();
    expect(stdout).toContain(
      `\n  cleaned up after run ${staleId} (pid ${deadPid}, started 2026-01-02T00:00:00.000Z), which died without tearing down: removed 0 process groups, 0 marked processes, 0 proxies\n`,
    );
    const grandchild = Number(reported![1]);
    expect(await settle(() => !alive(grandchild), 3000)).toBe(true);
    expect(await heldByRun(port, [grandchild])).toBe(false);
    expect(markedProcesses(runIdOf(stdout)!)).toEqual([]);
    expect(readdirSync(runsDir)).toEqual([]);
  }, 30_000);
});
