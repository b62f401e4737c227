import { describe, expect, it } from 'vitest';
import {
  defaultConnections,
  SCENARIO_DEFAULTS,
  dataset,
  fakes,
  mode,
  resolveScenario,
  toxic,
  type ResolveResult,
} from '../../harness/scenario/index.ts';
import { deepFreeze, fullScenario, validScenario } from './scenario-fixture.ts';

const KNOWN_METRICS =
  'requests, throughput_rps, error_rate, timeout_rate, p50_ms, p95_ms, p99_ms, max_ms, mean_ms, quality, goodput_rps, ' +
  'ttft_ms, itl_ms, stream_abort_rate, recovery_s, ok_rate, partial_rate, stale_rate, wrong_rate, fallback_rate, ' +
  'empty_rate, truncated_rate, http_error_rate, timeout_outcome_rate, connection_error_rate';

function problemsOf(result: ResolveResult): string[] {
  if (result.ok) throw new Error(`expected problems, got a resolved scenario: ${JSON.stringify(result.scenario)}`);
  return result.problems;
}

function scenarioOf(result: ResolveResult) {
  if (!result.ok) throw new Error(`expected a resolved scenario, got:\n${result.problems.join('\n')}`);
  return result.scenario;
}

/** The valid scenario with some fields replaced (a shallow patch of the top level). */
function withPatch(patch: Record<string, unknown>): Record<string, unknown> {
  return { ...structuredClone(validScenario()), ...patch };
}

const latencyFault = toxic.latency({ latency: 2000, jitter: 200 });

