/**
 * What happens to each measured sample, in order: its phase (the overlap rule: the first fault phase its
 * [start, end] overlapped), the fault windows it fell in, a wait for the fakes' log entries it caused (the
 * evidence join), its score, the truncation check (`truncated` overrides the scorer's `ok`/`partial`, and is
 * set in unscored runs too), its dependency call counts, the analysis, one line in samples.ndjson and, when it
 * went wrong, a place among the examples.
 *
 * Shapes: `createSamplePipeline(options)` → `{ onSample(sample), examples, faultWindows, dependencyCalls(matched) }`. The examples keep
 * at most EXAMPLE_LIMITS.total bad samples, EXAMPLE_LIMITS.per_phase per phase, each response cut to
 * EXAMPLE_LIMITS.response_chars characters.
 */
import { createDependencyCallsAccumulator, type DependencyCallsAccumulator } from '../metrics/dependency-calls.ts';
import { announcesCut, detectTruncation, type SutEnding } from '../metrics/outcome-ranking.ts';
import { callReach, type CallReach, type LatencyToxic, minDelayMs } from '../metrics/toxic-reach.ts';
import type { RunAnalysis } from '../metrics/run-analysis.ts';
import type { DependencyCalls, MatchKind } from '../results/result-types.ts';
import type { RunResult, SampleRecord } from '../results/result-types.ts';
import type { ResolvedScenario } from '../scenario/index.ts';
import type { SampleEvidence } from '../scoring/answer-checks.ts';
import type { RunScorer } from '../scoring/custom-scorer.ts';
import { withStreamAbort } from '../scoring/stream-outcome.ts';
import type { DrivenSample } from './drive-load.ts';
import { matchTextOf, type EvidenceJoin, type SampleCalls } from './evidence-join.ts';
import type { RequestSequence } from './request-source.ts';
import { streamedBody } from './streamed-answer.ts';
import type { SampleWriter } from '../results/write-results.ts';

export const EXAMPLE_LIMITS = Object.freeze({ total: 50, per_phase: 10, response_chars: 2000 });

/**
 * Samples that started inside a fault's window, and how many of them failed at the transport (error_kind set); for
 * a latency toxic with `toxicity < 1`, its calls in the window and those that provably did not meet it (toxic-reach.ts).
 */
export interface FaultWindowCount {
  samples: number;
  failed: number;
  /**
   * Of `samples`, arrivals that waited for a free connection until after the window ended (sent at or after its
   * end): the SUT never met the fault with them (lateness-flags.ts `shieldedArrivalsFlag`).
   */
  shielded: number;
  reach?: CallReach;
}

export interface SamplePipelineOptions {
  scenario: Pick<ResolvedScenario, 'faults' | 'score' | 'dependencies' | 'phases'>;
  sequence: Pick<RequestSequence, 'truth'>;
  analysis: Pick<RunAnalysis, 'phaseOf' | 'add'>;
  scorer: RunScorer | undefined;
  /** Hands each sample back with its evidence and calls once the fakes' logs have been read. */
  join: Pick<EvidenceJoin<SampleFinish>, 'push'>;
  writer: Pick<SampleWriter, 'write'>;
}

/** What the join calls back with for one sample. */
export type SampleFinish = (evidence: SampleEvidence | null, calls: SampleCalls) => void;

export interface SamplePipeline {
  onSample(sample: DrivenSample): void;
  /** Each dependency's call metrics over the samples released so far, with the join's match counts. */
  dependencyCalls(matched: Record<string, Record<MatchKind, number>>): Record<string, DependencyCalls>;
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

/** The SUT's own JSON (a plain body, or a stream's completion event), or undefined when it is not JSON. */
function sutJson(s: DrivenSample): unknown {
  if (s.stream) return s.stream.final ?? undefined;
  const body = s.body.trimStart();
  if (!body.startsWith('{')) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined; // not JSON: it announces nothing
  }
}

/** How the SUT's response ended, for `detectTruncation`. */
function sutEnding(s: DrivenSample, json: unknown): SutEnding {
  return {
    status: s.status,
    error_kind: s.error_kind,
    ...(s.stream ? { stream: { completed: s.stream.completed, abort_reason: s.stream.abort_reason } } : {}),
    announced_cut: announcesCut(json),
  };
}

