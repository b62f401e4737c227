/** Validation rules that keep an SLO from passing silently, and problems inside `system` with their own paths. */
import { describe, expect, it } from 'vitest';
import { resolveScenario, type ResolveResult } from '../../harness/scenario/index.ts';
import { validScenario } from './scenario-fixture.ts';

const problemsOf = (r: ResolveResult) => (r.ok ? [] : r.problems);
const withPatch = (patch: Record<string, unknown>) => ({ ...validScenario(), ...patch });

describe('resolveScenario rules against silent passes', () => {
  it('accepts SLOs on the streaming metrics, and checks their units', () => {
    const streamed = { ...validScenario().load, requests: { ...validScenario().load.requests, stream: true } };
    expect(
      problemsOf(
        resolveScenario(
          withPatch({ load: streamed, slos: { fault: { ttft_ms: '< 500', itl_ms: '< 1s', stream_abort_rate: '< 1%' } } }),
          's.ts',
        ),
      ),
    ).toEqual([]);
    expect(
      problemsOf(resolveScenario(withPatch({ load: streamed, slos: { fault: { ttft_ms: '< 5%', stream_abort_rate: '< 2s' } } }), 's.ts')),
    ).toEqual([
      "s.ts: slos.fault.ttft_ms uses % but ttft_ms is not a rate (got '< 5%')",
      "s.ts: slos.fault.stream_abort_rate uses s but stream_abort_rate is not a duration (got '< 2s')",
    ]);
  });

  it('validates the sse rule of a request source', () => {
    const load = (sse: unknown) => ({
      ...validScenario().load,
      requests: { kind: 'dataset-questions', method: 'POST', path: '/ask', field: 'question', stream: true, sse },
    });
    expect(problemsOf(resolveScenario(withPatch({ load: load({ token: ['delta'], doneData: ['[DONE]'] }) }), 's.ts'))).toEqual([]);
    expect(problemsOf(resolveScenario(withPatch({ load: load({ token: [], finish: ['x'] }) }), 's.ts')).length).toBeGreaterThan(0);
  });

  it('refuses a selector that matches no phase of the scenario', () => {
    const noFaults = withPatch({ faults: [], slos: { fault: { error_rate: '< 1%' }, recovery: { recovery_s: '< 5' } } });
    expect(problemsOf(resolveScenario(noFaults, 's.ts'))).toEqual([
      "s.ts: slos.fault.error_rate applies to no phase: this scenario's phases are baseline (baseline)",
      "s.ts: slos.recovery.recovery_s applies to no phase: this scenario's phases are baseline (baseline)",
    ]);
    const toTheEnd = withPatch({
      faults: [{ on: 'model', at: '30s', for: '30s', fault: { kind: 'down' } }],
      slos: { recovery: { p95_ms: '< 400' } },
    });
    expect(problemsOf(resolveScenario(toTheEnd, 's.ts'))).toEqual([
      "s.ts: slos.recovery.p95_ms applies to no phase: this scenario's phases are baseline (baseline), model-down (fault)",
    ]);
  });

  it('reports problems inside system at their own path', () => {
    expect(problemsOf(resolveScenario(withPatch({ system: { command: ['node', 'a.ts'], ready: { timeout: 'soon' } } }), 's.ts'))).toEqual([
      "s.ts: system.ready.timeout must be a duration like '30s', '500ms', '2m' or a number of milliseconds (got \"soon\")",
    ]);
    expect(problemsOf(resolveScenario(withPatch({ system: { command: 'node a.ts' } }), 's.ts'))).toEqual([
      "s.ts: system.command must be an array (got 'node a.ts')",
    ]);
    expect(problemsOf(resolveScenario(withPatch({ system: {} }), 's.ts'))).toEqual([
      's.ts: system must have either command (to start the SUT) or url (an SUT already running)',
    ]);
  });
});

describe('resolveScenario: options a user can get wrong without noticing', () => {
  it('reports a typo in scorer options instead of falling back to the default', async () => {
    const { ragAnswer } = await import('../../harness/scenario/index.ts');
    const score = ragAnswer({ answr: 'text' } as never);
    expect(problemsOf(resolveScenario(withPatch({ score }), 's.ts'))).toEqual([
      "s.ts: score.answr is not a known field (did you mean 'answer'?)",
    ]);
  });

  it('refuses streaming SLOs and sse rules on a request source that does not stream', async () => {
    const { dataset } = await import('../../harness/scenario/index.ts');
    const base = validScenario();
    const notStreamed = withPatch({ load: { ...base.load, requests: dataset.ask('/ask') }, slos: { baseline: { ttft_ms: '< 500' } } });
    expect(problemsOf(resolveScenario(notStreamed, 's.ts'))).toEqual([
      's.ts: slos.baseline.ttft_ms needs streamed answers: use dataset.ask(path, { stream: true })',
    ]);
    const sseOnly = withPatch({ load: { ...base.load, requests: dataset.ask('/ask', { sse: { token: ['delta'] } }) } });
    expect(problemsOf(resolveScenario(sseOnly, 's.ts'))).toEqual([
      's.ts: load.requests.sse applies only to streamed answers: add stream: true',
    ]);
    const yes = withPatch({ load: { ...base.load, requests: dataset.ask('/ask', { stream: 'yes' as never }) } });
    expect(problemsOf(resolveScenario(yes, 's.ts'))).toEqual(["s.ts: load.requests.stream must be a boolean (got 'yes')"]);
  });
});

describe('fault factories keep options they did not read, so validation reports typos', () => {
  it('reports a misspelt toxic or mode option instead of running the default', async () => {
    const { toxic, mode } = await import('../../harness/scenario/index.ts');
    const faults = [
      { on: 'model', at: '1s', for: '1s', fault: toxic.latency({ latency: 1000, jiter: 100 } as never) },
      { on: 'model', at: '3s', for: '1s', fault: mode.rateLimit({ rat: 0.3, retryAfter: 1 } as never) },
    ];
    expect(problemsOf(resolveScenario(withPatch({ faults }), 's.ts'))).toEqual([
      "s.ts: faults[0].fault.jiter is not a known field (did you mean 'jitter'?)",
      "s.ts: faults[1].fault.rat is not a known field (did you mean 'rate'?)",
    ]);
  });

  it('refuses a value that is not an options object, naming the factory', async () => {
    const { toxic, mode } = await import('../../harness/scenario/index.ts');
    expect(() => toxic.latency(1000 as never)).toThrow(
      new TypeError('toxic.latency() takes an options object such as { ... } (see the fault catalogue in README.md), got 1000'),
    );
    expect(() => mode.httpError('503' as never)).toThrow(
      new TypeError('mode.httpError() takes an options object such as { ... } (see the fault catalogue in README.md), got "503"'),
    );
    expect(toxic.resetPeer()).toMatchObject({ kind: 'toxic', type: 'reset_peer' });
  });
});