describe('resolveScenario on a valid scenario', () => {
  it('keeps the documented defaults in one frozen object', () => {
    expect(Object.isFrozen(SCENARIO_DEFAULTS)).toBe(true);
    expect(SCENARIO_DEFAULTS).toEqual({
      readyPath: '/health',
      readyTimeout_ms: 15_000,
      readyStatus: 200,
      warmup_ms: 3_000,
      requestTimeout_ms: 10_000,
      minConnections: 8,
      maxDefaultConnections: 1000,
      recoveryBuckets: 3,
      recoveryLatencyFactor: 1.5,
      recoveryLatencySlackMs: 50,
      repeatedAnswer: 3,
      recoveryBound_s: 10,
    });
  });

  it('applies every default and derives the phases from the timeline', () => {
    expect(resolveScenario(validScenario(), 'ok.ts')).toEqual({
      ok: true,
      scenario: {
        name: 'model-latency-spike',
        description: '',
        seed: undefined,
        system: {
          kind: 'command',
          command: ['node', 'examples/rag-service/server.ts'],
          cwd: undefined,
          env: undefined,
          url: undefined,
          ready: { path: '/health', timeout_ms: 15_000, status: 200 },
        },
        dependencies: { model: { kind: 'model', options: {} }, retrieval: { kind: 'retrieval', options: {} } },
        load: {
          // connections = ceil(40 rps × (10 s timeout + 1 s)) = 440: every arrival of a hang waits out its timeout
          executor: 'constant-arrival-rate',
          rate: 40,
          connections: 440,
          duration_ms: 60_000,
          warmup_ms: 3_000,
          timeout_ms: 10_000,
          requests: { kind: 'dataset-questions', method: 'POST', path: '/ask', field: 'question' },
        },
        faults: [
          {
            name: 'model-latency',
            on: 'model',
            at_ms: 20_000,
            for_ms: 10_000,
            fault: latencyFault,
            description: 'latency 2000±200ms downstream',
          },
        ],
        phases: [
          { name: 'baseline', kind: 'baseline', start_ms: 0, end_ms: 20_000, faults: [] },
          { name: 'model-latency', kind: 'fault', start_ms: 20_000, end_ms: 30_000, faults: ['model-latency'] },
          { name: 'recovery', kind: 'recovery', start_ms: 30_000, end_ms: 60_000, faults: [] },
        ],
        slos: [],
        score: undefined,
        recovery: { buckets: 3, latencyFactor: 1.5, latencySlackMs: 50 },
      },
    });
  });

  it('keeps given values over the defaults', () => {
    const env = { MODE: 'test' };
    const scenario = scenarioOf(
      resolveScenario(
        {
          ...fullScenario(),
          system: {
            command: ['node', 'server.ts'],
            cwd: 'examples',
            env,
            url: 'http://127.0.0.1:3000',
            ready: { path: '/ready', timeout: '30s', status: 204 },
          },
          load: {
            executor: 'constant-arrival-rate',
            rate: 40,
            connections: 12,
            duration: '1m',
            warmup: 500,
            timeout: '2s',
            requests: dataset.ask('/ask'),
          },
          recovery: { buckets: 5, latencyFactor: 2, latencySlackMs: 0 },
        },
        'full.ts',
      ),
    );
    expect(scenario.name).toBe('model-latency-spike');
    expect(scenario.description).toBe('The model slows to 2 s for 10 s.');
    expect(scenario.seed).toBe(42);
    expect(scenario.system).toEqual({
      kind: 'command',
      command: ['node', 'server.ts'],
      cwd: 'examples',
      env,
      url: 'http://127.0.0.1:3000',
      ready: { path: '/ready', timeout_ms: 30_000, status: 204 },
    });
    expect(scenario.load).toEqual({
      executor: 'constant-arrival-rate',
      rate: 40,
      connections: 12,
      duration_ms: 60_000,
      warmup_ms: 500,
      timeout_ms: 2_000,
      requests: { kind: 'dataset-questions', method: 'POST', path: '/ask', field: 'question' },
    });
    expect(scenario.score).toEqual({
      kind: 'rag-answer',
      answer: 'answer',
      citations: 'citations',
      okRecall: 1,
      fallbackTexts: [],
      repeatedAnswer: 3,
    });
    expect(scenario.recovery).toEqual({ buckets: 5, latencyFactor: 2, latencySlackMs: 0 });
  });

  it('passes an env function through untouched', () => {
    const env = (deps: Record<string, { url: string }>) => ({ OPENAI_BASE_URL: `${deps.model.url}/v1` });
    const scenario = scenarioOf(resolveScenario(withPatch({ system: { command: ['node', 'server.ts'], env } })));
    expect(scenario.system.env).toBe(env);
  });

  it('resolves an already running SUT given by url', () => {
    const scenario = scenarioOf(resolveScenario(withPatch({ system: { url: 'http://127.0.0.1:8080' } })));
    expect(scenario.system).toEqual({
      kind: 'url',
      url: 'http://127.0.0.1:8080',
      ready: { path: '/health', timeout_ms: 15_000, status: 200 },
    });
  });

  it('resolves constant-vus without connections', () => {
    const scenario = scenarioOf(
      resolveScenario(
        withPatch({
          load: { executor: 'constant-vus', vus: 16, duration: 45_000, requests: { kind: 'static', method: 'GET', path: '/health' } },
          faults: [],
        }),
      ),
    );
    expect(scenario.load).toEqual({
      executor: 'constant-vus',
      vus: 16,
      duration_ms: 45_000,
      warmup_ms: 3_000,
      timeout_ms: 10_000,
      requests: { kind: 'static', method: 'GET', path: '/health' },
    });
    expect(scenario.phases).toEqual([{ name: 'baseline', kind: 'baseline', start_ms: 0, end_ms: 45_000, faults: [] }]);
  });

  it('sums ramping stages into the duration and sizes connections for the peak rate', () => {
    const scenario = scenarioOf(
      resolveScenario(
        withPatch({
          load: {
            executor: 'ramping-arrival-rate',
            stages: [
              { target: 10, duration: '30s' },
              { target: 50, duration: '30s' },
            ],
            requests: dataset.ask('/ask'),
          },
        }),
      ),
    );
    expect(scenario.load).toEqual({
      // connections = ceil(50 rps × (10 s + 1 s)) = 550 for the peak rate; startRate defaults to 0
      executor: 'ramping-arrival-rate',
      startRate: 0,
      stages: [
        { target: 10, duration_ms: 30_000 },
        { target: 50, duration_ms: 30_000 },
      ],
      connections: 550,
      duration_ms: 60_000,
      warmup_ms: 3_000,
      timeout_ms: 10_000,
      requests: { kind: 'dataset-questions', method: 'POST', path: '/ask', field: 'question' },
    });
  });

  it('caps the default connections at max(1000, 2 × peak) and the open-file room, never under 8 nor 2 × peak', () => {
    expect(defaultConnections(20, 10_000, null)).toBe(220);
    expect(defaultConnections(20, 2_000, null)).toBe(60);
    expect(defaultConnections(200, 10_000, null)).toBe(1000);
    expect(defaultConnections(1000, 10_000, null)).toBe(2000);
    expect(defaultConnections(40, 10_000, 300)).toBe(300);
    expect(defaultConnections(0.1, 1_000, null)).toBe(8);
    expect(defaultConnections(1, 10_000, 4)).toBe(8);
    // A rate the room cannot serve keeps 2 × peak, which the load's open-file check refuses (exit 2, what to change).
    expect(defaultConnections(20_000, 10_000, 19_896)).toBe(40_000);
    const at = (room: number) =>
      scenarioOf(
        resolveScenario(
          withPatch({ load: { executor: 'constant-arrival-rate', rate: 40, duration: '60s', requests: dataset.ask('/ask') } }),
          'r.ts',
          room,
        ),
      ).load;
    expect(at(100)).toMatchObject({ connections: 100 });
  });

  it('refuses at validation (before any stack starts) a rate or connections the open-file room cannot hold', () => {
    const load = (extra: object) =>
      withPatch({ load: { executor: 'constant-arrival-rate', rate: 50_000, duration: '60s', requests: dataset.ask('/ask'), ...extra } });
    expect(problemsOf(resolveScenario(load({}), 'r.ts', 19_896))).toEqual([
      'r.ts: load.connections would be 100000 (2 × the peak rate: one connection per arrival in flight), but this process may open only 19896 more files and each connection holds one: lower load.rate to at most 9948 req/s, or raise the open-file limit before running (ulimit -n 200000)',
    ]);
    expect(problemsOf(resolveScenario(load({ rate: 10, connections: 5000 }), 'r.ts', 900))).toEqual([
      'r.ts: load.connections is 5000, but this process may open only 900 more files and each connection holds one: set load.connections to at most 900, or raise the open-file limit before running (ulimit -n 10000)',
    ]);
    expect(resolveScenario(load({}), 'r.ts', null).ok).toBe(true);
  });

  it('gives a low arrival rate the minimum of 8 connections', () => {
    const scenario = scenarioOf(
      resolveScenario(
        withPatch({
          load: { executor: 'constant-arrival-rate', rate: 0.5, duration: '60s', requests: dataset.ask('/ask') },
        }),
      ),
    );
    expect(scenario.load).toMatchObject({ rate: 0.5, connections: 8 });
  });

  it('names faults <on>-<type> and makes repeated names unique', () => {
    const scenario = scenarioOf(
      resolveScenario(
        withPatch({
          dependencies: { model: fakes.model(), retrieval: fakes.retrieval(), api: fakes.inventory() },
          faults: [
            { on: 'model', at: '1s', for: '1s', fault: toxic.latency({ latency: 100 }) },
            { on: 'model', at: '3s', for: '1s', fault: toxic.latency({ latency: 200 }) },
            { on: 'model', at: '5s', for: '1s', fault: mode.rateLimit() },
            { on: 'model', at: '7s', for: '1s', fault: mode.streamStall({ afterChunks: 2 }) },
            { on: 'retrieval', at: '9s', for: '1s', fault: toxic.down() },
            { on: 'api', at: '11s', for: '1s', fault: toxic.resetPeer() },
            { on: 'model', at: '13s', for: '1s', fault: toxic.latency({ latency: 300 }) },
          ],
        }),
      ),
    );
    expect(scenario.faults.map((f) => f.name)).toEqual([
      'model-latency',
      'model-latency-2',
      'model-rate-limit',
      'model-stream-stall',
      'retrieval-down',
      'api-reset-peer',
      'model-latency-3',
    ]);
    expect(scenario.phases.filter((p) => p.kind === 'fault').map((p) => p.name)).toEqual(scenario.faults.map((f) => f.name));
  });

  it('keeps a given fault name as written and numbers generated names around it', () => {
    const faults = (names: (string | undefined)[]) =>
      names.map((name, i) => ({
        on: 'model',
        at: `${10 * i + 1}s`,
        for: '1s',
        fault: toxic.latency({ latency: 100 }),
        ...(name ? { name } : {}),
      }));
    const names = (list: (string | undefined)[]) =>
      scenarioOf(resolveScenario(withPatch({ faults: faults(list) }))).faults.map((f) => f.name);
    expect(names([undefined, 'model-latency-2', undefined])).toEqual(['model-latency', 'model-latency-2', 'model-latency-3']);
    expect(names([undefined, 'model-latency'])).toEqual(['model-latency-2', 'model-latency']);
    expect(names(['slow-model', undefined])).toEqual(['slow-model', 'model-latency']);
  });

  it('parses SLOs per selector, including a fault name', () => {
    const scenario = scenarioOf(
      resolveScenario({
        ...fullScenario(),
        slos: {
          baseline: { p95_ms: '< 400', error_rate: '<= 0.5%' },
          'model-latency': { p95_ms: '< 2s', quality: '>= 0.9' },
          recovery: { recovery_s: '< 10' },
          all: { requests: '>= 100' },
        },
      }),
    );
    expect(scenario.slos).toEqual([
      { selector: 'baseline', metric: 'p95_ms', expression: { op: '<', value: 400, text: '< 400' } },
      { selector: 'baseline', metric: 'error_rate', expression: { op: '<=', value: 0.005, text: '<= 0.5%' } },
      { selector: 'model-latency', metric: 'p95_ms', expression: { op: '<', value: 2000, text: '< 2s' } },
      { selector: 'model-latency', metric: 'quality', expression: { op: '>=', value: 0.9, text: '>= 0.9' } },
      { selector: 'recovery', metric: 'recovery_s', expression: { op: '<', value: 10, text: '< 10' } },
      { selector: 'all', metric: 'requests', expression: { op: '>=', value: 100, text: '>= 100' } },
    ]);
  });

  it('never writes to its input', () => {
    const input = deepFreeze(structuredClone(fullScenario()));
    const before = JSON.stringify(input);
    const result = resolveScenario(input, 'frozen.ts');
    expect(result.ok).toBe(true);
    expect(JSON.stringify(input)).toBe(before);
    // The resolved scenario shares no mutable structure with the input.
    const scenario = scenarioOf(result);
    expect(scenario.dependencies).not.toBe(input.dependencies);
    expect(Object.isFrozen(scenario.load)).toBe(false);
  });

  it('does not write to an invalid input either', () => {
    const input = deepFreeze({
      ...structuredClone(fullScenario()),
      load: { executor: 'constant-arrival-rate', rate: -1, duration: '60s', requests: dataset.ask('/ask') },
    });
    expect(problemsOf(resolveScenario(input, 'frozen.ts'))).toEqual(['frozen.ts: load.rate must be a positive number (got -1)']);
  });
});

