/**
 * The per-sample pipeline, fed synthetic samples: phase assignment, fault windows, scoring (with the stream-abort
 * rule), the line written to samples.ndjson, and the examples kept. No process, no port.
 */
import { describe, expect, it } from 'vitest';
import { createRunAnalysis } from '../../harness/metrics/run-analysis.ts';
import { customScorer, fakes, requests, resolveScenario, toxic, type ResolvedScenario } from '../../harness/scenario/index.ts';
import type { SampleEvidence } from '../../harness/scoring/answer-checks.ts';
import { createRunScorer } from '../../harness/scoring/custom-scorer.ts';
import type { DrivenSample } from '../../harness/runner/drive-load.ts';
import { createSamplePipeline, EXAMPLE_LIMITS } from '../../harness/runner/sample-pipeline.ts';
import type { LoggedCall, SampleCalls } from '../../harness/runner/evidence-join.ts';
import type { StreamSample } from '../../harness/load/stream-summary.ts';
import type { SampleRecord } from '../../harness/results/result-types.ts';

/** 10 s at 10 req/s; a model latency fault from 3 s to 6 s; answers containing "good" are ok, others wrong. */
function scenario(): ResolvedScenario {
  const result = resolveScenario(
    {
      name: 'pipeline',
      system: { url: 'http://127.0.0.1:8080' },
      dependencies: { model: fakes.model() },
      load: { executor: 'constant-arrival-rate', rate: 10, duration: '10s', requests: requests.static({ path: '/ask' }) },
      faults: [{ on: 'model', at: '3s', for: '3s', fault: toxic.latency({ latency: 2000 }) }],
      score: customScorer((s) =>
        s.body.includes('good') ? { outcome: 'ok', quality: 1 } : { outcome: 'wrong', quality: 0, reasons: ['not good'] },
      ),
    },
    'pipeline.ts',
  );
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.scenario;
}

function sample(id: number, start_ms: number, o: Partial<DrivenSample> = {}): DrivenSample {
  return {
    id,
    start_ms,
    sent_ms: start_ms,
    end_ms: start_ms + 40,
    latency_ms: 40,
    ttfb_ms: 10,
    status: 200,
    error_kind: null,
    bytes: 120,
    body: 'a good answer',
    stream: null,
    meta: { key: id, request: { path: '/ask' } },
    ...o,
  };
}

const aborted: StreamSample = {
  ttft_ms: 12,
  itl_ms: 5,
  gaps_ms: [5, 5],
  tokens: 3,
  events: 3,
  completed: false,
  aborted: true,
  abort_reason: 'no_completion',
  text: 'a good start',
  final: null,
  error: null,
};

function pipelineFor(
  evidence: (key: number) => SampleEvidence | null = () => null,
  calls: (key: number) => SampleCalls = () => ({}),
  s: ResolvedScenario = scenario(),
) {
  const lines: unknown[] = [];
  const analysis = createRunAnalysis(s);
  const pipeline = createSamplePipeline({
    scenario: s,
    sequence: { truth: () => undefined },
    analysis,
    scorer: createRunScorer(s.score as never),
    // Releases each sample at once, with the evidence the test gives for its key.
    join: { push: (joined, finish) => finish(evidence(joined.key), calls(joined.key)) },
    writer: { write: (line) => lines.push(line) },
  });
  return { pipeline, lines, analysis };
}

