/**
 * The content checks of the RAG-answer scorer that look past fact recall: refusals and canned fallbacks
 * passed off as answers, fabricated numbers and ids, citations that retrieval never returned for the request,
 * and facts cited to a document that does not hold them. Pure functions; the rules are in README "Scoring".
 */
import { citedSegments, containsFact } from './fact-match.ts';
import { numbersIn, type ReferenceData } from './reference-data.ts';

/** What the fakes' request logs say about one sample (joined by its trace id); null when nothing was logged. */
export interface SampleEvidence {
  /** Calls per dependency name: how many, how many failed (status 0 or ≥ 400), time in flight attributed to it (ms). */
  calls: Record<string, { calls: number; errors: number; ms: number }>;
  /** Retrieval calls seen for this sample (0: grounding cannot be checked, e.g. a cached answer). */
  retrieval_calls: number;
  /** The ids retrieval returned for this sample, in order, deduplicated. */
  returned_ids: string[];
  /** The ids the model's answers cited, as the model fake sent them. */
  model_cited_ids: string[];
}

/** The default refusal texts: an apology followed by "can't help / assist / answer / provide". */
export const REFUSAL_PATTERNS: readonly RegExp[] = Object.freeze([
  /^\W*(?:i'?m sorry|i am sorry|sorry|i apologi[sz]e)\b[^.!?]{0,40}\b(?:can ?not|can't|won't|am unable to|unable to)\s+(?:help|assist|answer|provide|comply)\b/i,
  /^\W*i (?:can ?not|can't|won't) (?:help|assist) with (?:that|this)\b/i,
  /\bas an ai(?: language model)?\b/i,
]);

/** The default canned-fallback texts: "try again later", "can't look that up right now", "temporarily unavailable". */
export const CANNED_FALLBACK_PATTERNS: readonly RegExp[] = Object.freeze([
  /\btry again (?:later|shortly|soon|in a (?:few|couple of) (?:minutes|moments|seconds))\b/i,
  /\b(?:can ?not|can't|unable to) (?:look (?:that|this|it) up|answer (?:that|this|it)|get (?:to )?(?:that|this)|reach [\w ]{1,20}) right now\b/i,
  /\b(?:service|system|assistant) is (?:temporarily |currently )?unavailable\b/i,
  /\bsomething went wrong\b/i,
]);

const normalize = (text: string) => text.replace(/[\u2018\u2019]/g, "'").trim();

/** The refusal pattern the answer matches, or undefined. */
export function isRefusal(answer: string): boolean {
  const t = normalize(answer);
  return REFUSAL_PATTERNS.some((p) => p.test(t));
}

/** Whether the answer is one of `texts` (case- and whitespace-insensitive) or matches a canned-fallback pattern. */
export function isCannedFallback(answer: string, texts: readonly string[]): boolean {
  const t = normalize(answer);
  const flat = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  return texts.some((c) => flat(c) === flat(t)) || CANNED_FALLBACK_PATTERNS.some((p) => p.test(t));
}

/** An id-looking token: letters and digits with at least one of each (`doc-001`, `SKU-1001`; not `1` or `note`). */
const ID_LIKE = /^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9_.:-]{2,100}$/;

/** The ids an answer cites: the citations field first, then bracketed markers in the text; deduplicated. */
export function citedIds(answer: string, citations: readonly string[]): string[] {
  const ids = [...citations];
  for (const m of answer.matchAll(/\[([^\][\s]{1,100})\]/g)) if (ID_LIKE.test(m[1])) ids.push(m[1]);
  return [...new Set(ids)];
}

/** The numbers of every version of a document, computed once per reference data and id. */
const numbersByDocument = new WeakMap<ReferenceData, Map<string, ReadonlySet<number>>>();
function documentNumbers(ref: ReferenceData, id: string): ReadonlySet<number> {
  let byId = numbersByDocument.get(ref);
  if (!byId) numbersByDocument.set(ref, (byId = new Map()));
  let set = byId.get(id);
  if (!set) byId.set(id, (set = new Set((ref.documents.get(id) ?? []).flatMap((text) => numbersIn(text)))));
  return set;
}

/**
 * Fabrication: cited ids that are no document and no inventory record, and numbers of the answer that neither
 * the question nor any inventory record nor the documents the answer could draw on hold. Those documents are
 * the ones retrieval returned for the sample (every version) when the log shows them, else the whole corpus.
 * @returns one reason per fabricated id or number
 */
export function fabrications(
  answer: string,
  ids: readonly string[],
  question: string,
  ref: ReferenceData,
  evidence: SampleEvidence | null,
): string[] {
  const reasons: string[] = [];
  for (const id of ids)
    if (!ref.documents.has(id) && !ref.products.has(id)) reasons.push(`cites ${id}, which no document or inventory record has`);
  // Sets looked up in place, never copied: per sample this ran every returned document through numbersIn and
  // built a set of the corpus's numbers, most of the scorer's time (bench/scorer.ts, B10 profile).
  const returned = evidence && evidence.retrieval_calls > 0 ? evidence.returned_ids.map((id) => documentNumbers(ref, id)) : null;
  const known = (n: number) => ref.productNumbers.has(n) || (returned ? returned.some((s) => s.has(n)) : ref.documentNumbers.has(n));
  const inQuestion = numbersIn(question);
  const seen = new Set<number>();
  for (const n of numbersIn(answer)) {
    if (known(n) || inQuestion.includes(n) || seen.has(n)) continue;
    seen.add(n);
    reasons.push(
      `number ${n} is in no ${evidence && evidence.retrieval_calls > 0 ? 'document retrieval returned' : 'document'}, no inventory record and not the question`,
    );
  }
  return reasons;
}

/**
 * Grounding: cited ids (known documents only) that retrieval did not return for this sample. Unchecked (empty)
 * when the log shows no retrieval call for the sample (a cached answer, an untraced request). SKUs are not
 * checked here: the inventory fake does not log which records it returned.
 */
export function ungrounded(ids: readonly string[], ref: ReferenceData, evidence: SampleEvidence | null): string[] {
  if (!evidence || evidence.retrieval_calls === 0) return [];
  const returned = new Set(evidence.returned_ids);
  return ids
    .filter((id) => ref.documents.has(id) && !returned.has(id))
    .map((id) => `cites ${id}, which retrieval did not return for this request`);
}

/**
 * Attribution: a current fact found in a stretch of the answer that cites documents only (no SKU), none of
 * whose versions holds the fact: the right number with the wrong citation.
 */
export function misattributed(answer: string, facts: readonly string[], ref: ReferenceData): string[] {
  const reasons: string[] = [];
  for (const seg of citedSegments(answer)) {
    if (seg.ids.length === 0 || !seg.ids.every((id) => ref.documents.has(id))) continue;
    for (const fact of facts) {
      if (!containsFact(seg.text, fact)) continue;
      const held = seg.ids.some((id) => (ref.documents.get(id) ?? []).some((text) => containsFact(text, fact)));
      if (!held) reasons.push(`fact "${fact}" is cited to ${seg.ids.join(', ')}, which does not hold it`);
    }
  }
  return reasons;
}