export function createSamplePipeline(o: SamplePipelineOptions): SamplePipeline {
  const { scenario, scorer } = o;
  const dependencies = Object.keys(scenario.dependencies);
  // The answer rests on the model's calls; without a model fake, on every dependency's.
  const modelDeps = dependencies.filter((d) => scenario.dependencies[d].kind === 'model');
  const answerDeps = modelDeps.length ? modelDeps : dependencies;
  const callMetrics = new Map<string, DependencyCallsAccumulator>(
    dependencies.map((d) => [d, createDependencyCallsAccumulator(scenario.phases.map((p) => p.name))]),
  );
  const examples: RunResult['examples'] = [];
  const perPhase = new Map<string, number>();
  const faultWindows = new Map<string, FaultWindowCount>(scenario.faults.map((f) => [f.name, { samples: 0, failed: 0, shielded: 0 }]));
  // Latency toxics that Toxiproxy rolls per connection (toxicity < 1): their reach is judged call by call.
  const rolledLatency: { name: string; on: string; toxic: LatencyToxic }[] = [];
  for (const f of scenario.faults) {
    if (f.fault.kind !== 'toxic' || f.fault.toxicity >= 1) continue;
    const min_delay_ms = minDelayMs(f.fault.type, f.fault.attributes);
    if (min_delay_ms === null) continue;
    faultWindows.get(f.name)!.reach = { in_window: 0, untouched: 0 };
    rolledLatency.push({
      name: f.name,
      on: f.on,
      toxic: { stream: f.fault.stream, min_delay_ms, window: { start_ms: f.at_ms, end_ms: f.at_ms + f.for_ms } },
    });
  }
  const answerField = scenario.score?.kind === 'rag-answer' ? scenario.score.answer : 'answer';

  const finish = (s: DrivenSample, record: SampleRecord, evidence: SampleEvidence | null, calls: SampleCalls) => {
    if (evidence && Object.keys(evidence.calls).length)
      record.dependency_ms = Object.fromEntries(Object.entries(evidence.calls).map(([d, c]) => [d, c.ms]));
    if (dependencies.length)
      record.dependency_calls = Object.fromEntries(
        dependencies.map((d) => [
          d,
          callMetrics.get(d)!.add(
            record.phase,
            (calls[d] ?? []).map((c) => c.entry),
          ),
        ]),
      );
    const json = sutJson(s);
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
    const answerCalls = answerDeps
      .flatMap((d) => calls[d] ?? [])
      .sort((a, b) => a.entry.t_ms - b.entry.t_ms)
      .map((c) => c.evidence);
    if (
      (record.outcome === undefined || record.outcome === 'ok' || record.outcome === 'partial') &&
      detectTruncation(sutEnding(s, json), answerCalls)
    ) {
      record.outcome = 'truncated';
      if (scorer) record.quality = 0;
      record.reasons = [...(record.reasons ?? []), 'the model answer was cut short and the service presented it as complete'];
    }
    // A fallback the service labels as one (`fallback: true` in its JSON) is announced.
    const announced =
      record.outcome === 'fallback' && typeof json === 'object' && json !== null && (json as { fallback?: unknown }).fallback === true;
    o.analysis.add(record, announced);
    if (rolledLatency.length) {
      const good =
        s.error_kind === null &&
        s.status !== null &&
        s.status >= 200 &&
        s.status < 300 &&
        record.stream_aborted !== true &&
        (record.outcome === undefined || record.outcome === 'ok' || record.outcome === 'partial');
      for (const t of rolledLatency) {
        const r = callReach(
          { start_ms: s.start_ms, end_ms: s.end_ms, good },
          (calls[t.on] ?? []).map((c) => c.entry),
          t.toxic,
        );
        const sum = faultWindows.get(t.name)!.reach!;
        sum.in_window += r.in_window;
        sum.untouched += r.untouched;
      }
    }
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
    dependencyCalls: (matched) =>
      Object.fromEntries(
        [...callMetrics].map(([d, acc]) => [
          d,
          acc.finish(matched[d] ?? { trace_id: 0, sample_id_header: 0, question_text: 0, unmatched: 0 }),
        ]),
      ),
    onSample(s) {
      const record = recordOf(s, o.analysis.phaseOf(s.start_ms, s.end_ms));
      const text = matchTextOf(s.meta.request);
      const joined = {
        key: s.meta.key,
        start_ms: s.start_ms,
        end_ms: s.end_ms,
        phase: record.phase,
        latency_ms: s.latency_ms,
        ...(text ? { text } : {}),
      };
      o.join.push(joined, (evidence, calls) => finish(s, record, evidence, calls));
      for (const f of scenario.faults) {
        if (s.start_ms >= f.at_ms && s.start_ms < f.at_ms + f.for_ms) {
          const c = faultWindows.get(f.name)!;
          c.samples++;
          if (s.error_kind) c.failed++;
          if (s.sent_ms >= f.at_ms + f.for_ms) c.shielded++;
        }
      }
    },
  };
}
