/**
 * Word handling shared by the answerer and the embeddings: tokens, stop words and a light suffix stemmer.
 */
import { createBoundedCache } from './bounded-cache.ts';

/** Common English function words ignored when matching questions to sentences. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further get gets got had has ' +
    'have having he her here hers him his how i if in into is it its itself just me more most my no nor not of ' +
    'off on once only or other our ours out over own same she should so some such than that the their theirs ' +
    'them then there these they this those through to too under until up very was we were what when where which ' +
    'while who whom why will with would you your yours much many long tell know please us one'
  ).split(' '),
);

/** A few words folded onto the word the data uses (`cost` → `price`). */
const SYNONYMS: Readonly<Record<string, string>> = Object.freeze({
  cost: 'price',
  costs: 'price',
  pricing: 'price',
  priced: 'price',
  available: 'stock',
  availability: 'stock',
  inventory: 'stock',
});

/** Splits text into lowercased tokens; keeps numbers with decimals (`19.99`) and ids (`sku-1001`) whole. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:[.'\-][\p{L}\p{N}]+)*/gu) ?? [];
}

/** Token counts of lines seen before: prompts repeat the same context lines (B3, issue 5). */
const lineTokenCounts = createBoundedCache<number>({ capacity: 1024, maxKeyLength: 4096 });
const countLine = (line: string) => tokenize(line).length;

/** The number of tokens of `text`, `tokenize(text).length`, counted line by line (no token spans a line break). */
export function countTokens(text: string): number {
  let count = 0;
  for (const line of text.split('\n')) count += lineTokenCounts.get(line, countLine);
  return count;
}

/** Reduces a lowercased token to a rough stem: `returns` → `return`, `accepted` → `accept`, `days` → `day`. */
export function stem(token: string): string {
  const word = SYNONYMS[token] ?? token.replace(/'s$/, '');
  if (/\d/.test(word) || word.length <= 3) return word;
  for (const suffix of ['ing', 'ies', 'ed', 's']) {
    if (!word.endsWith(suffix) || word.length - suffix.length < 3) continue;
    if (suffix === 'ies') return word.slice(0, -3) + 'y';
    if (suffix === 's') return word.endsWith('ss') || word.endsWith('us') ? word : word.slice(0, -1);
    const base = word.slice(0, -suffix.length);
    // shipping, shipped → ship
    return /([b-df-hj-np-rtv-z])\1$/.test(base) && !/(ll|ss|zz)$/.test(base) ? base.slice(0, -1) : base;
  }
  return word;
}

/** The distinct content-word stems of a text (stop words removed). */
export function contentStems(text: string): Set<string> {
  const out = new Set<string>();
  for (const token of tokenize(text)) {
    if (!STOP_WORDS.has(token)) out.add(stem(token));
  }
  return out;
}

/** Splits text into sentences at `.`, `!` or `?` followed by whitespace; numbers like `19.99` stay whole. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
