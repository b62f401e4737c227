/**
 * What happens to each measured sample, in order: its phase (by intended start), the fault windows it fell in,
 * a wait for the fakes' log entries it caused (the evidence join), its score, the analysis, one line in
 * samples.ndjson and, when it went wrong, a place among the examples.
 *
 * Shapes: `createSamplePipeline(options)` → `{ onSample(sample), examples, faultWindows }`. The examples keep
 * at most EXAMPLE_LIMITS.total bad samples, EXAMPLE_LIMITS.per_phase per phase, each response cut to
 * EXAMPLE_LIMITS.response_chars characters.
 */
import type { RunAnalysis } from '../metrics/run-analysis.ts';
import type { RunResult, SampleRecord } from '../results/result-types.ts';
import type { ResolvedScenario } from '../scenario/index.ts';
import type { SampleEvidence } from '../scoring/answer-checks.ts';
import type { RunScorer } from '../scoring/custom-scorer.ts';
import { withStreamAbort } from '../scoring/stream-outcome.ts';
import type { DrivenSample } from './drive-load.ts';
import type { EvidenceJoin } from './evidence-join.ts';
import type { RequestSequence } from './request-source.ts';
import { streamedBody } from './streamed-answer.ts';
import type { SampleWriter } from '../results/write-results.ts';

export const EXAMPLE_LIMITS = Object.freeze({ total: 50, per_phase: 10, response_chars: 2000 });

/** Samples that started inside a fault's window, and how many of them failed at the transport (error_kind set). */
export interface FaultWindowCount {
  samples: number;
  failed: number;
}

export interface SamplePipelineOptions {
  scenario: Pick<ResolvedScenario, 'faults' | 'score'>;
  sequence: Pick<RequestSequence, 'truth'>;
  analysis: Pick<RunAnalysis, 'phaseOf' | 'add'>;
  scorer: RunScorer | undefined;
  /** Hands each sample back with its evidence once the fakes' logs have been read. */
  join: Pick<EvidenceJoin<(evidence: SampleEvidence | null) => void>, 'push'>;
  writer: Pick<SampleWriter, 'write'>;
}

export interface SamplePipeline {
  onSample(sample: DrivenSample): void;
  /** Filled as samples are released by the join. */
  readonly examples: RunResult['examples'];
  readonly faultWindows: ReadonlyMap<string, FaultWindowCount>;
}

function recordOf(s: DrivenSample, phase: string): SampleRecord {
  return {
    id: s.id,
    start_ms: s.start_ms,
    end_ms: s.end_ms,
    latency_ms: s.latency_ms,
    ttfb_ms: s.ttfb_ms,
    status: s.status,
    error_kind: s.error_kind,
    bytes: s.bytes,
    phase,
    ...(s.meta.question_id ? { question_id: s.meta.question_id, category: s.meta.category } : {}),
    ...(s.stream
      ? {
          ttft_ms: s.stream.ttft_ms,
          itl_ms: s.stream.itl_ms,
          tokens: s.stream.tokens,
          stream_aborted: s.stream.aborted,
          stream_abort_reason: s.stream.abort_reason,
          itl_gaps_ms: s.stream.gaps_ms,
        }
      : {}),
  };
}

export function createSamplePipeline(o: SamplePipelineOptions): SamplePipeline {
  const { scenario, scorer } = o;
  const examples: RunResult['examples'] = [];
  const perPhase = new Map<string, number>();
  const faultWindows = new Map<string, FaultWindowCount>(scenario.faults.map((f) => [f.name, { samples: 0, failed: 0 }]));
  const answerField = scenario.score?.kind === 'rag-answer' ? scenario.score.answer : 'answer';

  const finish = (s: DrivenSample, record: SampleRecord, evidence: SampleEvidence | null) => {
    if (evidence && Object.keys(evidence.calls).length)
      record.dependency_ms = Object.fromEntries(Object.entries(evidence.calls).map(([d, c]) => [d, c.ms]));
    if (scorer) {
      const input = {
        status: s.status,
        error_kind: s.error_kind,
        body: s.stream ? streamedBody(s.stream, answerField) : s.body,
        latency_ms: s.latency_ms,
        request: s.meta.request,
        question_id: s.meta.question_id,
        category: s.meta.category,
      };
      const scored = scorer.score(input, s.meta.question_id ? o.sequence.truth(s.meta.question_id) : undefined, evidence);
      if (scored) {
        const final = withStreamAbort(scored, s.stream);
        record.outcome = final.outcome;
        record.quality = final.quality;
        if (final.reasons.length) record.reasons = final.reasons;
      }
    }
    o.analysis.add(record);
    const { itl_gaps_ms: _gaps, ...line } = record; // the gaps feed the ITL histograms only
    o.writer.write(line);
    const bad = s.error_kind !== null || (record.outcome !== undefined && record.outcome !== 'ok') || record.stream_aborted === true;
    const inPhase = perPhase.get(record.phase) ?? 0;
    if (bad && examples.length < EXAMPLE_LIMITS.total && inPhase < EXAMPLE_LIMITS.per_phase) {
      perPhase.set(record.phase, inPhase + 1);
      examples.push({
        id: s.id,
        phase: record.phase,
        outcome: record.outcome ?? null,
        error_kind: s.error_kind,
        status: s.status,
        latency_ms: s.latency_ms,
        request: s.meta.request,
        response: s.body.slice(0, EXAMPLE_LIMITS.response_chars),
        reasons: record.reasons ?? [],
      });
    }
  };

  return {
    examples,
    faultWindows,
    onSample(s) {
      const record = recordOf(s, o.analysis.phaseOf(s.start_ms));
      const joined = { key: s.meta.key, start_ms: s.start_ms, end_ms: s.end_ms, phase: record.phase, latency_ms: s.latency_ms };
      o.join.push(joined, (evidence) => finish(s, record, evidence));
      for (const f of scenario.faults) {
        if (s.start_ms >= f.at_ms && s.start_ms < f.at_ms + f.for_ms) {
          const c = faultWindows.get(f.name)!;
          c.samples++;
          if (s.error_kind) c.failed++;
        }
      }
    },
  };
}
