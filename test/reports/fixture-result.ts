/**
 * Hand-made run results for the renderer tests: fixed (non-volatile) values, any length, several faults,
 * and hostile text where the SUT and the scenario put text (descriptions, answers, reasons, names).
 */
import type { ErrorKind, FaultEvidence, PhaseResult, RunResult, SeriesPoint } from '../../harness/results/result-types.ts';
import { createRandom } from '../../harness/runner/random.ts';

export const XSS_SCRIPT = '<script>window.__pwned = "script"</script>';
export const XSS_IMG = '"><img src=x onerror="window.__pwned = \'img\'">';
export const HOSTILE = `${XSS_SCRIPT} and ${XSS_IMG} | **bold** [link](http://example.invalid) & </script><!--`;

const ZERO: Record<ErrorKind, number> = { timeout: 0, reset: 0, refused: 0, closed: 0, http_4xx: 0, http_5xx: 0 };

/** A deterministic pseudo-random stream in [0, 1) (the harness's own mulberry32), so the same seed gives the same values. */
export const prng = createRandom;

export interface FixtureOptions {
  seconds?: number;
  rate?: number;
  faults?: Array<{ name: string; on: string; at_s: number; for_s: number; latency_ms?: number; error_rate?: number }>;
  seed?: number;
  /** Extra latency in every bucket (a slower build). */
  extraLatencyMs?: number;
  label?: string;
  hostile?: boolean;
}

