/**
 * The model fake's answers to prompts that are not in the RAG format (no `[id] text` context lines, no
 * `Question:` line): deterministic, derived from the prompt itself, so content faults and scoring work for any
 * service (issue 12, item 8). Rules, in order:
 *
 * 1. JSON, when `response_format` asks for it. `json_schema`: an object with the schema's `required` fields (all
 *    its `properties` when none are required), each filled from the prompt: a string with `enum` → the
 *    classification rule over the enum; another string → the summary's first sentence; `number`/`integer` → the
 *    prompt's first number (0 when it has none); `boolean` → whether the prompt holds a number; an array →
 *    the three most frequent content words; an object → the same rules over its own schema. `json_object`:
 *    `{"label": ...}` when the prompt gives labels, else `{"summary": ...}`.
 * 2. A classification, when the prompt gives labels (`... as one of: billing, shipping, other` or
 *    `Labels: a, b, c`, up to the line's end): the label sharing the most content-word stems with the rest of the
 *    prompt; on a tie (also when none shares a word), the tied label at index `hashString(rest) % ties` (FNV-1a of
 *    the text being classified), so the same text always gets the same label.
 * 3. A summary: the prompt's sentences (instruction lines ending with `:` left out) ranked by their number of
 *    distinct content-word stems (ties to the earlier), the best N kept in their original order. N is the number
 *    the prompt asks for (`in 2 sentences`, `in two sentences`), else 3.
 *
 * The text is the last user message, or the system text when it is empty; labels may be in either. Answers carry
 * no citations: their sentences have an empty id.
 */
import type { AnswerSentence, ExtractiveAnswer } from './extractive-answerer.ts';
import { hashString } from '../contract/index.ts';
import { contentStems, splitSentences, STOP_WORDS, stem, tokenize } from './text-analysis.ts';

/** What of a request a prompt-derived answer depends on. */
export interface PromptAnswerRequest {
  /** Text of the last user message. */
  lastUser: string;
  /** Text of system and developer messages. */
  system: string;
  /** The request's `response_format` (chat completions) or `text.format` (Responses API), if any. */
  responseFormat?: unknown;
}

/** The number of summary sentences when the prompt asks for none. */
export const DEFAULT_SUMMARY_SENTENCES = 3;

const RAG_MARKERS = /^\s*(?:question\s*:|(?:[-*]\s+)?\[[A-Za-z0-9][\w.:\-]{0,63}\])/im;
const LABELS = /(?:\bone of|\blabels?)\s*:\s*([^\n]+)/i;
const COUNT_WORDS: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5 };
const SENTENCE_COUNT = /\b(\d+|one|two|three|four|five)\s+sentences?\b/i;

/** Whether a prompt is in the RAG format the extractive answerer reads (context lines or a `Question:` line). */
export function isRagPrompt(text: string): boolean {
  return RAG_MARKERS.test(text);
}

