/**
 * The declarative RAG-answer scorer (`ragAnswer()` in a scenario): maps a response, the question's ground truth
 * and what the fakes logged for the request to an outcome, a quality in [0, 1] and the reasons. Deterministic;
 * no model acts as a judge. Rules, first match decides the outcome (README "Scoring"):
 *
 * 1. transport: `timeout`, `connection_error`, `http_error` (status ≥ 400), quality 0;
 * 2. format: an empty body is `empty`; a body that is not JSON, an answer field that is not a string, or a
 *    citations field that is present but not an array of strings is `wrong` (absent: no citations);
 * 3. `fallback: true` in the response → `fallback`; an empty answer → `empty`; a refusal passed through as the
 *    answer → `empty`; a known canned text (`fallbackTexts`, built-in patterns) or the same text, holding none
 *    of the question's facts, returned for `repeatedAnswer` distinct questions in the run → `fallback`;
 * 4. fabrication: a cited id that is no document and no inventory record, or a number that neither the
 *    documents the answer could draw on, nor any inventory record, nor the question hold → `wrong`;
 * 5. grounding: a cited document that retrieval did not return for this request (from the fake's log) → `wrong`;
 * 6. freshness: a fact only the superseded version holds, in a part of the answer citing a relevant document or
 *    citing nothing, → `stale` (even next to current facts: the reader cannot tell which is true);
 * 7. attribution: a current fact cited to documents none of which holds it → `wrong`;
 * 8. recall: quality = share of the current facts present; `ok` at or above `okRecall`, `partial` above 0,
 *    `wrong` at 0.
 * Failed rules' reasons are all listed (the first one decides), so a fabricated number next to a stale fact shows both.
 */
import type { ErrorKind } from '../results/result-types.ts';
import type { Outcome } from '../scenario/metrics.ts';
import type { QuestionTruth, ScoreSpec } from '../scenario/types.ts';
import { citedIds, fabrications, isCannedFallback, isRefusal, misattributed, ungrounded, type SampleEvidence } from './answer-checks.ts';
import { citedSegments, containsFact } from './fact-match.ts';
import type { ReferenceData } from './reference-data.ts';
import type { RepeatedAnswers } from './repeated-answers.ts';

export { citedSegments, containsFact } from './fact-match.ts';
export type { SampleEvidence } from './answer-checks.ts';

export type GroundTruth = QuestionTruth;

export interface ScoreInput {
  status: number | null;
  error_kind: ErrorKind | null;
  body: string;
}

export interface ScoreOutput {
  outcome: Outcome;
  quality: number;
  reasons: string[];
}

