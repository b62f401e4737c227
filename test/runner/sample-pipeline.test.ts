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
import type { StreamSample } from '../../harness/load/stream-summary.ts';

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

function pipelineFor(evidence: (key: number) => SampleEvidence | null = () => null) {
  const s = scenario();
  const lines: unknown[] = [];
  const analysis = createRunAnalysis(s);
  const pipeline = createSamplePipeline({
    scenario: s,
    sequence: { truth: () => undefined },
    analysis,
    scorer: createRunScorer(s.score as never),
    // Releases each sample at once, with the evidence the test gives for its key.
    join: { push: (joined, finish) => finish(evidence(joined.key), {}) },
    writer: { write: (line) => lines.push(line) },
  });
  return { pipeline, lines, analysis };
}

describe('sample pipeline', () => {
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
        phase: 'recovery',
        outcome: 'ok',
        quality: 1,
      },
    ]);
    expect([...pipeline.faultWindows]).toEqual([['model-latency', { samples: 2, failed: 1 }]]);
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
});
