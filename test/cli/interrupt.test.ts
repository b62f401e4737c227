/**
 * The CLI as a spawned process, interrupted with SIGINT in the middle of a fault window: it exits 130, writes
 * partial results marked interrupted, and leaves no process, proxy or listening port behind.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, accepting, alive, readRun, removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

function startCli(args: string[]) {
  const child = spawn(process.execPath, [join(ROOT, 'harness/cli/bin.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, PATH: `${join(ROOT, '.tools/bin')}:${process.env.PATH}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (text: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!stdout.includes(text)) {
      if (Date.now() > deadline) throw new Error(`did not see "${text}" within ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, exited, waitFor, output: () => ({ stdout, stderr }) };
}

function startedPids(stdout: string): number[] {
  return [...stdout.matchAll(/\(pid (\d+)\)/g)].map((m) => Number(m[1]));
}

function proxyPorts(stdout: string): number[] {
  return [...stdout.matchAll(/behind proxy http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
}

async function settle(check: () => boolean | Promise<boolean>, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('interrupting a run', () => {
  it('SIGINT inside a fault window: exit 130, partial results with the completed baseline, nothing left running', async () => {
    const out = tempDir();
    const run = startCli(['run', 'test/fixtures/scenarios/short-latency.ts', '--seed', '9', '--out', out]);
    await run.waitFor('fault model-latency applied', 30_000);
    const { stdout } = run.output();
    const pids = startedPids(stdout);
    const ports = proxyPorts(stdout);
    expect(pids).toHaveLength(3); // toxiproxy-server, fakes, SUT
    expect(ports).toHaveLength(3);
    expect(pids.every(alive)).toBe(true);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.output().stderr).toContain('SIGINT: stopping, writing partial results');
    const { result, samples } = readRun(out, 'short-latency');
    expect(result.run.status).toBe('interrupted');
    expect(result.run.status_reason).toBe('interrupted by signal');
    expect(result.phases.map((p) => [p.name, p.completed])).toEqual([
      ['baseline', true],
      ['model-latency', false],
      ['recovery', false],
    ]);
    expect(result.phases[0].metrics.requests).toBe(30);
    expect(samples.length).toBe(result.reconciliation.samples);
    expect(result.faults[0].applied_at_ms).not.toBeNull();
    expect(result.faults[0].removed_at_ms).not.toBeNull(); // removed at teardown
    expect(result.verdict.passed).toBe(false);
    expect(await settle(() => !pids.some(alive))).toBe(true);
    for (const port of ports) expect(await accepting(port)).toBe(false);
  });

  it('SIGINT during warm-up: exit 130 and interrupted (the SUT stopping at teardown is not blamed)', async () => {
    const out = tempDir();
    const run = startCli(['run', 'test/fixtures/scenarios/short-latency.ts', '--seed', '9', '--out', out]);
    await run.waitFor('warm-up', 30_000);
    const pids = startedPids(run.output().stdout);
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    const { result, samples } = readRun(out, 'short-latency');
    expect(result.run.status).toBe('interrupted');
    expect(result.run.t0_epoch_ms).toBeNull();
    expect(samples).toHaveLength(0);
    expect(run.output().stderr).not.toContain('SUT_EXITED');
    expect(await settle(() => !pids.some(alive))).toBe(true);
  });

  it('a second SIGINT forces a fast exit that still kills every process the run started', async () => {
    const out = tempDir();
    const run = startCli(['run', 'test/fixtures/scenarios/short-latency.ts', '--seed', '9', '--out', out]);
    await run.waitFor('measured load', 30_000);
    const pids = startedPids(run.output().stdout);
    expect(pids).toHaveLength(3);
    run.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 20));
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.output().stderr).toContain('again: forcing exit');
    expect(await settle(() => !pids.some(alive))).toBe(true);
  });
});