export function readField(value: unknown, field: string): unknown {
  let current = value;
  for (const part of field.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** What the RAG checks beyond the response itself can use; each is optional and its checks are skipped without it. */
export interface ScoreContext {
  /** The dataset's documents and inventory: fabrication and attribution checks. */
  reference?: ReferenceData;
  /** What the fakes logged for this request: grounding, and fabrication scoped to the documents returned. */
  evidence?: SampleEvidence | null;
  /** The run's repeated-answer tracker: silent fallbacks. */
  repeated?: RepeatedAnswers;
}

export function transportOutcome(input: ScoreInput): ScoreOutput | undefined {
  if (input.error_kind === 'timeout') return { outcome: 'timeout', quality: 0, reasons: ['request timed out'] };
  if (input.error_kind === 'reset' || input.error_kind === 'refused' || input.error_kind === 'closed') {
    return { outcome: 'connection_error', quality: 0, reasons: [`connection ${input.error_kind}`] };
  }
  if (input.error_kind || (input.status !== null && input.status >= 400)) {
    return { outcome: 'http_error', quality: 0, reasons: [`HTTP ${input.status}`] };
  }
  return undefined;
}

/** Scores one response against one question's ground truth. */
export function scoreRagAnswer(
  spec: ScoreSpec,
  input: ScoreInput,
  truth: GroundTruth | undefined,
  context: ScoreContext = {},
): ScoreOutput {
  const transport = transportOutcome(input);
  if (transport) return transport;
  let json: unknown;
  try {
    json = JSON.parse(input.body);
  } catch {
    return input.body.trim() === ''
      ? { outcome: 'empty', quality: 0, reasons: ['empty response body'] }
      : { outcome: 'wrong', quality: 0, reasons: ['response is not JSON'] };
  }
  const answer = readField(json, spec.answer);
  if (typeof answer !== 'string') return { outcome: 'wrong', quality: 0, reasons: [`response field ${spec.answer} is not a string`] };
  if (readField(json, 'fallback') === true) return { outcome: 'fallback', quality: 0, reasons: ['the service answered with its fallback'] };
  if (answer.trim() === '') return { outcome: 'empty', quality: 0, reasons: ['empty answer'] };
  if (isRefusal(answer)) return { outcome: 'empty', quality: 0, reasons: [`the answer is a refusal: "${answer.trim().slice(0, 80)}"`] };
  if (isCannedFallback(answer, spec.fallbackTexts ?? []))
    return { outcome: 'fallback', quality: 0, reasons: [`the answer is a canned fallback text: "${answer.trim().slice(0, 80)}"`] };
  // Only answers holding none of their question's facts count towards a repeat: a correct answer that two
  // questions share is not a fallback.
  if (
    context.repeated &&
    truth &&
    context.repeated.threshold > 0 &&
    truth.facts.length > 0 &&
    truth.facts.every((f) => !containsFact(answer, f))
  ) {
    const distinct = context.repeated.observe(answer, truth.id);
    if (distinct >= context.repeated.threshold)
      return {
        outcome: 'fallback',
        quality: 0,
        reasons: [`the same answer, holding none of their facts, was returned for ${distinct} different questions (a silent fallback)`],
      };
  }
  const rawCitations = readField(json, spec.citations) ?? [];
  if (!Array.isArray(rawCitations) || rawCitations.some((c) => typeof c !== 'string')) {
    return { outcome: 'wrong', quality: 0, reasons: [`response field ${spec.citations} is not an array of strings`] };
  }
  const ids = citedIds(answer, rawCitations as string[]);
  const evidence = context.evidence ?? null;
  const ref = context.reference;
  const fabricated = ref ? fabrications(answer, ids, truth?.question ?? '', ref, evidence) : [];
  const notReturned = ref ? ungrounded(ids, ref, evidence) : [];
  if (!truth) {
    const problems = [...fabricated, ...notReturned];
    return problems.length
      ? { outcome: 'wrong', quality: 0, reasons: problems }
      : { outcome: 'ok', quality: 1, reasons: ['no ground truth for this request'] };
  }
  const text = answer.toLowerCase();
  const relevant = new Set([...truth.relevant_ids, ...(truth.skus ?? [])]);
  const attributable =
    relevant.size === 0
      ? text
      : citedSegments(answer)
          .filter((seg) => seg.ids.length === 0 || seg.ids.some((id) => relevant.has(id)))
          .map((seg) => seg.text)
          .join(' ')
          .toLowerCase();
  const stale = truth.stale_facts.filter((f) => containsFact(attributable, f)).map((f) => `holds superseded fact "${f}"`);
  const wrongCitation = ref ? misattributed(answer, truth.facts, ref) : [];
  const missingFacts = truth.facts.filter((f) => !containsFact(text, f));
  const missing = missingFacts.map((f) => `missing fact "${f}"`);
  const recall = truth.facts.length === 0 ? 1 : (truth.facts.length - missingFacts.length) / truth.facts.length;
  const quality = Math.round(recall * 10_000) / 10_000;
  const all = [...fabricated, ...notReturned, ...stale, ...wrongCitation];
  if (fabricated.length || notReturned.length) return { outcome: 'wrong', quality: 0, reasons: [...all, ...missing] };
  if (stale.length) return { outcome: 'stale', quality: 0, reasons: all };
  if (wrongCitation.length) return { outcome: 'wrong', quality: 0, reasons: [...all, ...missing] };
  if (recall >= spec.okRecall) return { outcome: 'ok', quality, reasons: missing };
  return { outcome: recall > 0 ? 'partial' : 'wrong', quality, reasons: missing };
}
