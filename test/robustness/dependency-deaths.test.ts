/**
 * Issue 6.2: dependencies that die. The SUT exits at start, never becomes ready, or crashes mid-run (a test SUT
 * that exits after 15 requests); the fakes process or the Toxiproxy server is killed mid-run. Each is noticed
 * within about a second, reported with its cause (and the dead process's last output), the run ends cleanly with
 * partial results marked failed, nothing it started is left, and the CLI exits 3. A SUT crash during load shows
 * in the samples as connection errors.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { SampleRecord } from '../../harness/results/result-types.ts';
import { removeTempDirs, tempDir } from '../cli/helpers.ts';
import { alive, heldByRun, printedPorts, readResult, runFolders, settle, slots, spawnCli, startedPids } from './helpers.ts';

afterAll(removeTempDirs);
const pool = slots(2);

async function finished(run: ReturnType<typeof spawnCli>, out: string, scenario: string) {
  const { code } = await run.exited;
  const { stdout, stderr } = run.output();
  const pids = startedPids(stdout);
  expect(await settle(() => !pids.some(alive)), `alive: ${pids.filter(alive).join(', ')}`).toBe(true);
  for (const port of printedPorts(stdout)) expect(await heldByRun(port, pids), `port ${port} still held by the run`).toBe(false);
  const [dir] = runFolders(out, scenario);
  const { result, samples, files } = readResult(dir);
  expect(files.filter((f) => f.includes('.tmp'))).toEqual([]);
  expect(files).toEqual(expect.arrayContaining(['results.json', 'report.html', 'junit.xml', 'summary.md']));
  expect(stderr).not.toMatch(/unexpected error|\n\s+at /);
  return { code, stdout, stderr, result, samples: samples.map((l) => JSON.parse(l) as SampleRecord) };
}

describe('dependencies that die', () => {
  it.concurrent(
    'the SUT exits at start: noticed long before the readiness timeout, exit 3, with its stderr',
    async () =>
      pool(async () => {
        const out = tempDir();
        const run = spawnCli(['run', 'test/fixtures/scenarios/sut-exit-at-start.ts', '--out', out]);
        const startedAt = await run.waitFor('SUT started');
        const { code, stderr, result } = await finished(run, out, 'sut-exit-at-start');
        expect(code).toBe(3);
        expect(stderr).toContain(
          'shakedown: The SUT stopped before it became ready: it exited with code 1; the end of its output:\n  | flaky-sut: cannot read config file /etc/flaky/config.json (ENOENT)',
        );
        // The readiness timeout is 10 s: well before it, the exit was noticed rather than waited out (a bound that
        // holds on a loaded machine, where 1.5 s did not).
        expect((await run.exited).at - startedAt).toBeLessThan(5000);
        expect(result.run).toMatchObject({ status: 'failed', t0_epoch_ms: null });
        expect(result.run.status_reason).toMatch(/^SUT_EXITED: /);
      }),
    30_000,
  );

  it.concurrent(
    'the SUT never becomes ready: exit 3 after system.ready.timeout, with the last answer and its stderr',
    async () =>
      pool(async () => {
        const out = tempDir();
        const run = spawnCli(['run', 'test/fixtures/scenarios/sut-never-ready.ts', '--out', out]);
        const startedAt = await run.waitFor('SUT started');
        const { code, stderr, result } = await finished(run, out, 'sut-never-ready');
        expect(code).toBe(3);
        expect(stderr).toMatch(/The SUT did not answer GET http:\/\/127\.0\.0\.1:\d+\/health with 200 within 1500 ms \(last: HTTP 503\)/);
        expect(stderr).toContain('  | flaky-sut: still warming the cache');
        expect((await run.exited).at - startedAt).toBeLessThan(1500 + 1500);
        expect(result.run.status).toBe('failed');
        expect(result.run.status_reason).toMatch(/^SUT_NOT_READY: /);
      }),
    30_000,
  );

  it.concurrent(
    'the SUT crashes mid-run: noticed within a second, partial results, connection errors in the samples, exit 3',
    async () =>
      pool(async () => {
        const out = tempDir();
        const run = spawnCli(['run', 'test/fixtures/scenarios/sut-crash-after.ts', '--out', out]);
        await run.waitFor('measured load');
        const noticed = await run.waitFor('tearing down');
        const noticedEpoch = Date.now() - (performance.now() - noticed);
        const { code, stderr, result, samples } = await finished(run, out, 'sut-crash-after');
        expect(code).toBe(3);
        expect(stderr).toContain(
          'shakedown: The SUT died during the run: it exited with code 1; the end of its output:\n  | flaky-sut: simulated crash after 15 requests (out of memory in the answer cache)',
        );
        expect(result.run.status).toBe('failed');
        expect(result.run.status_reason).toMatch(/^SUT_EXITED_DURING_RUN: /);
        expect(result.phases[0]).toMatchObject({ name: 'baseline', completed: false });
        // 5 warm-up requests, then 10 measured ones answered; the 16th is cut: a connection error, not a success.
        const failed = samples.filter((s) => s.error_kind !== null);
        expect(failed.length).toBeGreaterThanOrEqual(1);
        expect(failed.every((s) => ['reset', 'refused', 'closed'].includes(s.error_kind!))).toBe(true);
        expect(result.phases[0].metrics.connection_error_rate).toBeGreaterThan(0);
        expect(samples.length).toBeLessThan(25); // stopped, not 4 s of refused connections
        const crashEpoch = result.run.t0_epoch_ms! + Math.min(...failed.map((s) => s.end_ms));
        expect(noticedEpoch - crashEpoch).toBeLessThan(1000);
      }),
    30_000,
  );

  for (const victim of ['fakes', 'toxiproxy'] as const) {
    it.concurrent(
      `the ${victim === 'fakes' ? 'fakes process' : 'Toxiproxy server'} is killed mid-run: noticed within about a second, exit 3`,
      async () =>
        pool(async () => {
          const out = tempDir();
          const run = spawnCli(['run', 'test/fixtures/scenarios/robust-short.ts', '--seed', '4', '--out', out]);
          await run.waitFor('measured load');
          await new Promise((r) => setTimeout(r, 1200));
          const line = victim === 'fakes' ? /fakes process started \(pid (\d+)\)/ : /toxiproxy-server \S+ \(pid (\d+)\)/;
          const pid = Number(line.exec(run.output().stdout)![1]);
          process.kill(pid, 'SIGKILL');
          const killedAt = performance.now();
          const noticed = await run.waitFor('tearing down');
          expect(noticed - killedAt).toBeLessThan(victim === 'fakes' ? 500 : 1700);
          const { code, stderr, result, samples } = await finished(run, out, 'robust-short');
          expect(code).toBe(3);
          if (victim === 'fakes') {
            expect(stderr).toMatch(/shakedown: The fakes process died during the run \(SIGKILL\)/);
            expect(result.run.status_reason).toMatch(/^FAKES_EXITED: /);
          } else {
            expect(stderr).toMatch(/shakedown: The Toxiproxy server at http:\/\/127\.0\.0\.1:\d+ stopped answering during the run/);
            expect(result.run.status_reason).toMatch(/^TOXIPROXY_DIED: /);
          }
          expect(result.run.status).toBe('failed');
          expect(result.phases.map((p) => p.completed)).toEqual([true, false, false, false, false].slice(0, result.phases.length)); // killed at ~1.2 s: the baseline (0-1 s) completed
          expect(samples.length).toBe(result.reconciliation.samples);
          expect(samples.length).toBeLessThan(30);
        }),
      30_000,
    );
  }
});
