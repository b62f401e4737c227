/**
 * The CLI end to end through its programmatic entry: real Toxiproxy, real fakes process, the example service
 * as the SUT, real load. Short scenarios (about 10 s each).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, readRun, removeTempDirs, runCli, tempDir } from './helpers.ts';
import { spawnSync } from 'node:child_process';
import { main } from '../../harness/cli/main.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

afterAll(removeTempDirs);

describe('shakedown run', () => {
  it('runs a short latency scenario: the fault phase is slower than baseline by the toxic, results and samples agree', async () => {
    const out = tempDir();
    const { code, stdout, stderr } = await runCli([
      'run',
      'test/fixtures/scenarios/short-latency.ts',
      '--seed',
      '7',
      '--out',
      out,
      '--label',
      'ci',
    ]);
    expect(stderr).toBe('');
    expect(code, stdout).toBe(0); // on failure, the output says which SLO
    expect(stdout).toContain('seed 7 (replay with --seed 7)');
    expect(stdout).toContain('All 3 SLOs met.');
    const { result, samples } = readRun(out, 'short-latency');
    expect(result.schemaVersion).toBe(2);
    expect(result.run).toMatchObject({ scenario: 'short-latency', seed: 7, label: 'ci', status: 'completed', status_reason: null });
    expect(result.phases.map((p) => [p.name, p.kind, p.start_ms, p.end_ms, p.completed])).toEqual([
      ['baseline', 'baseline', 0, 3000, true],
      ['model-latency', 'fault', 3000, 6000, true],
      ['recovery', 'recovery', 6000, 9000, true],
    ]);
    const [baseline, fault, recovery] = result.phases;
    // The 300 ms latency toxic on the model's responses shows up in the SUT's latency, and goes away.
    expect(fault.metrics.p50_ms! - baseline.metrics.p50_ms!).toBeGreaterThan(250);
    expect(recovery.metrics.p50_ms!).toBeLessThan(baseline.metrics.p50_ms! + 100);
    expect(fault.degradation!.p50_ratio!).toBeGreaterThan(2);
    // Open model at 10 req/s for 9 s: 90 arrivals, all answered, every one a line in samples.ndjson.
    expect(result.reconciliation.samples).toBe(90);
    expect(samples).toHaveLength(90);
    // Ground truth: the example service forwards traceparent, and every sample reached retrieval through it.
    expect(result.reconciliation.traced_by_fakes).toBe(90);
    expect(result.reconciliation.fake_requests).toBeGreaterThanOrEqual(2 * 90);
    expect(result.phases.reduce((n, p) => n + p.metrics.requests, 0)).toBe(90);
    expect(result.series).toHaveLength(9);
    expect(result.series[4].active_faults).toEqual(['model-latency']);
    // Evidence: applied and removed on schedule, and the model fake saw traffic during the window.
    const [evidence] = result.faults;
    expect(Math.abs(evidence.applied_at_ms! - 3000)).toBeLessThan(50);
    expect(Math.abs(evidence.removed_at_ms! - 6000)).toBeLessThan(50);
    expect(evidence.proof.fake_requests_in_window).toBeGreaterThan(20);
    expect(evidence.proof.samples_in_window).toBe(30);
    expect(evidence.recovery).toBe('recovered');
    // The dataset questions are answered correctly when nothing is wrong.
    expect(baseline.metrics.quality).toBeGreaterThan(0.9);
    // Outcomes per second, the resilience score and dependency attribution (issue 3).
    expect(result.series.every((p) => Object.values(p.outcomes ?? {}).reduce((n, v) => n + (v ?? 0), 0) === p.requests)).toBe(true);
    // Score v2: the classes' shares of the fault and recovery requests, and the formula on one line.
    expect(result.score!.components.map((c) => [c.name, c.weight])).toEqual([
      ['good', 1],
      ['loud', 0.5],
      ['late', 0.1],
      ['quiet', 0],
    ]);
    expect(result.score!.value).toBeGreaterThan(0);
    expect(result.score!.formula).toContain('score = mean over fault+recovery phases of 100×(good + ½·loud + 0.1·late + 0·quiet)/requests');
    expect(stdout).toMatch(/Resilience score \d+(\.\d)? \(good/);
    // Dependency call metrics: the example forwards traceparent, so its model calls match by trace id.
    expect(result.dependency_calls!.model.phases.map((p) => p.phase)).toEqual(['baseline', 'model-latency', 'recovery']);
    expect(result.dependency_calls!.model.matched.trace_id).toBeGreaterThanOrEqual(90);
    expect(result.dependency_calls!.model.phases[0].calls_per_request).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(samples[0]).dependency_calls.model).toBeGreaterThanOrEqual(1);
    expect(stdout).toContain('Dependency calls (matched to requests by model:');
    const [baseShare, faultShare] = result.attribution!.phases.map((a) => a.share_of_sut_latency);
    // The model's responses were delayed by the toxic: the per-request attribution puts the fault phase's time on the model.
    expect(faultShare.model).toBeGreaterThan(0.8);
    expect(faultShare.model).toBeGreaterThan(baseShare.model + 0.4);
    expect(result.attribution!.phases[1]).toMatchObject({
      phase: 'model-latency',
      traced_samples: 30,
      dependencies: { model: { errors: 0 } },
    });
    // Calls are phased by when they reach the fake: on a loaded machine the model call of a request started just
    // before the window's end can arrive after it (29 seen once under a full parallel test run).
    expect(result.attribution!.phases[1].dependencies.model.calls).toBeGreaterThanOrEqual(28);
    expect(result.attribution!.phases[1].dependencies.model.calls).toBeLessThanOrEqual(32);
    expect(JSON.parse(samples[0]).dependency_ms).toEqual({
      model: expect.any(Number),
      retrieval: expect.any(Number),
      ...(JSON.parse(samples[0]).dependency_ms.api === undefined ? {} : { api: expect.any(Number) }),
    });
    const first = JSON.parse(samples[0]);
    expect(first).toMatchObject({
      id: expect.any(Number),
      phase: 'baseline',
      status: 200,
      error_kind: null,
      question_id: expect.stringMatching(/^q-/),
    });
    expect(first.latency_ms % 1).not.toBe(0); // sub-millisecond precision
  });

  it('reports a fault that no request reached as not exercised', async () => {
    const out = tempDir();
    const { code, stdout, stderr } = await runCli([
      'run',
      'test/fixtures/scenarios/unexercised-fault.ts',
      '--seed',
      '3',
      '--out',
      out,
      '--quiet',
    ]);
    expect(code).toBe(0);
    expect(stderr).toBe(''); // evidence, said once with the faults table: not a teardown problem
    const { result } = readRun(out, 'unexercised-fault');
    const hidden = result.faults.find((f) => f.name === 'hidden-refusal')!;
    expect(hidden.proof.fake_requests_in_window).toBe(0);
    const problem =
      "no request reached model during the window: the fault was not exercised (an earlier fault, the service's cache or its routing kept traffic away)";
    expect(hidden.problems).toEqual([problem]);
    expect(stdout).toContain(`  fault hidden-refusal: ${problem}`);
    // A dependency that is down needs no traffic to do its work.
    expect(result.faults.find((f) => f.name === 'retrieval-down')!.problems).toEqual([]);
  });

  it('reports a mode that met requests but applied to none of them as not exercised: a stream mode on plain calls', async () => {
    const out = tempDir();
    const { code, stdout } = await runCli([
      'run',
      'test/fixtures/scenarios/stream-mode-plain-calls.ts',
      '--seed',
      '3',
      '--out',
      out,
      '--quiet',
    ]);
    expect(code).toBe(0);
    const { result } = readRun(out, 'stream-mode-plain-calls');
    const [stall] = result.faults;
    expect(stall.proof.mode_applied).toBe(0);
    expect(stall.proof.fake_requests_in_window).toBeGreaterThan(10);
    const problem = `model served ${stall.proof.fake_requests_in_window} requests during the window but the mode applied to none: the fault was not exercised (a stream mode meets only streamed calls, a path filter only its paths)`;
    expect(stall.problems).toEqual([problem]);
    expect(stdout).toContain(`  fault stall-unused: ${problem}`);
  });

  it('exits 1 when an SLO fails, and says which with the actual value', async () => {
    const out = tempDir();
    const { code, stdout } = await runCli(['run', 'test/fixtures/scenarios/short-slo-fail.ts', '--seed', '3', '--out', out]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/fault: error_rate < 1%\s*│ model-http-error\s*│ \d+\.\d%/);
    expect(stdout).toContain('1 of 1 SLOs failed.');
    const { result } = readRun(out, 'short-slo-fail');
    const fault = result.phases.find((p) => p.kind === 'fault')!;
    expect(fault.errors.http_5xx).toBeGreaterThan(10);
    expect(result.verdict).toEqual({ passed: false, slos_total: 1, slos_failed: 1 });
    expect(result.slos[0]).toMatchObject({ metric: 'error_rate', passed: false, phase: 'model-http-error' });
    expect(result.faults[0].proof.mode_applied).toBeGreaterThan(10);
  });

  it('reports every mistake of an invalid scenario with its path and exits 2', async () => {
    const { code, stdout, stderr } = await runCli(['run', 'test/fixtures/scenarios/three-mistakes.ts']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'shakedown: test/fixtures/scenarios/three-mistakes.ts is not a valid scenario (3 problems):',
        '  test/fixtures/scenarios/three-mistakes.ts: load.rate must be a positive number (got -5)',
        "  test/fixtures/scenarios/three-mistakes.ts: faults[0].on must name a dependency ('model'), got 'retrieval'",
        `  test/fixtures/scenarios/three-mistakes.ts: slos.fault.p95 is not a known metric; known: requests, throughput_rps, error_rate, timeout_rate, p50_ms, p95_ms, p99_ms, max_ms, mean_ms, quality, goodput_rps, ttft_ms, itl_ms, stream_abort_rate, recovery_s, ok_rate, partial_rate, stale_rate, wrong_rate, fallback_rate, empty_rate, truncated_rate, http_error_rate, timeout_outcome_rate, connection_error_rate`,
        '',
      ].join('\n'),
    );
  });

  it('validates and prints the plan with --dry-run, starting nothing', async () => {
    const { code, stdout } = await runCli(['run', 'scenarios/model-latency-spike.ts', '--dry-run', '--seed', '5']);
    expect(code).toBe(0);
    expect(stdout).toContain('scenarios/model-latency-spike.ts: valid');
    expect(stdout).toContain('seed      5');
    expect(stdout).toContain('15s +15s    model-latency on model: latency 1000±100ms downstream');
    expect(stdout).toMatch(/0ms – 15s\s+baseline \(baseline\)/);
    expect(stdout).toContain('recovery: recovery_s < 5');
    // Each scored phase's budget, as the score uses it: the fault phase has no latency SLO (the timeout), recovery p95 < 500.
    expect(stdout).toContain('budget    model-latency 10000 ms, recovery 500 ms (latency budget');
    expect(stdout).toContain('on up to 220 connections');
  });

  it('names the file and line of a scenario that does not parse', async () => {
    const { code, stderr } = await runCli(['run', 'test/fixtures/scenarios/broken-syntax.ts.txt']);
    expect(code).toBe(2);
    expect(stderr).toContain('test/fixtures/scenarios/broken-syntax.ts.txt: no such scenario file');
  });

  it('refuses a bad --seed and an unknown command with exit 2', async () => {
    expect((await runCli(['run', 'scenarios/model-latency-spike.ts', '--seed', 'abc'])).code).toBe(2);
    const unknown = await runCli(['explode']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'explode'");
  });

  it('refuses an option given another option as its value (a forgotten value), exit 2, before anything starts', async () => {
    const forgotten = await runCli(['run', 'scenarios/model-latency-spike.ts', '--out', '--dry-run']);
    expect(forgotten.code).toBe(2);
    expect(forgotten.stderr).toContain("--out needs a folder; '--dry-run' is an option. Put a folder after --out.");
    const label = await runCli(['run', 'scenarios/model-latency-spike.ts', '--label', '--quiet', '--dry-run']);
    expect(label.code).toBe(2);
    expect(label.stderr).toContain("--label needs a label; '--quiet' is an option.");
    const long = await runCli(['run', 'scenarios/model-latency-spike.ts', '--label', 'x'.repeat(300), '--dry-run']);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain("--label is 300 characters; at most 100 (it becomes part of the run folder's name).");
    expect((await runCli(['compare', 'a.json', 'b.json', '--html', '--fail-on-regression'])).stderr).toContain(
      "--html needs a file; '--fail-on-regression' is an option.",
    );
  });

  it('refuses a non-loopback SUT before starting anything, in --dry-run too', async () => {
    for (const extra of [['--dry-run'], ['--out', tempDir()]]) {
      const { code, stdout, stderr } = await runCli(['run', 'test/fixtures/scenarios/remote-target.ts', ...extra]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        'shakedown: Refusing to send load to 10.1.2.3: it is not a loopback address. Shakedown loads only 127.0.0.0/8, localhost or ::1 unless you pass --allow-remote-target.\n',
      );
    }
  });

  it('reports a system.env function that throws as a scenario problem (exit 2), before anything starts', async () => {
    const { code, stdout, stderr } = await runCli(['run', 'test/fixtures/scenarios/env-throws.ts', '--dry-run']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      "shakedown: test/fixtures/scenarios/env-throws.ts: system.env threw: Cannot read properties of undefined (reading 'url') (its argument has: model)\n",
    );
  });

  it('loads a scenario kept outside this repository that imports from shakedown, and names a missing one by its full path', async () => {
    const dir = tempDir();
    const file = join(dir, 'mine.ts');
    writeFileSync(file, readFileSync(join(ROOT, 'test/fixtures/scenarios/short-latency.ts'), 'utf8'));
    // A real CLI process: Node's module resolution (and the hook) is not what the test runner's loader uses.
    const plan = spawnSync(process.execPath, [join(ROOT, 'harness/cli/bin.ts'), 'run', file, '--dry-run'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(plan.stderr).toBe('');
    expect(plan.status).toBe(0);
    expect(plan.stdout).toContain(`${file}: valid`);
    const missing = await runCli(['run', join(dir, 'nope.ts')]);
    expect(missing).toMatchObject({ code: 2, stderr: `shakedown: ${join(dir, 'nope.ts')}: no such scenario file\n` });
  });

  it('takes a folder as a suite (--dry-run: every plan, nothing started), and fails fast on an output folder it cannot create', async () => {
    const folder = await runCli(['run', 'scenarios', '--dry-run']);
    expect(folder.code, folder.stderr).toBe(0);
    for (const name of ['model-latency-spike', 'retrieval-outage', 'model-rate-limit'])
      expect(folder.stdout).toContain(`scenarios/${name}.ts: valid`);
    // Node's recursive mkdir spins forever under /proc; the harness creates folders one level at a time.
    const proc = await runCli(['run', 'test/fixtures/scenarios/short-latency.ts', '--out', '/proc/shakedown-nope']);
    expect(proc.code).toBe(2);
    expect(proc.stderr).toContain('shakedown: Cannot write results under /proc/shakedown-nope: ENOENT');
  });

  it('lists the shipped scenarios with their descriptions', async () => {
    const { code, stdout } = await runCli(['list']);
    expect(code).toBe(0);
    expect(stdout).toContain('scenarios/model-latency-spike.ts\n  model-latency-spike: The model slows');
    expect(stdout).toContain('scenarios/retrieval-outage.ts\n  retrieval-outage:');
    expect(stdout).toContain('scenarios/model-rate-limit.ts\n  model-rate-limit:');
  });

  it('says so, exit 2, in a folder without a scenarios folder of its own (no fallback into the package)', async () => {
    let stderr = '';
    const cwd = tempDir();
    const code = await main(['list'], {
      stdout: { write: () => {} },
      stderr: {
        write: (t: string) => {
          stderr += t;
        },
      },
      cwd,
      signal: new AbortController().signal,
    });
    expect(code).toBe(2);
    expect(stderr).toContain(`no scenarios/ folder in ${cwd}: name the folder to list (shakedown list <folder>)`);
  });
});
