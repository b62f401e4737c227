/**
 * The model fake's deterministic answerer: picks the context sentences that best match the question.
 *
 * Prompt format (the last user message): context lines `[doc-001] text...` and `[SKU-1001] price 19.99 USD,
 * stock 42`, then `Question: ...`. Each context line is split into sentences that keep the line's id; a sentence
 * scores the number of distinct content-word stems it shares with the question (its id counts as a word). The
 * answer is the up to 3 best sentences with a score > 0 (ties go to the earlier sentence), printed in context
 * order, each followed by ` [id]`.
 */
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

/** Prints sentences as an answer: each followed by ` [id]`, joined by spaces. */
export function renderAnswer(sentences: readonly AnswerSentence[]): string {
  return sentences.map((s) => `${s.text} [${s.id}]`).join(' ');
}

export interface AnswerOptions {
  /** Most sentences in an answer; default 3. */
  maxSentences?: number;
}

const CONTEXT_LINE = /^\s*(?:[-*]\s+)?\[([A-Za-z0-9][\w.:\-]{0,63})\]\s*(.*)$/;
const QUESTION_LINE = /^\s*question\s*:\s*(.*)$/i;

/** Splits prompt text into context sentences and the question (text after `Question:`, else the other lines). */
export function parsePrompt(text: string): ParsedPrompt {
  const context: ContextSentence[] = [];
  const questionLines: string[] = [];
  const otherLines: string[] = [];
  let inQuestion = false;
  for (const line of text.split(/\r?\n/)) {
    const contextMatch = CONTEXT_LINE.exec(line);
    if (contextMatch) {
      inQuestion = false;
      for (const sentence of splitSentences(contextMatch[2])) {
        context.push({ id: contextMatch[1], text: sentence, order: context.length });
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
  const questionStems = contentStems(prompt.question);
  const scored = prompt.context.map((sentence) => {
    const stems = contentStems(`${sentence.text} ${sentence.id}`);
    let score = 0;
    for (const s of questionStems) if (stems.has(s)) score++;
    return { sentence, score };
  });
  const best = scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.sentence.order - b.sentence.order)
    .slice(0, maxSentences)
    .sort((a, b) => a.sentence.order - b.sentence.order);
  if (best.length === 0) return { text: NOT_FOUND_ANSWER, citations: [], sentences: [] };
  const sentences = best.map(({ sentence }) => ({ text: sentence.text, id: sentence.id }));
  return { text: renderAnswer(sentences), citations: sentences.map((s) => s.id), sentences };
}
