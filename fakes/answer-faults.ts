/**
 * The model fake's content faults: quiet harm done to a correct extractive answer, each choice drawn from a
 * seeded generator (see `AppliedMode.random`).
 *
 * - `drop_facts`: removes `count` sentences (default 1), chosen by the seed, keeping at least one; an answer of one
 *   sentence (or the not-found answer) is left whole.
 * - `perturb_numbers`: every number outside the citations changes: an integer by ±1 or ±2 (never below 0), a
 *   decimal by ±0.50 or ±1.00 keeping its decimals (never to 0 or below); thousands separators are kept
 *   (`14` → `15`, `4.99` → `5.49`, `1,299` → `1,301`). Numbers inside ids (`SKU-1001`, `B2`) are left alone.
 * - `wrong_citations`: each citation becomes another id of the prompt's context, or an invented id shaped like the
 *   original whose number starts with 9 and that the context does not hold (`doc-001` → `doc-937`).
 * - `truncate`: keeps `keep_ratio` of the words (default 0.5; at least one, and one fewer than all when there are
 *   several) and reports `finish_reason: "length"`.
 * - `refuse`: the refusal text (default "I'm sorry, but I can't help with that."), citing nothing.
 */
import { type AnswerSentence, type ExtractiveAnswer, renderAnswer } from './extractive-answerer.ts';
import { type FakeMode, MODE_DEFAULTS, type ModeKind } from '../contract/index.ts';

/** Mode kinds that change a model answer's content. */
export const ANSWER_FAULT_KINDS: readonly ModeKind[] = ['drop_facts', 'perturb_numbers', 'wrong_citations', 'truncate', 'refuse'];

/** An answer after a content fault. */
export interface FaultedAnswer {
  text: string;
  /** The answer was cut: report `finish_reason: "length"` (Responses API: `incomplete`). */
  truncated: boolean;
}

/** A citation as the answerer prints it: `[doc-001]`. */
const CITATION = /\[([A-Za-z0-9][\w.:\-]{0,63})\]/g;

/** The ids a text cites (`[doc-001]`), in order, with repeats. */
export function citedIds(text: string): string[] {
  return [...text.matchAll(CITATION)].map((m) => m[1]);
}

/** Index in [0, n) from a generator. */
const pick = (random: () => number, n: number) => Math.min(n - 1, Math.floor(random() * n));

function dropFacts(sentences: AnswerSentence[], count: number, random: () => number): AnswerSentence[] {
  if (sentences.length <= 1) return sentences;
  const drop = new Set<number>();
  const target = Math.min(count, sentences.length - 1);
  const candidates = sentences.map((_, i) => i);
  while (drop.size < target) drop.add(candidates.splice(pick(random, candidates.length), 1)[0]);
  return sentences.filter((_, i) => !drop.has(i));
}

/** A number not inside an id (not after a letter, digit, `_`, `.` or `letter-`): `14`, `4.99`, `1,299`. */
const NUMBER = /(?<![\p{L}\p{N}_.,]|\p{L}-)(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?/gu;

/** Changes one number (as written) by a seeded step, keeping its decimals and thousands separators. */
export function perturbNumber(written: string, random: () => number): string {
  const grouped = written.includes(',');
  const plain = written.replace(/,/g, '');
  const decimals = plain.includes('.') ? plain.length - plain.indexOf('.') - 1 : 0;
  const value = Number(plain);
  const unit = decimals > 0 ? 0.5 : 1;
  const magnitude = (1 + pick(random, 2)) * unit;
  const down = random() < 0.5 && (decimals > 0 ? value - magnitude > 0 : value - magnitude >= 0);
  const next = down ? value - magnitude : value + magnitude;
  if (grouped) return next.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  const integerWidth = plain.length - (decimals > 0 ? decimals + 1 : 0);
  return next.toFixed(decimals).padStart(decimals > 0 ? integerWidth + decimals + 1 : integerWidth, '0'); // 02 → 03
}

function perturbNumbers(text: string, random: () => number): string {
  return text.replace(NUMBER, (written) => perturbNumber(written, random));
}

/** An id shaped like `id` that `taken` does not hold: its trailing number replaced by one starting with 9. */
export function inventId(id: string, taken: ReadonlySet<string>, random: () => number): string {
  const match = /^(.*?)(\d+)$/.exec(id);
  for (let attempt = 0; attempt < 20; attempt++) {
    let candidate: string;
    if (match) {
      const width = Math.max(2, match[2].length);
      let digits = '9';
      for (let i = 1; i < width; i++) digits += String(pick(random, 10));
      candidate = match[1] + digits;
    } else {
      candidate = `${id}-${90 + pick(random, 10)}`;
    }
    if (candidate !== id && !taken.has(candidate)) return candidate;
  }
  return `${id}-x${taken.size}`;
}

function wrongCitations(
  sentences: AnswerSentence[],
  contextIds: readonly string[],
  source: 'any' | 'context' | 'invented',
  random: () => number,
): AnswerSentence[] {
  const taken = new Set(contextIds);
  return sentences.map((sentence) => {
    if (sentence.id === '') return sentence; // a prompt-derived answer cites nothing: there is nothing to get wrong
    const others = [...taken].filter((id) => id !== sentence.id);
    const fromContext = others.length > 0 && (source === 'context' || (source === 'any' && random() < 0.5));
    const id = fromContext ? others[pick(random, others.length)] : inventId(sentence.id, taken, random);
    return { text: sentence.text, id };
  });
}

function truncateWords(text: string, keepRatio: number): string {
  const words = text.match(/\S+/g) ?? [];
  const keep = words.length <= 1 ? words.length : Math.min(words.length - 1, Math.max(1, Math.floor(words.length * keepRatio)));
  return words.slice(0, keep).join(' ');
}

/**
 * Applies a content fault to an answer. `contextIds` are the distinct ids of the prompt's context;
 * `random` is the mode's generator for this request. Other mode kinds return the answer unchanged.
 */
export function applyAnswerFault(
  mode: FakeMode,
  answer: ExtractiveAnswer,
  contextIds: readonly string[],
  random: () => number,
): FaultedAnswer {
  const sentences = answer.sentences;
  const rendered = (changed: AnswerSentence[]) => (sentences.length === 0 ? answer.text : renderAnswer(changed));
  switch (mode.kind) {
    case 'drop_facts':
      return { text: rendered(dropFacts(sentences, mode.count ?? MODE_DEFAULTS.drop_facts.count, random)), truncated: false };
    case 'perturb_numbers':
      return { text: rendered(sentences.map((s) => ({ text: perturbNumbers(s.text, random), id: s.id }))), truncated: false };
    case 'wrong_citations':
      return {
        text: rendered(wrongCitations(sentences, contextIds, mode.source ?? MODE_DEFAULTS.wrong_citations.source, random)),
        truncated: false,
      };
    case 'truncate':
      return { text: truncateWords(answer.text, mode.keep_ratio ?? MODE_DEFAULTS.truncate.keep_ratio), truncated: true };
    case 'refuse':
      return { text: mode.message ?? MODE_DEFAULTS.refuse.message, truncated: false };
    default:
      return { text: answer.text, truncated: false };
  }
}