describe('resolveScenario problems', () => {
  it('reports a misspelt executor with a did-you-mean and still checks the rest of the load block', () => {
    const input = withPatch({
      load: { executor: 'constant-arival-rate', rate: 5, duraton: '10s', requests: dataset.ask('/ask') },
    });
    expect(problemsOf(resolveScenario(input, 'bad.ts'))).toEqual([
      "bad.ts: load.executor must be one of 'constant-vus', 'constant-arrival-rate', 'ramping-arrival-rate' (got 'constant-arival-rate') (did you mean 'constant-arrival-rate'?); the other load fields are checked as constant-arrival-rate's",
      'bad.ts: load.duration is required',
      "bad.ts: load.duraton is not a known field (did you mean 'duration'?)",
    ]);
    // No close name: checked as the executor its fields suggest (stages: a ramp).
    const ramp = withPatch({ load: { executor: 'ramp', stages: [{ target: 5, duration: '60s' }], vus: 3, requests: dataset.ask('/ask') } });
    expect(problemsOf(resolveScenario(ramp))).toEqual([
      "load.executor must be one of 'constant-vus', 'constant-arrival-rate', 'ramping-arrival-rate' (got 'ramp'); the other load fields are checked as ramping-arrival-rate's",
      'load.vus is not a known field',
    ]);
  });

  it('refuses a load that would send fewer than one request in its measured time', () => {
    const tiny = withPatch({ load: { executor: 'constant-arrival-rate', rate: 0.00001, duration: '60s', requests: dataset.ask('/ask') } });
    expect(problemsOf(resolveScenario(tiny))).toEqual([
      'load sends about 6.0e-4 requests in its measured time (rate × duration): fewer than 1, nothing to measure; raise the rate or the duration',
    ]);
    // A ramp: 0 → 0.02/s over 40 s and 0.02 → 0 over 20 s is 0.6 requests.
    const ramp = withPatch({
      load: {
        executor: 'ramping-arrival-rate',
        stages: [
          { target: 0.02, duration: '40s' },
          { target: 0, duration: '20s' },
        ],
        requests: dataset.ask('/ask'),
      },
    });
    expect(problemsOf(resolveScenario(ramp))).toEqual([
      'load sends about 0.6 requests in its measured time (rate × duration): fewer than 1, nothing to measure; raise the rate or the duration',
    ]);
    // One request is enough to judge (a smoke test at 0.02/s for 60 s).
    expect(
      resolveScenario(
        withPatch({ load: { executor: 'constant-arrival-rate', rate: 0.02, duration: '60s', requests: dataset.ask('/ask') } }),
      ).ok,
    ).toBe(true);
  });
  it('reports all three mistakes of a scenario file, each with its path', () => {
    const input = withPatch({
      load: { executor: 'constant-arrival-rate', rate: -1, duration: '60s', requests: dataset.ask('/ask') },
      faults: [{ on: 'api', at: '2s', for: '2s', fault: toxic.down() }],
      slos: { fault: { p95: '< 300' } },
    });
    expect(problemsOf(resolveScenario(input, 'bad.ts'))).toEqual([
      'bad.ts: load.rate must be a positive number (got -1)',
      "bad.ts: faults[0].on must name a dependency ('model', 'retrieval'), got 'api'",
      `bad.ts: slos.fault.p95 is not a known metric; known: ${KNOWN_METRICS}`,
    ]);
  });

  it('reports misspelt keys as unknown fields, at every depth', () => {
    const input = withPatch({
      nmae: 'typo',
      system: { command: ['node', 'server.ts'], readdy: { path: '/health' } },
      load: { executor: 'constant-arrival-rate', rate: 40, duraton: '60s', duration: '60s', requests: dataset.ask('/ask') },
      faults: [{ on: 'model', at: '20s', for: '10s', fault: latencyFault, nam: 'slow' }],
      recovery: { bukets: 3 },
    });
    expect(problemsOf(resolveScenario(input, 'typo.ts'))).toEqual([
      "typo.ts: load.duraton is not a known field (did you mean 'duration'?)",
      "typo.ts: faults[0].nam is not a known field (did you mean 'name'?)",
      "typo.ts: recovery.bukets is not a known field (did you mean 'buckets'?)",
      "typo.ts: nmae is not a known field (did you mean 'name'?)",
      "typo.ts: system.readdy is not a known field (did you mean 'ready'?)",
    ]);
    // Nothing close enough: no guess.
    expect(problemsOf(resolveScenario(withPatch({ colour: 'blue' }), 'c.ts'))).toEqual(['c.ts: colour is not a known field']);
  });

  it('reports missing required fields', () => {
    expect(problemsOf(resolveScenario({}, 'empty.ts'))).toEqual([
      'empty.ts: name is required',
      'empty.ts: system is required',
      'empty.ts: dependencies is required',
      'empty.ts: load is required',
    ]);
  });

  it.each([
    [
      'an SLO on an unknown metric',
      { slos: { fault: { latency_p95: '< 300' } } },
      `slos.fault.latency_p95 is not a known metric; known: ${KNOWN_METRICS}`,
    ],
    [
      'a malformed SLO expression',
      { slos: { fault: { p95_ms: 'under 300' } } },
      "slos.fault.p95_ms must be a comparison like '< 400' or '>= 0.9' (got 'under 300')",
    ],
    [
      'an SLO comparing with =',
      { slos: { fault: { p95_ms: '== 300' } } },
      "slos.fault.p95_ms must be a comparison like '< 400' or '>= 0.9' (got '== 300')",
    ],
    [
      'a % on a metric that is not a rate',
      { slos: { fault: { p95_ms: '< 5%' } } },
      "slos.fault.p95_ms uses % but p95_ms is not a rate (got '< 5%')",
    ],
    [
      'ms on a rate',
      { slos: { fault: { error_rate: '< 5ms' } } },
      "slos.fault.error_rate uses ms but error_rate is not in milliseconds (got '< 5ms')",
    ],
    [
      'seconds on a rate',
      { slos: { fault: { error_rate: '< 5s' } } },
      "slos.fault.error_rate uses s but error_rate is not a duration (got '< 5s')",
    ],
    [
      'a rate above 1',
      { slos: { fault: { error_rate: '< 5' } } },
      "slos.fault.error_rate must compare error_rate with a value in [0, 1] or 0%..100% (got '< 5')",
    ],
    ['an SLO that is not a string', { slos: { fault: { error_rate: 0.01 } } }, 'slos.fault.error_rate must be a string (got 0.01)'],
    [
      'a quality SLO without a scorer',
      { slos: { fault: { quality: '>= 0.9' } } },
      'slos.fault.quality needs a scorer: add score (for example ragAnswer()) to the scenario',
    ],
    [
      'an outcome rate SLO without a scorer',
      { slos: { fault: { stale_rate: '< 1%' } } },
      'slos.fault.stale_rate needs a scorer: add score (for example ragAnswer()) to the scenario',
    ],
    [
      'an unknown phase selector',
      { slos: { faults: { p95_ms: '< 300' } } },
      'slos.faults must be a phase selector: baseline, fault, recovery, all, or a fault name (model-latency)',
    ],
    [
      'a numbered recovery phase as selector',
      { slos: { 'recovery-1': { p95_ms: '< 300' } } },
      'slos.recovery-1 must be a phase selector: baseline, fault, recovery, all, or a fault name (model-latency)',
    ],
    [
      'recovery_s on baseline',
      { slos: { baseline: { recovery_s: '< 3' } } },
      'slos.baseline.recovery_s applies to recovery or to a fault name, not to baseline',
    ],
    [
      'a dependency metric on an undeclared dependency',
      { slos: { fault: { 'modle.calls_per_request': '< 2' } } },
      "slos.fault.modle.calls_per_request names dependency 'modle', which is not a fake of this scenario (fakes: model, retrieval)",
    ],
    [
      'a % on a dependency metric that is not a rate',
      { slos: { fault: { 'model.calls_per_request': '< 2%' } } },
      "slos.fault.model.calls_per_request uses % but calls_per_request is not a rate (got '< 2%')",
    ],
    [
      'a latency budget that is no duration',
      { latencyBudget: 'soon' },
      "latencyBudget must be a duration like '30s', '500ms', '2m' or a number of milliseconds (got \"soon\")",
    ],
    [
      'a fault on an undeclared dependency',
      { faults: [{ on: 'inventory', at: '1s', for: '1s', fault: toxic.down() }] },
      "faults[0].on must name a dependency ('model', 'retrieval'), got 'inventory'",
    ],
    [
      'a fault on an inherited property name',
      { faults: [{ on: 'toString', at: '1s', for: '1s', fault: toxic.down() }] },
      "faults[0].on must name a dependency ('model', 'retrieval'), got 'toString'",
    ],
    [
      'a fault with no dependency declared',
      { dependencies: {}, faults: [{ on: 'model', at: '1s', for: '1s', fault: toxic.down() }] },
      "faults[0].on must name a dependency (none declared), got 'model'",
    ],
    [
      'a fault window past the load duration',
      { faults: [{ on: 'model', at: '50s', for: '20s', fault: latencyFault }] },
      'faults[0] must end within load.duration (60000 ms): it ends at 70000 ms',
    ],
    ['a fault of zero length', { faults: [{ on: 'model', at: '5s', for: 0, fault: latencyFault }] }, 'faults[0].for must be longer than 0'],
    [
      'stream_stall on retrieval',
      { faults: [{ on: 'retrieval', at: '1s', for: '1s', fault: mode.streamStall({ afterChunks: 1 }) }] },
      "faults[0].fault.mode.kind 'stream_stall' does not apply to 'retrieval' (a retrieval fake); it applies to: model",
    ],
    [
      'stale on the model',
      { faults: [{ on: 'model', at: '1s', for: '1s', fault: mode.stale() }] },
      "faults[0].fault.mode.kind 'stale' does not apply to 'model' (a model fake); it applies to: retrieval, inventory",
    ],
    [
      'an unknown mode kind',
      { faults: [{ on: 'model', at: '1s', for: '1s', fault: { kind: 'mode', mode: { kind: 'constructor', rate: 1 } } }] },
      "faults[0].fault.mode.kind must be one of 'http_error', 'stream_stall', 'stream_cut', 'stream_drip', 'stream_length', 'stream_no_finish', 'stream_error', 'body_size', 'stale', 'drop_facts', 'perturb_numbers', 'wrong_citations', 'truncate', 'refuse', 'empty', 'irrelevant', 'partial', 'schema_drift', 'stale_values', 'error_body', 'tool_args_truncated', 'tool_args_invalid', 'tool_unknown', 'quota' (got 'constructor')",
    ],
    [
      'an unknown executor',
      { load: { executor: 'constant-rate', rate: 5, duration: '60s', requests: dataset.ask('/ask') } },
      "load.executor must be one of 'constant-vus', 'constant-arrival-rate', 'ramping-arrival-rate' (got 'constant-rate'); the other load fields are checked as constant-arrival-rate's",
    ],
    [
      'a missing executor',
      { load: { rate: 5, duration: '60s', requests: dataset.ask('/ask') } },
      "load.executor must be one of 'constant-vus', 'constant-arrival-rate', 'ramping-arrival-rate' (got nothing)",
    ],
    [
      'a latency toxic without latency',
      {
        faults: [
          {
            on: 'model',
            at: '1s',
            for: '1s',
            fault: { kind: 'toxic', type: 'latency', stream: 'downstream', toxicity: 1, attributes: {} },
          },
        ],
      },
      'faults[0].fault.attributes.latency is required',
    ],
    [
      'a reserved fault name',
      { faults: [{ on: 'model', at: '1s', for: '1s', fault: latencyFault, name: 'recovery-2' }] },
      "faults[0].name 'recovery-2' is reserved for phase selectors",
    ],
    [
      'a load of zero length',
      { load: { executor: 'constant-vus', vus: 1, duration: '0s', requests: dataset.ask('/ask') }, faults: [] },
      'load.duration must be longer than 0',
    ],
    [
      'an unparseable duration',
      { load: { executor: 'constant-vus', vus: 1, duration: '60 seconds', requests: dataset.ask('/ask') } },
      "load.duration must be a duration like '30s', '500ms', '2m' or a number of milliseconds (got \"60 seconds\")",
    ],
    [
      'a duration string without a unit (meant seconds, read as ms before)',
      { faults: [{ on: 'model', at: '3', for: '1s', fault: toxic.latency({ latency: 10 }) }] },
      "faults[0].at must be a duration like '30s', '500ms', '2m' or a number of milliseconds ('3' has no unit: write '3s' for seconds or '3ms' for milliseconds (a number without quotes, 3, is milliseconds))",
    ],
    [
      'a misspelt toxic option, named with the option the factory reads',
      { faults: [{ on: 'model', at: '1s', for: '1s', fault: toxic.latency({ latancy: 100 } as never) }] },
      ["faults[0].fault: toxic.latency() needs 'latency'", "faults[0].fault.latancy is not a known field (did you mean 'latency'?)"],
    ],
    [
      'a misspelt mode option, named with the option, not the wire field it fills',
      { faults: [{ on: 'model', at: '1s', for: '1s', fault: mode.streamStall({ afterChunk: 2 } as never) }] },
      [
        "faults[0].fault: mode.streamStall() needs 'afterChunks'",
        "faults[0].fault.afterChunk is not a known field (did you mean 'afterChunks'?)",
      ],
    ],
    [
      'a request timeout of 0',
      { load: { executor: 'constant-vus', vus: 1, duration: '60s', timeout: '0s', requests: dataset.ask('/ask') } },
      'load.timeout must be longer than 0 (got "0s"): a timeout of 0 would end every wait at once',
    ],
    [
      'a negative duration',
      { faults: [{ on: 'model', at: '-4s', for: '1s', fault: toxic.latency({ latency: 10 }) }] },
      "faults[0].at must be a duration like '30s', '500ms', '2m' or a number of milliseconds (a negative duration, got \"-4s\")",
    ],
    [
      'a fault written by hand without a factory',
      { faults: [{ on: 'model', at: '1s', for: '1s', fault: { type: 'explode' } }] },
      "faults[0].fault must be made with a fault factory: toxic.latency(...), toxic.down(), mode.httpError(...) and the rest of the fault catalogue (got an object without their 'kind')",
    ],
    [
      'a non-integer vus',
      { load: { executor: 'constant-vus', vus: 1.5, duration: '60s', requests: dataset.ask('/ask') } },
      'load.vus must be an integer (got 1.5)',
    ],
    [
      'a request path without /',
      { load: { executor: 'constant-vus', vus: 1, duration: '60s', requests: dataset.ask('ask') } },
      "load.requests.path must be a string starting with '/'",
    ],
    ['a URL that is not one', { system: { url: 'localhost' } }, 'system.url must be a URL'],
    ['an empty command', { system: { command: [] } }, 'system.command must be at least 1 item'],
    ['a scenario name with spaces', { name: 'my scenario' }, 'name must be letters, digits, ".", "_" or "-" (it names the results folder)'],
    [
      'an unknown fake kind',
      { dependencies: { model: { kind: 'llm', options: {} }, retrieval: fakes.retrieval() } },
      "dependencies.model.kind must be one of 'model', 'retrieval', 'inventory', 'custom' (got 'llm')",
    ],
    ['a seed out of range', { seed: -1 }, 'seed must be >= 0 (got -1)'],
    [
      'a toxicity above 1',
      { faults: [{ on: 'model', at: '1s', for: '1s', fault: toxic.latency({ latency: 1, toxicity: 2 }) }] },
      'faults[0].fault.toxicity must be <= 1 (got 2)',
    ],
    ['a recovery factor below 1', { recovery: { latencyFactor: 0.5 } }, 'recovery.latencyFactor must be >= 1 (got 0.5)'],
  ])('reports %s', (_label, patch, problem: string | string[]) => {
    expect(problemsOf(resolveScenario(withPatch(patch), 'f.ts'))).toEqual([problem].flat().map((p) => `f.ts: ${p}`));
  });

  it('resolves a latency budget to ms and a <dependency>.<metric> SLO with its dependency', () => {
    const scenario = scenarioOf(
      resolveScenario(
        withPatch({ latencyBudget: '2.5s', slos: { fault: { 'model.calls_per_request': '< 2', error_rate: '< 1%' } } }),
        'f.ts',
      ),
    );
    expect(scenario.latencyBudget_ms).toBe(2500);
    expect(scenario.slos).toEqual([
      {
        selector: 'fault',
        metric: 'model.calls_per_request',
        expression: { op: '<', value: 2, text: '< 2' },
        dependency: { name: 'model', metric: 'calls_per_request' },
      },
      { selector: 'fault', metric: 'error_rate', expression: { op: '<', value: 0.01, text: '< 1%' } },
    ]);
  });

  it('reports a duplicate fault name once, at the second fault', () => {
    const faults = [
      { on: 'model', at: '1s', for: '1s', fault: latencyFault, name: 'slow' },
      { on: 'model', at: '5s', for: '1s', fault: latencyFault, name: 'slow' },
    ];
    expect(problemsOf(resolveScenario(withPatch({ faults }), 'f.ts'))).toEqual(["f.ts: faults[1].name 'slow' is used by another fault"]);
  });

  it('reports ramping stages that disagree with a given duration', () => {
    const load = {
      executor: 'ramping-arrival-rate',
      stages: [
        { target: 10, duration: '30s' },
        { target: 20, duration: '30s' },
      ],
      duration: '50s',
      requests: dataset.ask('/ask'),
    };
    expect(problemsOf(resolveScenario(withPatch({ load, faults: [] }), 'f.ts'))).toEqual([
      'f.ts: load.duration must equal the sum of load.stages durations (60000 ms) or be left out',
    ]);
  });

  it('checks fault windows against the sum of ramping stages', () => {
    const load = {
      executor: 'ramping-arrival-rate',
      stages: [
        { target: 10, duration: '10s' },
        { target: 20, duration: '10s' },
      ],
      requests: dataset.ask('/ask'),
    };
    expect(problemsOf(resolveScenario(withPatch({ load }), 'f.ts'))).toEqual([
      'f.ts: faults[0] must end within load.duration (20000 ms): it ends at 30000 ms',
    ]);
  });

  it('reports, rather than throws on, objects without a prototype where names are derived', () => {
    const bare = () => Object.create(null) as object;
    const input = withPatch({
      faults: [
        { on: bare(), at: '1s', for: '1s', fault: toxic.down() },
        { on: 'model', at: '3s', for: '1s', fault: { kind: 'mode', mode: { kind: bare(), rate: 1 } } },
      ],
      slos: { fault: { p95_ms: '< 2s' } },
    });
    expect(problemsOf(resolveScenario(input, 'f.ts'))).toEqual([
      'f.ts: faults[0].on must be a string (got an object)',
      "f.ts: faults[1].fault.mode.kind must be one of 'http_error', 'stream_stall', 'stream_cut', 'stream_drip', 'stream_length', 'stream_no_finish', 'stream_error', 'body_size', 'stale', 'drop_facts', 'perturb_numbers', 'wrong_citations', 'truncate', 'refuse', 'empty', 'irrelevant', 'partial', 'schema_drift', 'stale_values', 'error_body', 'tool_args_truncated', 'tool_args_invalid', 'tool_unknown', 'quota' (got an object)",
    ]);
  });

  it('quotes unknown keys that are not plain names', () => {
    const input = withPatch({ '': 1, 'time out': '5s' });
    expect(problemsOf(resolveScenario(input, 'f.ts'))).toEqual([
      'f.ts: [""] is not a known field',
      'f.ts: ["time out"] is not a known field',
    ]);
  });

  it('writes no prefix when no file is given', () => {
    expect(problemsOf(resolveScenario(withPatch({ seed: 1.5 })))).toEqual(['seed must be an integer (got 1.5)']);
  });

  it.each([
    [undefined, 'nothing'],
    [null, 'null'],
    [[], 'an array'],
    [42, 'number'],
    ['model-latency-spike', 'string'],
    [() => validScenario(), 'function'],
  ])('refuses a default export of %s', (input, got) => {
    expect(resolveScenario(input, 'scenarios/x.ts')).toEqual({
      ok: false,
      problems: [`scenarios/x.ts: the default export must be a scenario object (use export default defineScenario({...})), got ${got}`],
    });
  });
});
