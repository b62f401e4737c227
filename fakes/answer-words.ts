/**
 * The content of a model answer: the extractive answer to a request's prompt, with the applied content fault if
 * any, cut to the request's token limit. Shared by chat completions and the Responses API.
 *
 * The answer without a fault is kept per prompt text (bounded): a load test sends the same prompts again and
 * again, and parsing and answering a prompt was most of the model fake's own CPU in benchmark B3 (issue 5). The
 * answerer's own caches (per context line and sentence) still serve prompts seen for the first time.
 */
import { ANSWER_FAULT_KINDS, applyAnswerFault, citedIds } from './answer-faults.ts';
import { createBoundedCache } from './bounded-cache.ts';
import { type ExtractiveAnswer, type ParsedPrompt, answerQuestion, parsePrompt } from './extractive-answerer.ts';
import type { AppliedMode } from './fake-runtime.ts';
import { answerPrompt, isRagPrompt } from './prompt-answerer.ts';

/** What of a parsed request the answer depends on. */
export interface AnswerRequest {
  /** Text of the last user message: the context lines and the question. */
  lastUser: string;
  /** Text of system and developer messages: the context when the last user message has none. */
  system: string;
  /** Text of every message: the key of a content fault's choices. */
  allText: string;
  /** Most words of the answer, or null. */
  maxTokens: number | null;
  /** The JSON format the request asks for (`response_format`, `text.format`), if any: see `prompt-answerer.ts`. */
  responseFormat?: unknown;
}

/** The content an endpoint sends. */
export interface AnswerWords {
  /** The content's words (whitespace-separated), in order. */
  words: readonly string[];
  /** The words joined by single spaces. */
  content: string;
  /** The content was cut (a `truncate` fault or `maxTokens`): `finish_reason: "length"`. */
  truncated: boolean;
  /** The ids the content cites (`[doc-001]`), in order, with repeats. */
  cited: string[];
}

interface PlainAnswer {
  prompt: ParsedPrompt;
  answer: ExtractiveAnswer;
  words: readonly string[];
  content: string;
  cited: readonly string[];
}

const plainAnswer = (prompt: ParsedPrompt): PlainAnswer => {
  const answer = answerQuestion(prompt);
  const words = answer.text.match(/\S+/g) ?? [];
  const content = words.join(' ');
  return { prompt, answer, words, content, cited: citedIds(content) };
};

/** Answers of prompts whose last user message holds the context (the usual case), by that message's text. */
const byLastUser = createBoundedCache<PlainAnswer | null>({ capacity: 256, maxKeyLength: 16_384 });

function answerOf(request: AnswerRequest): PlainAnswer {
  const own = byLastUser.get(request.lastUser, (text) => {
    const prompt = parsePrompt(text);
    return prompt.context.length > 0 ? plainAnswer(prompt) : null;
  });
  if (own !== null) return own;
  const prompt = parsePrompt(request.lastUser);
  const context = parsePrompt(request.system).context;
  if (context.length > 0 || isRagPrompt(request.lastUser)) return plainAnswer({ ...prompt, context });
  // Not a RAG prompt: an answer derived from the prompt itself (summary, label or JSON).
  const answer = answerPrompt(request);
  const words = answer.text.match(/\S+/g) ?? [];
  return { prompt: { ...prompt, context }, answer, words, content: words.join(' '), cited: [] };
}

/**
 * The extractive answer to a request's last user message (context from system text when it has none), with the
 * applied content fault if any (its choices keyed by the request's text), cut to `maxTokens` words.
 */
export function answerWords(request: AnswerRequest, applied: AppliedMode | null): AnswerWords {
  const plain = answerOf(request);
  let words = plain.words;
  let faultCut = false;
  if (applied !== null && ANSWER_FAULT_KINDS.includes(applied.mode.kind)) {
    const contextIds = [...new Set(plain.prompt.context.map((s) => s.id))];
    const faulted = applyAnswerFault(applied.mode, plain.answer, contextIds, applied.random(request.allText));
    words = faulted.text.match(/\S+/g) ?? [];
    faultCut = faulted.truncated;
  }
  const limited = request.maxTokens !== null && words.length > request.maxTokens;
  if (limited) words = words.slice(0, request.maxTokens ?? 0);
  if (words === plain.words) return { words, content: plain.content, truncated: false, cited: plain.cited.slice() };
  const content = words.join(' ');
  return { words, content, truncated: faultCut || limited, cited: citedIds(content) };
}