/** A run result of `seconds` 1-second buckets with the given faults; phases derived like the runner's. */
export function makeResult(o: FixtureOptions = {}): RunResult {
  const seconds = o.seconds ?? 30;
  const rate = o.rate ?? 20;
  const rnd = prng(o.seed ?? 1);
  const faults = o.faults ?? [{ name: 'model-latency', on: 'model', at_s: 10, for_s: 10, latency_ms: 1000 }];
  const hostile = o.hostile ?? false;
  const series: SeriesPoint[] = [];
  const phaseOf = (t: number) => faults.find((f) => t >= f.at_s && t < f.at_s + f.for_s);
  const lastEnd = Math.max(0, ...faults.map((f) => f.at_s + f.for_s));
  for (let t = 0; t < seconds; t++) {
    const f = phaseOf(t);
    const noise = () => 1 + (rnd() - 0.5) * 0.2;
    const base = 20 + (o.extraLatencyMs ?? 0) + (f?.latency_ms ?? 0);
    const errors = { ...ZERO };
    if (f?.error_rate) errors.http_5xx = Math.round(rate * f.error_rate);
    if (f && t % 3 === 0) errors.timeout = 1;
    const failed = errors.http_5xx + errors.timeout;
    series.push({
      t_s: t,
      requests: rate,
      throughput_rps: rate,
      errors,
      error_rate: failed / rate,
      p50_ms: base * noise(),
      p95_ms: base * 1.6 * noise(),
      p99_ms: base * 2 * noise(),
      quality: Number((((rate - failed) / rate) * (f ? 0.9 : 1)).toFixed(3)),
      phase: f ? f.name : t < (faults[0]?.at_s ?? seconds) ? 'baseline' : 'recovery',
      active_faults: f ? [f.name] : [],
    });
  }
  const phaseNames = ['baseline', ...faults.map((f) => f.name), 'recovery'];
  const phases: PhaseResult[] = phaseNames.map((name) => {
    const pts = series.filter((p) => p.phase === name);
    const fault = faults.find((f) => f.name === name);
    const start = name === 'baseline' ? 0 : name === 'recovery' ? lastEnd : fault!.at_s;
    const end = name === 'baseline' ? (faults[0]?.at_s ?? seconds) : name === 'recovery' ? seconds : fault!.at_s + fault!.for_s;
    const requests = pts.reduce((n, p) => n + p.requests, 0);
    const errs = { ...ZERO };
    for (const p of pts) for (const k of Object.keys(errs) as ErrorKind[]) errs[k] += p.errors[k];
    const failed = Object.values(errs).reduce((a, b) => a + b, 0);
    const avg = (k: 'p50_ms' | 'p95_ms' | 'p99_ms') =>
      pts.length ? Number((pts.reduce((n, p) => n + p[k]!, 0) / pts.length).toFixed(3)) : null;
    const quality = pts.length ? Number((pts.reduce((n, p) => n + p.quality!, 0) / pts.length).toFixed(3)) : null;
    return {
      name,
      kind: name === 'baseline' ? 'baseline' : name === 'recovery' ? 'recovery' : 'fault',
      start_ms: start * 1000,
      end_ms: end * 1000,
      faults: fault ? [fault.name] : [],
      completed: true,
      metrics: {
        requests,
        throughput_rps: pts.length ? requests / pts.length : 0,
        error_rate: requests ? failed / requests : null,
        timeout_rate: requests ? errs.timeout / requests : null,
        p50_ms: avg('p50_ms'),
        p95_ms: avg('p95_ms'),
        p99_ms: avg('p99_ms'),
        max_ms: avg('p99_ms'),
        mean_ms: avg('p50_ms'),
        quality,
      },
      errors: errs,
      outcomes: {
        ok: requests - failed - (fault ? 10 : 0),
        ...(fault ? { stale: 6, partial: 4 } : {}),
        ...(failed ? { http_error: errs.http_5xx, timeout: errs.timeout } : {}),
      },
      by_category: {
        policy: { requests: Math.round(requests / 2), error_rate: 0, quality: 1, p95_ms: avg('p95_ms') },
        [hostile ? `cat ${XSS_IMG}` : 'specs']: {
          requests: Math.round(requests / 2),
          error_rate: 0.01,
          quality: 0.9,
          p95_ms: avg('p95_ms'),
        },
      },
      ...(name === 'baseline' ? {} : { degradation: { p50_ratio: 1.5, p95_ratio: 2, error_rate_delta: 0.01, quality_delta: -0.05 } }),
      latency_histogram_us: 'HISTFAAAAB',
    } satisfies PhaseResult;
  });
  const evidence: FaultEvidence[] = faults.map((f) => ({
    name: f.name,
    on: f.on,
    description: hostile ? `latency ${f.latency_ms ?? 0}ms ${XSS_SCRIPT}` : `latency ${f.latency_ms ?? 0}ms downstream`,
    at_ms: f.at_s * 1000,
    for_ms: f.for_s * 1000,
    applied_at_ms: f.at_s * 1000 + 12.5,
    removed_at_ms: (f.at_s + f.for_s) * 1000 + 3.25,
    target: { proxy: f.on, toxic: `shakedown-${f.name}` },
    proof: { fake_requests_in_window: f.for_s * rate, mode_applied: null, samples_in_window: f.for_s * rate, failed_samples_in_window: 4 },
    recovery_s: 2,
    recovery: 'recovered',
    problems: [],
  }));
  return {
    schemaVersion: 2,
    run: {
      id: '2026-11-30-120000',
      label: o.label ?? 'build-41',
      scenario: 'fixture-scenario',
      description: hostile ? `Description ${HOSTILE}` : 'A fixture scenario for renderer tests.',
      scenario_file: 'scenarios/fixture.ts',
      scenario_hash: '0123456789abcdef',
      git_sha: 'abcdef123456',
      seed: 42,
      status: 'completed',
      status_reason: null,
      started_at: '2026-11-30T12:00:00.000Z',
      ended_at: '2026-11-30T12:00:45.000Z',
      t0_epoch_ms: 1796040000000,
      timings_ms: { toxiproxy_ready: 300, sut_ready: 2000, measured_load: 3000, teardown: 100 },
      versions: { shakedown: '0.1.0', node: '24.22.3' },
      toxiproxy: { url: 'http://127.0.0.1:8474', source: 'binary', version: '2.12.0' },
      host: { platform: 'linux x64', cores: 2, memory_gb: 24, node: 'v24.22.3' },
    },
    load: { executor: 'constant-arrival-rate', rate, duration_ms: seconds * 1000 },
    phases,
    series,
    faults: evidence,
    slos: [
      {
        selector: 'baseline',
        phase: 'baseline',
        metric: 'p95_ms',
        expression: '< 500',
        actual: phases[0].metrics.p95_ms,
        passed: true,
        margin: 500 - (phases[0].metrics.p95_ms ?? 0),
      },
      {
        selector: 'fault',
        phase: phases[1].name,
        metric: 'error_rate',
        expression: '< 1%',
        actual: phases[1].metrics.error_rate,
        passed: false,
        margin: 0.01 - (phases[1].metrics.error_rate ?? 0),
      },
      { selector: 'recovery', phase: phases[1].name, metric: 'recovery_s', expression: '< 5', actual: 2, passed: true, margin: 3 },
    ],
    verdict: { passed: false, slos_total: 3, slos_failed: 1 },
    dependencies: {
      model: {
        kind: 'model',
        fake_url: 'http://127.0.0.1:1',
        proxy_url: 'http://127.0.0.1:2',
        requests: seconds * rate,
        by_status: { 200: seconds * rate - 5, 500: 5 },
        by_mode: {},
        by_path: { '/v1/chat/completions': seconds * rate },
      },
    },
    reconciliation: {
      samples: seconds * rate,
      sent: seconds * rate,
      by_kind: {},
      traced_by_fakes: seconds * rate,
      fake_requests: seconds * rate * 2,
      notes: [],
    },
    health: {
      trusted: !hostile,
      flags: hostile ? [`late arrivals ${XSS_SCRIPT}`] : [],
      load_event_loop_delay_p99_ms: 12,
      fakes_event_loop_delay_p99_ms: 20,
      late_arrivals: 0,
      max_lateness_ms: null,
    },
    examples: [
      {
        id: 7,
        phase: phases[1].name,
        outcome: 'stale',
        error_kind: null,
        status: 200,
        latency_ms: 1040.5,
        request: { question: hostile ? `What is ${XSS_IMG}?` : 'What is the return window?' },
        response: hostile ? `{"answer":"${HOSTILE}"}` : '{"answer":"30 days [doc-001]"}',
        reasons: [hostile ? `stale fact ${XSS_SCRIPT}` : 'stale fact: 30 days'],
      },
      {
        id: 9,
        phase: phases[1].name,
        outcome: 'http_error',
        error_kind: 'http_5xx',
        status: 503,
        latency_ms: 12,
        request: { question: 'Price?' },
        response: '{"error":{"message":"model unavailable"}}',
        reasons: ['HTTP 503'],
      },
    ],
    files: { samples: 'samples.ndjson', results: 'results.json' },
  };
}

/** A synthetic one-hour run: 3,600 buckets, several faults of different kinds. */
export function oneHourResult(): RunResult {
  return makeResult({
    seconds: 3600,
    rate: 20,
    seed: 3,
    faults: [
      { name: 'model-latency', on: 'model', at_s: 300, for_s: 300, latency_ms: 1000 },
      { name: 'retrieval-down', on: 'retrieval', at_s: 1200, for_s: 180, error_rate: 0.5 },
      { name: 'model-rate-limit', on: 'model', at_s: 2000, for_s: 400, error_rate: 0.3 },
      { name: 'api-stale', on: 'api', at_s: 2900, for_s: 300, latency_ms: 200 },
    ],
  });
}
