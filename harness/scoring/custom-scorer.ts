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
import { createRepeatedAnswers } from './repeated-answers.ts';

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
  if (typeof value !== 'object' || value === null) return `must return an object { outcome, quality, reasons? }, got ${value === null ? 'null' : typeof value}`;
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  if (!(OUTCOMES as readonly unknown[]).includes(v.outcome)) problems.push(`outcome must be one of ${OUTCOMES.join(', ')} (got ${JSON.stringify(v.outcome)})`);
  if (typeof v.quality !== 'number' || !Number.isFinite(v.quality) || v.quality < 0 || v.quality > 1) problems.push(`quality must be a number in [0, 1] (got ${JSON.stringify(v.quality)})`);
  if (v.reasons !== undefined && (!Array.isArray(v.reasons) || v.reasons.some((r) => typeof r !== 'string'))) problems.push('reasons must be an array of strings');
  if (problems.length) return problems.join('; ');
  return { outcome: v.outcome as Outcome, quality: v.quality as number, reasons: (v.reasons as string[] | undefined) ?? [] };
}

export function createRunScorer(spec: ResolvedRagScoreSpec | CustomScoreSpec, reference?: ReferenceData): RunScorer {
  let count = 0;
  const messages: string[] = [];
  if (spec.kind === 'rag-answer') {
    const repeated = createRepeatedAnswers(spec.repeatedAnswer);
    return {
      score: (sample, truth, evidence) => scoreRagAnswer(spec, sample, truth, { reference, evidence, repeated }),
      problems: () => ({ count, messages }),
    };
  }
  return {
    score(sample, truth, evidence) {
      const transport = transportOutcome(sample);
      if (transport) return transport;
      let json: unknown;
      try { json = JSON.parse(sample.body); } catch { json = undefined; }
      let verdict: ScoreOutput | string;
      try {
        verdict = validateVerdict(spec.score({
          status: sample.status ?? 0, body: sample.body, json, latency_ms: sample.latency_ms, request: sample.request,
          ...(sample.question_id ? { question_id: sample.question_id, category: sample.category } : {}),
          evidence: evidence && { returned_ids: evidence.returned_ids, retrieval_calls: evidence.retrieval_calls, model_cited_ids: evidence.model_cited_ids, calls: evidence.calls },
        }, truth));
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
