/**
 * Runs a scenario's scorer on one sample, whichever form it has: `ragAnswer()` (declarative) or
 * `customScorer(fn)` (a function whose return value is validated here). One instance per run: it holds the
 * run's repeated-answer tracker and counts the custom scorer's invalid results.
 */
import { OUTCOMES, type Outcome } from '../scenario/metrics.ts';
import type { CustomScoreSpec, ResolvedRagScoreSpec } from '../scenario/types.ts';
import type { SampleEvidence } from './answer-checks.ts';
import { scoreRagAnswer, transportOutcome, type GroundTruth, type ScoreInput, type ScoreOutput } from './rag-answer.ts';
import type { ReferenceData } from './reference-data.ts';
import { createRepeatedAnswers, type RepeatedAnswers } from './repeated-answers.ts';

/**
 * How many distinct (status, question, returned ids, body) results the RAG scorer remembers: 1,024 (bodies are
 * capped by `load.body_cap`, 4 KiB by default, so at most ~4 MiB). Deterministic services and the fakes repeat
 * their answers, and the B2 profile had scoring at ~24 µs of a sample's ~235 µs of harness CPU
 * (bench/RESULTS.md); a remembered result costs one map lookup.
 */
export const SCORE_MEMO_ENTRIES = 1024;

export interface SampleToScore extends ScoreInput {
  latency_ms: number;
  request: unknown;
  question_id?: string;
  category?: string;
}

export interface RunScorer {
  /** The sample's outcome, quality and reasons; undefined when a custom scorer failed on it (counted in `problems()`). */
  score(sample: SampleToScore, truth: GroundTruth | undefined, evidence: SampleEvidence | null): ScoreOutput | undefined;
  /** The custom scorer's failures: how many samples, and the first few messages. */
  problems(): { count: number; messages: string[] };
}

/**
 * Checks a custom scorer's return value.
 * @returns the verdict, or a string saying what is wrong with it
 */
export function validateVerdict(value: unknown): ScoreOutput | string {
  if (typeof value !== 'object' || value === null)
    return `must return an object { outcome, quality, reasons? }, got ${value === null ? 'null' : typeof value}`;
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  if (!(OUTCOMES as readonly unknown[]).includes(v.outcome))
    problems.push(`outcome must be one of ${OUTCOMES.join(', ')} (got ${JSON.stringify(v.outcome)})`);
  if (typeof v.quality !== 'number' || !Number.isFinite(v.quality) || v.quality < 0 || v.quality > 1)
    problems.push(`quality must be a number in [0, 1] (got ${JSON.stringify(v.quality)})`);
  if (v.reasons !== undefined && (!Array.isArray(v.reasons) || v.reasons.some((r) => typeof r !== 'string')))
    problems.push('reasons must be an array of strings');
  if (problems.length) return problems.join('; ');
  return { outcome: v.outcome as Outcome, quality: v.quality as number, reasons: (v.reasons as string[] | undefined) ?? [] };
}

export function createRunScorer(spec: ResolvedRagScoreSpec | CustomScoreSpec, reference?: ReferenceData): RunScorer {
  let count = 0;
  const messages: string[] = [];
  if (spec.kind === 'rag-answer') {
    const repeated = createRepeatedAnswers(spec.repeatedAnswer);
    // The rules are pure in (response, question, returned ids) except the repeated-answer tracker, whose verdict
    // can change as the run goes: a result that consulted it is never remembered.
    let consulted = false;
    const tracker: RepeatedAnswers = {
      threshold: repeated.threshold,
      observe: (answer, id) => {
        consulted = true;
        return repeated.observe(answer, id);
      },
    };
    const memo = new Map<string, ScoreOutput>();
    return {
      score(sample, truth, evidence) {
        if (sample.error_kind !== null) return scoreRagAnswer(spec, sample, truth, { reference, evidence, repeated });
        const key = `${sample.status}\u0000${truth?.id ?? ''}\u0000${evidence && evidence.retrieval_calls > 0 ? evidence.returned_ids.join('\u0001') : ''}\u0000${sample.body}`;
        const known = memo.get(key);
        // A copy: the caller may add reasons (an aborted stream) to what it gets.
        if (known) return { ...known, reasons: [...known.reasons] };
        consulted = false;
        const scored = scoreRagAnswer(spec, sample, truth, { reference, evidence, repeated: tracker });
        if (!consulted) {
          if (memo.size >= SCORE_MEMO_ENTRIES) memo.delete(memo.keys().next().value!);
          memo.set(key, { ...scored, reasons: [...scored.reasons] });
        }
        return scored;
      },
      problems: () => ({ count, messages }),
    };
  }
  return {
    score(sample, truth, evidence) {
      const transport = transportOutcome(sample);
      if (transport) return transport;
      let json: unknown;
      try {
        json = JSON.parse(sample.body);
      } catch {
        json = undefined;
      }
      let verdict: ScoreOutput | string;
      try {
        verdict = validateVerdict(
          spec.score(
            {
              status: sample.status ?? 0,
              body: sample.body,
              json,
              latency_ms: sample.latency_ms,
              request: sample.request,
              ...(sample.question_id ? { question_id: sample.question_id, category: sample.category } : {}),
              evidence: evidence && {
                returned_ids: evidence.returned_ids,
                retrieval_calls: evidence.retrieval_calls,
                model_cited_ids: evidence.model_cited_ids,
                calls: evidence.calls,
              },
            },
            truth,
          ),
        );
      } catch (error) {
        verdict = `threw ${(error as Error)?.message ?? String(error)}`;
      }
      if (typeof verdict === 'string') {
        count++;
        if (messages.length < 3) messages.push(verdict);
        return undefined;
      }
      return verdict;
    },
    problems: () => ({ count, messages }),
  };
}
