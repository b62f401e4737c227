/**
 * The model fake's deterministic answerer: picks the context sentences that best match the question.
 *
 * Prompt format (the last user message): context lines `[doc-001] text...` and `[SKU-1001] price 19.99 USD,
 * stock 42`, then `Question: ...`. Each context line is split into sentences that keep the line's id; a sentence
 * scores the number of distinct content-word stems it shares with the question (its id counts as a word). The
 * answer is the up to 3 best sentences with a score > 0 (ties go to the earlier sentence), printed in context
 * order, each followed by ` [id]`.
 */
import { createBoundedCache } from './bounded-cache.ts';
import { contentStems, splitSentences } from './text-analysis.ts';

/** What the answerer says when no context sentence shares a content word with the question. */
export const NOT_FOUND_ANSWER = 'I could not find this in the provided context.';

/** One context sentence with the id of the line it came from and its position in the prompt. */
export interface ContextSentence {
  id: string;
  text: string;
  order: number;
}

export interface ParsedPrompt {
  context: ContextSentence[];
  question: string;
}

export interface ExtractiveAnswer {
  /** The answer text, e.g. `Returns are accepted within 14 days. [doc-001]`. */
  text: string;
  /** Ids cited, in answer order (may repeat). */
  citations: string[];
  /** The answer's sentences with the id each cites, in answer order; empty for {@link NOT_FOUND_ANSWER}. */
  sentences: AnswerSentence[];
}

/** One sentence of an answer and the id it cites. */
export interface AnswerSentence {
  text: string;
  id: string;
}

/** Prints sentences as an answer: each followed by ` [id]` (nothing when its id is empty), joined by spaces. */
export function renderAnswer(sentences: readonly AnswerSentence[]): string {
  return sentences.map((s) => (s.id ? `${s.text} [${s.id}]` : s.text)).join(' ');
}

export interface AnswerOptions {
  /** Most sentences in an answer; default 3. */
  maxSentences?: number;
}

const CONTEXT_LINE = /^\s*(?:[-*]\s+)?\[([A-Za-z0-9][\w.:\-]{0,63})\]\s*(.*)$/;
const QUESTION_LINE = /^\s*question\s*:\s*(.*)$/i;

/**
 * The same documents come back in nearly every prompt, so a prompt line's parse and a sentence's stems are
 * computed once per distinct text (B3, issue 5: `contentStems` on every context sentence was 10% of the model
 * fake's CPU). The bounds are well above the shipped corpus (417 sentences of at most 113 characters, lines of at
 * most 420) and keep memory flat (under 8 MB of keys each) when every prompt is new. A hit also returns the cached
 * sentence strings, whose hashes V8 keeps, so the stems lookups that follow cost no rehashing.
 */
const parsedLines = createBoundedCache<{ id: string; sentences: readonly string[] } | null>({ capacity: 1024, maxKeyLength: 4096 });
const textStems = createBoundedCache<ReadonlySet<string>>({ capacity: 2048, maxKeyLength: 2048 });

function parseContextLine(line: string): { id: string; sentences: readonly string[] } | null {
  const match = CONTEXT_LINE.exec(line);
  return match ? { id: match[1], sentences: splitSentences(match[2]) } : null;
}

/** Splits prompt text into context sentences and the question (text after `Question:`, else the other lines). */
export function parsePrompt(text: string): ParsedPrompt {
  const context: ContextSentence[] = [];
  const questionLines: string[] = [];
  const otherLines: string[] = [];
  let inQuestion = false;
  for (const line of text.split(/\r?\n/)) {
    const contextLine = parsedLines.get(line, parseContextLine);
    if (contextLine) {
      inQuestion = false;
      for (const sentence of contextLine.sentences) {
        context.push({ id: contextLine.id, text: sentence, order: context.length });
      }
      continue;
    }
    const questionMatch = QUESTION_LINE.exec(line);
    if (questionMatch) {
      inQuestion = true;
      questionLines.push(questionMatch[1]);
    } else if (inQuestion) {
      questionLines.push(line);
    } else {
      otherLines.push(line);
    }
  }
  const question = (questionLines.length > 0 ? questionLines : otherLines).join(' ').replace(/\s+/g, ' ').trim();
  return { context, question };
}

/** Answers `prompt.question` from `prompt.context`; returns {@link NOT_FOUND_ANSWER} when nothing matches. */
export function answerQuestion(prompt: ParsedPrompt, options: AnswerOptions = {}): ExtractiveAnswer {
  const maxSentences = options.maxSentences ?? 3;
  const questionStems = textStems.get(prompt.question, contentStems);
  const scored: Array<{ sentence: ContextSentence; score: number }> = [];
  for (const sentence of prompt.context) {
    // The stems of `${text} ${id}`: no token spans the space, so they are the text's and the id's together.
    const stems = textStems.get(sentence.text, contentStems);
    const idStems = textStems.get(sentence.id, contentStems);
    let score = 0;
    for (const s of questionStems) if (stems.has(s) || idStems.has(s)) score++;
    if (score > 0) scored.push({ sentence, score });
  }
  const best = scored
    .sort((a, b) => b.score - a.score || a.sentence.order - b.sentence.order)
    .slice(0, maxSentences)
    .sort((a, b) => a.sentence.order - b.sentence.order);
  if (best.length === 0) return { text: NOT_FOUND_ANSWER, citations: [], sentences: [] };
  const sentences = best.map(({ sentence }) => ({ text: sentence.text, id: sentence.id }));
  return { text: renderAnswer(sentences), citations: sentences.map((s) => s.id), sentences };
}
