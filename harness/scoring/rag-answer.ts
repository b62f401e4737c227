/**
 * The declarative RAG-answer scorer (`ragAnswer()` in a scenario): maps a response and the question's ground
 * truth to an outcome, a quality in [0, 1] and the reasons. Deterministic; no model acts as a judge.
 *
 * Rules, in order: a transport failure is `timeout` or `connection_error`, an HTTP error `http_error`
 * (quality 0); a body that is not JSON, or lacks the answer field, is `wrong` (format); a response flagged
 * `fallback: true` is `fallback`; an empty answer is `empty`; an answer holding a fact that only the superseded
 * document version has is `stale` (quality 0, even next to current facts: the reader cannot tell which is true)
 * — counted only in parts of the answer that cite one of the question's relevant documents or SKUs, or cite
 * nothing, so the same string in an unrelated current document (`$15` for a patch repair next to a question on
 * tyre repairs) is not mistaken for staleness;
 * otherwise quality = share of the current facts present (case-insensitive), `ok` at or above `okRecall`,
 * `partial` above 0, `wrong` at 0.
 */
import type { ErrorKind } from '../results/result-types.ts';
import type { Outcome } from '../scenario/metrics.ts';
import type { ScoreSpec } from '../scenario/types.ts';

export interface GroundTruth {
  id: string;
  question: string;
  category: string;
  facts: string[];
  stale_facts: string[];
  relevant_ids: string[];
  skus?: string[];
}

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

function readField(value: unknown, field: string): unknown {
  let current = value;
  for (const part of field.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function transportOutcome(input: ScoreInput): ScoreOutput | undefined {
  if (input.error_kind === 'timeout') return { outcome: 'timeout', quality: 0, reasons: ['request timed out'] };
  if (input.error_kind === 'reset' || input.error_kind === 'refused' || input.error_kind === 'closed') {
    return { outcome: 'connection_error', quality: 0, reasons: [`connection ${input.error_kind}`] };
  }
  if (input.error_kind || (input.status !== null && input.status >= 400)) {
    return { outcome: 'http_error', quality: 0, reasons: [`HTTP ${input.status}`] };
  }
  return undefined;
}

/**
 * Whether `text` holds `fact` as a whole token run, case-insensitively: `45 days` is not found in `145 days`,
 * `$15` not in `$150`. A fact edge that is a letter or digit must not touch another letter or digit.
 */
export function containsFact(text: string, fact: string): boolean {
  const t = text.toLowerCase();
  const f = fact.toLowerCase().trim();
  if (f === '') return false;
  const word = /[\p{L}\p{N}]/u;
  for (let i = t.indexOf(f); i >= 0; i = t.indexOf(f, i + 1)) {
    const before = i > 0 ? t[i - 1] : '';
    const after = t[i + f.length] ?? '';
    const okBefore = !word.test(f[0]) || before === '' || !word.test(before);
    // A trailing decimal point or comma followed by digits continues a number: "$12" is not in "$12.50".
    const continuesNumber = /[\p{N}]/u.test(f.at(-1)!) && /^[.,]\d/.test(t.slice(i + f.length, i + f.length + 2));
    const okAfter = (!word.test(f.at(-1)!) || after === '' || !word.test(after)) && !continuesNumber;
    if (okBefore && okAfter) return true;
  }
  return false;
}

const CITATION = /\[([A-Za-z0-9_.:-]+)\]/g;

/**
 * Splits an answer into the stretches that end with citation markers: `A. [doc-1] B. [doc-2]` →
 * [{text: 'A. [doc-1]', ids: ['doc-1']}, {text: ' B. [doc-2]', ids: ['doc-2']}]; a trailing stretch with no
 * marker has no ids.
 */
export function citedSegments(answer: string): Array<{ text: string; ids: string[] }> {
  const segments: Array<{ text: string; ids: string[] }> = [];
  let start = 0;
  let ids: string[] = [];
  let last = 0;
  for (const m of answer.matchAll(CITATION)) {
    const between = answer.slice(last, m.index);
    if (ids.length > 0 && between.trim() !== '') {
      segments.push({ text: answer.slice(start, last), ids });
      start = last;
      ids = [];
    }
    ids.push(m[1]);
    last = m.index + m[0].length;
  }
  if (ids.length > 0) segments.push({ text: answer.slice(start, last), ids });
  if (last < answer.length && answer.slice(last).trim() !== '') segments.push({ text: answer.slice(last), ids: [] });
  return segments;
}

/** Scores one response against one question's ground truth. */
export function scoreRagAnswer(spec: ScoreSpec, input: ScoreInput, truth: GroundTruth | undefined): ScoreOutput {
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
  if (!truth) return { outcome: 'ok', quality: 1, reasons: ['no ground truth for this request'] };
  const text = answer.toLowerCase();
  const relevant = new Set([...truth.relevant_ids, ...(truth.skus ?? [])]);
  const attributable = relevant.size === 0
    ? text
    : citedSegments(answer).filter((seg) => seg.ids.length === 0 || seg.ids.some((id) => relevant.has(id))).map((seg) => seg.text).join(' ').toLowerCase();
  const stale = truth.stale_facts.filter((f) => containsFact(attributable, f));
  if (stale.length > 0) return { outcome: 'stale', quality: 0, reasons: stale.map((f) => `holds superseded fact "${f}"`) };
  const missing = truth.facts.filter((f) => !containsFact(text, f));
  const recall = truth.facts.length === 0 ? 1 : (truth.facts.length - missing.length) / truth.facts.length;
  const quality = Math.round(recall * 10_000) / 10_000;
  const reasons = missing.map((f) => `missing fact "${f}"`);
  if (recall >= spec.okRecall) return { outcome: 'ok', quality, reasons };
  return { outcome: recall > 0 ? 'partial' : 'wrong', quality, reasons };
}
