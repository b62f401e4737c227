import { describe, expect, it } from 'vitest';
import { attributeLatency, createDependencyAttribution } from '../../harness/metrics/dependency-attribution.ts';
import { createEvidenceJoin, sampleKeyOf } from '../../harness/runner/evidence-join.ts';
import type { FakeLogEntry } from '../../harness/runner/fakes-process.ts';
import type { SampleEvidence } from '../../harness/scoring/answer-checks.ts';

const call = (dependency: string, arrival_epoch_ms: number, duration_ms: number, status = 200) => ({
  dependency,
  arrival_epoch_ms,
  duration_ms,
  status,
});

describe('attributeLatency', () => {
  it('charges a response delayed on its way back to the dependency it came from', () => {
    // Sample 1000..1400. Retrieval served in 2 ms at 1002, the model called at 1010, served in 5 ms, answer
    // delayed 300 ms by a latency toxic, SUT answers at 1400.
    expect(attributeLatency(1000, 1400, [call('retrieval', 1002, 2), call('model', 1010, 5)])).toEqual({ retrieval: 8, model: 390 });
  });

  it('charges the retrieval delay to retrieval when the model is called only after it', () => {
    expect(attributeLatency(0, 520, [call('retrieval', 1, 2), call('model', 503, 10)])).toEqual({ retrieval: 502, model: 17 });
  });

  it('gives parallel calls the time the fakes were busy with them, and shares the rest', () => {
    // retrieval 10..12 busy, api 10..110 busy; model from 150; end 200.
    // [10,12) both busy: 1 each; [12,110) only api busy: 98; [110,150) both waiting: 20 each; [150,200) model.
    expect(attributeLatency(0, 200, [call('retrieval', 10, 2), call('api', 10, 100), call('model', 150, 30)])).toEqual({
      retrieval: 21,
      api: 119,
      model: 50,
    });
  });

  it('charges retries to the same dependency and clips calls that outlive the sample', () => {
    expect(attributeLatency(0, 100, [call('model', 5, 20, 503), call('model', 40, 500)])).toEqual({ model: 95 });
  });
});

describe('dependency attribution per phase', () => {
  it("lines the fakes' calls up per phase and sums per-request shares of the SUT latency", () => {
    const a = createDependencyAttribution(['baseline', 'fault'], ['model', 'retrieval']);
    a.add(call('model', 0, 10), 'baseline');
    a.add(call('model', 0, 30, 500), 'fault');
    a.add(call('model', 0, 30), 'fault');
    a.add(call('retrieval', 0, 5), null); // warm-up: not in any phase
    a.addSample('fault', 400, { model: 300, retrieval: 20 });
    a.addSample('fault', 600, { model: 500 });
    const [baseline, fault] = a.finish();
    // HDR histograms keep 3 significant digits: 10 ms reads back as the top of its bucket.
    expect(baseline.dependencies.model).toEqual({ calls: 1, errors: 0, error_rate: 0, p50_ms: 10.007, p95_ms: 10.007 });
    expect(baseline.dependencies.retrieval).toEqual({ calls: 0, errors: 0, error_rate: null, p50_ms: null, p95_ms: null });
    expect(baseline.share_of_sut_latency).toEqual({});
    expect(fault.dependencies.model).toMatchObject({ calls: 2, errors: 1, error_rate: 0.5 });
    expect(fault).toMatchObject({
      traced_samples: 2,
      traced_mean_ms: 500,
      share_of_sut_latency: { model: 0.8, retrieval: 0.02, other: 0.18 },
    });
  });
});

describe('evidence join', () => {
  const seed = 7;
  const trace = (key: number) => `00000007${key.toString(16).padStart(24, '0')}`;
  it("reads trace keys of this run's traceparent and of x-shakedown-sample-id, nothing else", () => {
    expect(sampleKeyOf(trace(42), seed)).toBe(42);
    expect(sampleKeyOf('00000008000000000000000000000042', seed)).toBeUndefined();
    expect(sampleKeyOf('17', seed)).toBe(17);
    expect(sampleKeyOf(null, seed)).toBeUndefined();
  });

  it('holds samples until their calls are read, hands them over with their evidence, in push order', async () => {
    const t0Epoch = 1_000_000;
    const entry = (seq: number, key: number, path: string, t: number, d: number, extra: Partial<FakeLogEntry> = {}): FakeLogEntry => ({
      seq,
      t_ms: t0Epoch + t,
      method: 'POST',
      path,
      status: 200,
      duration_ms: d,
      mode: null,
      trace_id: trace(key),
      ...extra,
    });
    const logs: Record<string, FakeLogEntry[]> = {
      retrieval: [
        entry(1, 1, '/search', 1, 2, { returned_ids: ['doc-001', 'doc-002'] }),
        entry(2, 1, '/search', 4, 1, { returned_ids: ['doc-002', 'doc-003'] }),
      ],
      model: [entry(1, 1, '/v1/chat/completions', 10, 5, { cited_ids: ['doc-001'] })],
    };
    const released: Array<[string, SampleEvidence | null]> = [];
    const join = createEvidenceJoin<string>({
      dependencies: { retrieval: { kind: 'retrieval' }, model: { kind: 'model' } },
      seed,
      phases: ['baseline'],
      phaseOf: () => 'baseline',
      readLog: async (name, since) => ({ entries: logs[name].filter((e) => e.seq > since), dropped: 0 }),
      release: (item, evidence) => released.push([item, evidence]),
      pollMs: 60_000,
    });
    join.start(performance.now(), t0Epoch);
    join.push({ key: 1, start_ms: 0, end_ms: 100, phase: 'baseline', latency_ms: 100 }, 'first');
    join.push({ key: 2, start_ms: 0, end_ms: 100, phase: 'baseline', latency_ms: 100 }, 'untraced');
    expect(released).toEqual([]);
    await join.drain();
    expect(released).toEqual([
      [
        'first',
        {
          // retrieval: 1..4 (until its retry arrived), 4..10 (until the model call); the model 10..100.
          calls: { retrieval: { calls: 2, errors: 0, ms: 9 }, model: { calls: 1, errors: 0, ms: 90 } },
          retrieval_calls: 2,
          returned_ids: ['doc-001', 'doc-002', 'doc-003'],
          model_cited_ids: ['doc-001'],
        },
      ],
      ['untraced', null],
    ]);
    expect(join.attribution()[0]).toMatchObject({ traced_samples: 1, share_of_sut_latency: { retrieval: 0.09, model: 0.9, other: 0.01 } });
  });
});