/** The labels a prompt offers (`one of: a, b or c`), trimmed of quotes and a final period; empty when none. */
export function promptLabels(text: string): string[] {
  const match = LABELS.exec(text);
  if (!match) return [];
  return match[1]
    .replace(/\.\s*$/, '')
    .split(/\s*,\s*|\s+or\s+|\s*\|\s*/)
    .map((label) => label.trim().replace(/^["'`]|["'`]$/g, ''))
    .filter((label) => label.length > 0);
}

/** The label for `text` among `labels` (rule 2 above); null when there are none. */
export function classify(text: string, labels: readonly string[]): string | null {
  if (labels.length === 0) return null;
  const stems = contentStems(text);
  const scores = labels.map((label) => [...contentStems(label)].filter((s) => stems.has(s)).length);
  const best = Math.max(...scores);
  const tied = labels.filter((_, i) => scores[i] === best);
  return tied[hashString(text) % tied.length];
}

/** The summary of `text` (rule 3 above, instruction lines already removed): at most `count` of its sentences, in their original order. */
export function summarize(text: string, count: number): string[] {
  const sentences = text.split(/\r?\n/).flatMap((line) => splitSentences(line));
  return sentences
    .map((sentence, order) => ({ sentence, order, score: contentStems(sentence).size }))
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, Math.max(1, count))
    .sort((a, b) => a.order - b.order)
    .map((s) => s.sentence);
}

/** The three most frequent content words of a text (ties to the earlier), as written in lower case. */
function keywords(text: string): string[] {
  const counts = new Map<string, { word: string; count: number; first: number }>();
  tokenize(text).forEach((token, i) => {
    if (STOP_WORDS.has(token) || /^\d/.test(token) || token.length < 3) return;
    const key = stem(token);
    const seen = counts.get(key);
    if (seen) seen.count++;
    else counts.set(key, { word: token, count: 1, first: i });
  });
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || a.first - b.first)
    .slice(0, 3)
    .map((k) => k.word);
}

const FIRST_NUMBER = /-?\d+(?:\.\d+)?/;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value for `schema` filled from the prompt (rule 1 above). */
function fillSchema(schema: unknown, text: string, summary: readonly string[]): unknown {
  if (!isRecord(schema)) return summary[0] ?? '';
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return classify(text, schema.enum.map(String));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'number':
    case 'integer': {
      const found = FIRST_NUMBER.exec(text);
      const value = found ? Number(found[0]) : 0;
      return type === 'integer' ? Math.trunc(value) : value;
    }
    case 'boolean':
      return FIRST_NUMBER.test(text);
    case 'array':
      return keywords(text);
    case 'object': {
      const properties = isRecord(schema.properties) ? schema.properties : {};
      const names = Array.isArray(schema.required) ? schema.required.map(String) : Object.keys(properties);
      return Object.fromEntries(names.map((name) => [name, fillSchema(properties[name], text, summary)]));
    }
    default:
      return summary[0] ?? '';
  }
}

/** The JSON schema or `json_object` a response format asks for; undefined when it asks for text. */
function requestedJson(format: unknown): { schema: unknown } | 'object' | undefined {
  if (!isRecord(format)) return undefined;
  if (format.type === 'json_object') return 'object';
  if (format.type !== 'json_schema') return undefined;
  // Chat completions nest it (`json_schema: { name, schema }`); the Responses API puts `schema` on the format.
  const holder = isRecord(format.json_schema) ? format.json_schema : format;
  return { schema: holder.schema ?? { type: 'object' } };
}

/** The prompt-derived answer to a request whose prompt is not in the RAG format. */
export function answerPrompt(request: PromptAnswerRequest): ExtractiveAnswer {
  const text = request.lastUser.trim().length > 0 ? request.lastUser : request.system;
  const labels = promptLabels(`${request.system}\n${request.lastUser}`);
  // What the prompt is about: its text without the labels and without instruction lines (`... text:`).
  const body = (labels.length > 0 ? text.replace(LABELS, ' ') : text)
    .split(/\r?\n/)
    .filter((line) => !/:\s*$/.test(line))
    .join('\n');
  const asked = SENTENCE_COUNT.exec(`${request.system}\n${request.lastUser}`)?.[1].toLowerCase();
  const count = asked === undefined ? DEFAULT_SUMMARY_SENTENCES : (COUNT_WORDS[asked] ?? Number(asked));
  const summary = summarize(body, count);
  const json = requestedJson(request.responseFormat);
  let sentences: string[];
  if (json === 'object') {
    sentences = [JSON.stringify(labels.length > 0 ? { label: classify(body, labels) } : { summary: summary.join(' ') })];
  } else if (json) {
    sentences = [JSON.stringify(fillSchema(json.schema, body, summary))];
  } else if (labels.length > 0) {
    sentences = [classify(body, labels)!];
  } else {
    sentences = summary;
  }
  const answerSentences: AnswerSentence[] = sentences.map((s) => ({ text: s, id: '' }));
  return { text: sentences.join(' '), citations: [], sentences: answerSentences };
}