describe('sample pipeline', () => {
  it('counts an arrival due in the fault window but sent only after it ended as shielded from the fault', () => {
    const { pipeline } = pipelineFor();
    // The window is 3000..6000 ms: one arrival sent on time, one that waited past the end, one sent just before it.
    pipeline.onSample(sample(1, 3500));
    pipeline.onSample(sample(2, 5500, { sent_ms: 6000, end_ms: 6040, latency_ms: 540 }));
    pipeline.onSample(sample(3, 5600, { sent_ms: 5999, end_ms: 6040, latency_ms: 440 }));
    expect(pipeline.faultWindows.get('model-latency')).toEqual({ samples: 3, failed: 0, shielded: 1 });
  });

  it('writes one line per sample with its phase, score and dependency time, and counts the fault window it started in', () => {
    const calls = { model: { calls: 1, errors: 0, ms: 31.5 } };
    const { pipeline, lines } = pipelineFor((key) =>
      key === 2 ? { calls, retrieval_calls: 0, returned_ids: [], model_cited_ids: [] } : null,
    );
    pipeline.onSample(sample(1, 1000));
    pipeline.onSample(sample(2, 3500, { body: 'a bad answer' }));
    pipeline.onSample(sample(3, 5999, { error_kind: 'timeout', status: null, body: '' }));
    pipeline.onSample(sample(4, 6000));
    expect(lines).toEqual([
      {
        id: 1,
        start_ms: 1000,
        end_ms: 1040,
        latency_ms: 40,
        ttfb_ms: 10,
        status: 200,
        error_kind: null,
        bytes: 120,
        dependency_calls: { model: 0 },
        phase: 'baseline',
        outcome: 'ok',
        quality: 1,
      },
      {
        id: 2,
        start_ms: 3500,
        end_ms: 3540,
        latency_ms: 40,
        ttfb_ms: 10,
        status: 200,
        error_kind: null,
        bytes: 120,
        dependency_calls: { model: 0 },
        phase: 'model-latency',
        dependency_ms: { model: 31.5 },
        outcome: 'wrong',
        quality: 0,
        reasons: ['not good'],
      },
      {
        id: 3,
        start_ms: 5999,
        end_ms: 6039,
        latency_ms: 40,
        ttfb_ms: 10,
        status: null,
        error_kind: 'timeout',
        bytes: 120,
        dependency_calls: { model: 0 },
        phase: 'model-latency',
        outcome: 'timeout',
        quality: 0,
        reasons: ['request timed out'],
      },
      {
        id: 4,
        start_ms: 6000,
        end_ms: 6040,
        latency_ms: 40,
        ttfb_ms: 10,
        status: 200,
        error_kind: null,
        bytes: 120,
        dependency_calls: { model: 0 },
        phase: 'recovery',
        outcome: 'ok',
        quality: 1,
      },
    ]);
    expect([...pipeline.faultWindows]).toEqual([['model-latency', { samples: 2, failed: 1, shielded: 0 }]]);
    expect(pipeline.examples.map((e) => [e.id, e.phase, e.outcome, e.reasons])).toEqual([
      [2, 'model-latency', 'wrong', ['not good']],
      [3, 'model-latency', 'timeout', ['request timed out']],
    ]);
  });

  it('scores a stream the service aborted as partial at best, says why, and keeps its gaps out of the file', () => {
    const { pipeline, lines, analysis } = pipelineFor();
    pipeline.onSample(sample(1, 100, { stream: aborted, body: 'data: {"token":"a good start"}\n\n' }));
    expect(lines).toEqual([
      {
        id: 1,
        start_ms: 100,
        end_ms: 140,
        latency_ms: 40,
        ttfb_ms: 10,
        status: 200,
        error_kind: null,
        bytes: 120,
        dependency_calls: { model: 0 },
        phase: 'baseline',
        ttft_ms: 12,
        itl_ms: 5,
        tokens: 3,
        stream_aborted: true,
        stream_abort_reason: 'no_completion',
        outcome: 'partial',
        quality: 1,
        reasons: ['stream aborted (no completion) after 3 tokens'],
      },
    ]);
    expect(pipeline.examples).toHaveLength(1);
    expect(analysis.finish(10_000).whole.requests).toBe(1);
  });

  it(`keeps at most ${EXAMPLE_LIMITS.per_phase} examples per phase and ${EXAMPLE_LIMITS.total} in all, responses cut to ${EXAMPLE_LIMITS.response_chars} characters`, () => {
    const { pipeline } = pipelineFor();
    for (let i = 1; i <= 15; i++) pipeline.onSample(sample(i, 100 + i, { body: 'x'.repeat(3000) }));
    expect(pipeline.examples.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(pipeline.examples[0].response).toHaveLength(EXAMPLE_LIMITS.response_chars);
    expect(EXAMPLE_LIMITS).toEqual({ total: 50, per_phase: 10, response_chars: 2000 });
  });

  /** A model call at `t_ms` as the join hands it over. */
  const modelCall = (t_ms: number, evidence: Partial<LoggedCall['evidence']> = {}): LoggedCall => ({
    entry: { t_ms, duration_ms: 20, status: 200, path: '/v1/chat/completions', trace_id: null },
    evidence: { status: 200, mode: null, ...evidence },
  });

  it('marks an answer whose model call ended with finish_reason "length" truncated, over the scorer\'s ok, unless the service announced the cut', () => {
    const { pipeline, lines, analysis } = pipelineFor(
      () => null,
      (key) => ({ model: [modelCall(3500 + key, key === 3 ? {} : { finish_reason: 'length' })] }),
    );
    pipeline.onSample(sample(1, 3500, { body: '{"answer":"a good answer"}' }));
    pipeline.onSample(sample(2, 3510, { body: '{"answer":"a good answer","truncated":true}' }));
    pipeline.onSample(sample(3, 3520, { body: '{"answer":"a good answer"}' }));
    pipeline.onSample(sample(4, 3530, { status: 503, body: '{"error":"cut"}' }));
    expect(lines.map((l) => [(l as SampleRecord).outcome, (l as SampleRecord).dependency_calls, (l as SampleRecord).reasons])).toEqual([
      ['truncated', { model: 1 }, ['the model answer was cut short and the service presented it as complete']],
      ['ok', { model: 1 }, undefined],
      ['ok', { model: 1 }, undefined],
      ['http_error', { model: 1 }, ['HTTP 503']],
    ]);
    const { score, phases } = analysis.finish(10_000);
    expect(phases.find((p) => p.name === 'model-latency')?.metrics.truncated_rate).toBe(0.25);
    // 2 good, 1 loud (the honest 503), 1 quiet (the silent truncation): 100 × (2 + ½) / 4.
    expect(score.phases).toEqual([
      { phase: 'model-latency', budget_ms: 10_000, requests: 4, classes: { good: 2, loud: 1, late: 0, quiet: 1 }, value: 62.5 },
    ]);
    expect(score.value).toBe(62.5);
  });

  it('counts a request in the fault its time overlapped, not in the baseline it started in', () => {
    const { pipeline, lines } = pipelineFor();
    pipeline.onSample(sample(1, 2990, { end_ms: 3200, latency_ms: 210 }));
    expect((lines[0] as SampleRecord).phase).toBe('model-latency');
  });

  it("counts each request's model calls into the phase's call metrics", () => {
    const { pipeline } = pipelineFor(
      () => null,
      (key) => ({ model: key === 1 ? [modelCall(1001)] : [modelCall(3501), modelCall(3502), modelCall(3503)] }),
    );
    pipeline.onSample(sample(1, 1000));
    pipeline.onSample(sample(2, 3500));
    const calls = pipeline.dependencyCalls({ model: { trace_id: 0, sample_id_header: 0, question_text: 4, unmatched: 1 } });
    expect(calls.model.matched).toEqual({ trace_id: 0, sample_id_header: 0, question_text: 4, unmatched: 1 });
    expect(
      calls.model.phases.map((p) => [p.phase, p.requests, p.calls, p.calls_per_request, p.retry_amplification, p.duplicate_call_rate]),
    ).toEqual([
      ['baseline', 1, 1, 1, 1, 0],
      ['model-latency', 1, 3, 3, 3, 1],
      ['recovery', 0, 0, null, null, null],
    ]);
  });
});
